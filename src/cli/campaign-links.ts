import type { Command } from 'commander';
import { getCampaignBySlug } from '../campaigns/repo.js';
import { ValidationError } from '../errors.js';
import { serviceName } from '../providers/services.js';
import { parseReleaseReference } from '../releases/release-urls.js';
import { clearMatches, listMatches, overrideMatch } from '../releases/matches.js';
import { reopenLookups } from '../links/lookup/state.js';
import { campaignLinksWithSource, removeCampaignLink, setCampaignLink } from '../smartlink/links.js';
import { checkServiceIds } from '../campaigns/id-check.js';
import { resumeCampaign } from '../campaigns/pauses.js';
import { notifyWorkers } from '../fulfillment/wakeup.js';
import { print, printJson, withContext } from './context.js';

/** `campaign matches|match|links|link`: what the release was matched to, overrides, link-outs. */
export function addLinkCommands(cmd: Command): void {
  cmd
    .command('matches')
    .description('show what the release was matched to on each service (and how)')
    .argument('<slug>')
    .option('--json', 'as JSON')
    .action((slug: string, o: { json?: boolean }) =>
      withContext(async (ctx) => {
        const c = await getCampaignBySlug(ctx.db, slug);
        const matches = await listMatches(ctx.db, c.id);
        if (o.json) return printJson(matches);
        if (!matches.length) return print('Nothing matched yet: releases are looked up at release time, when fans are due.');
        for (const m of matches) {
          print(
            `${serviceName(m.service).padEnd(12)} ${(m.market || 'all markets').padEnd(11)} ${m.albumUri}  ${m.overridden ? 'set by hand' : `matched by ${m.matchedBy}`}` +
              `${m.title ? `  “${m.title}”` : ''}${m.albumUrl ? `  ${m.albumUrl}` : ''}`,
          );
        }
      }),
    );
  cmd
    .command('match')
    .description('set by hand which release a service should save (a URL or URI), or --clear to look it up again')
    .argument('<slug>')
    .requiredOption('--service <service>', 'spotify | apple-music | tidal | deezer | sandbox')
    .option('--release <url-or-uri>', 'e.g. https://open.spotify.com/album/… or spotify:album:…')
    .option('--artist-uri <uri...>', 'artists to follow with it, when the campaign follows')
    .option('--clear', 'forget the match so the next attempt looks the release up again')
    .action((slug: string, o: { service: string; release?: string; artistUri?: string[]; clear?: boolean }) =>
      withContext(async (ctx) => {
        const c = await getCampaignBySlug(ctx.db, slug);
        if (!c.services.includes(o.service as never))
          throw new ValidationError({ service: `this campaign is not offered on "${o.service}"` });
        if (o.clear) {
          const n = await clearMatches(ctx.db, c.id, o.service);
          return print(`Cleared ${n} match(es) for ${serviceName(o.service)}.`);
        }
        if (!o.release) throw new ValidationError({ release: 'give the release URL or URI (or --clear)' });
        const parsed = parseReleaseReference(o.service, o.release);
        if (!parsed) throw new ValidationError({ release: `is not a ${serviceName(o.service)} album URL or URI` });
        const artists = o.artistUri ?? [];
        const bad = artists.find((a) => !a.startsWith(`${o.service}:artist:`));
        if (bad) throw new ValidationError({ 'artist-uri': `"${bad}" is not a ${o.service}:artist: URI` });
        // Ask the service before saving: an id it does not know is refused now, not on release day.
        const { errors, warnings } = await checkServiceIds(ctx.providers, [
          { field: 'release', service: o.service, kind: 'release', uri: parsed.albumUri },
          ...artists.map((uri) => ({ field: 'artist-uri', service: o.service, kind: 'artist' as const, uri })),
        ]);
        if (Object.keys(errors).length) throw new ValidationError(errors);
        await overrideMatch(ctx.db, c.id, o.service, { ...parsed, artistUris: artists }, ctx.now());
        print(`${serviceName(o.service)} will save ${parsed.albumUri} for every fan of ${c.slug}.`);
        for (const w of warnings) print(`Warning: ${w.text}`);
      }),
    );
  cmd
    .command('resume')
    .description('resume a campaign the engine paused on a service, once what it said is fixed')
    .argument('<slug>')
    .option('--service <service>', 'only this service (default: every service the campaign is paused on)')
    .action((slug: string, o: { service?: string }) =>
      withContext(async (ctx) => {
        const c = await getCampaignBySlug(ctx.db, slug);
        const r = await resumeCampaign(ctx.db, c.id, ctx.now(), o.service);
        if (r.services.length) await notifyWorkers(ctx);
        if (!r.services.length)
          return print(`${c.slug} is not paused${o.service ? ` on ${serviceName(o.service)}` : ''}: nothing to resume.`);
        print(
          `Resumed ${c.slug} on ${r.services.map(serviceName).join(', ')}: ${r.redriven} pre-save(s) due now, ${r.follows} follow(s) to deliver.`,
        );
      }),
    );
  cmd
    .command('links')
    .description('list the link-out services on the smart link')
    .argument('<slug>')
    .option('--json', 'as JSON')
    .action((slug: string, o: { json?: boolean }) =>
      withContext(async (ctx) => {
        const c = await getCampaignBySlug(ctx.db, slug);
        const links = await campaignLinksWithSource(ctx.db, c.id);
        if (o.json) return printJson(links);
        if (!links.length)
          return print('No link-out services yet. Add one with `dropday campaign link <slug> --service youtube-music --url …`.');
        for (const l of links)
          print(
            `${serviceName(l.service).padEnd(14)} ${l.url}${l.source ? `  (found by ${l.source}${l.acceptedAt ? ', accepted' : ''})` : ''}`,
          );
      }),
    );
  cmd
    .command('link')
    .description('add or change (or --remove) a "listen on" link for a service without a pre-save API')
    .argument('<slug>')
    .requiredOption(
      '--service <service>',
      'youtube-music, amazon-music, soundcloud, jiosaavn, wynk, gaana, audiomack, anghami, boomplay, bandcamp, beatport, …',
    )
    .option('--url <url>', 'the release on that service (https, on the service’s own site)')
    .option('--remove', 'remove the link')
    .action((slug: string, o: { service: string; url?: string; remove?: boolean }) =>
      withContext(async (ctx) => {
        const c = await getCampaignBySlug(ctx.db, slug);
        if (o.remove) {
          await removeCampaignLink(ctx.db, c.id, o.service, ctx.now());
          await reopenLookups(ctx.db, c.id, ctx.now());
          return print(`Removed the ${serviceName(o.service)} link.`);
        }
        if (!o.url) throw new ValidationError({ url: 'is required (or --remove)' });
        const stored = await setCampaignLink(ctx.db, c.id, o.service, o.url, ctx.now());
        print(`${serviceName(o.service)}: ${stored}`);
      }),
    );
}
