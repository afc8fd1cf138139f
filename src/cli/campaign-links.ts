import type { Command } from 'commander';
import type { LinkWire, MatchWire } from '../api/campaigns/links-wire.js';
import { clearReleaseMatch, removeLinkOut, setReleaseOverride } from '../campaigns/overrides.js';
import { getCampaignBySlug } from '../campaigns/repo.js';
import { resumeCampaign } from '../campaigns/pauses.js';
import { ValidationError } from '../errors.js';
import { notifyWorkers } from '../fulfillment/wakeup.js';
import { serviceName } from '../providers/services.js';
import { listMatches, type Match } from '../releases/matches.js';
import { campaignLinksWithSource, setCampaignLink, type CampaignLink } from '../smartlink/links.js';
import { callApi, linkFromWire, matchFromWire, remoteOrLocal, seg } from './api-client.js';
import { print, printJson, withContext } from './context.js';

/** The options' names, for problems (`--artist-uri: …`). */
const CLI_NAMES = { service: 'service', release: 'release', artists: 'artist-uri' };

function showMatches(matches: Match[], json?: boolean): void {
  if (json) return printJson(matches);
  if (!matches.length) return print('Nothing matched yet: releases are looked up at release time, when fans are due.');
  for (const m of matches) {
    print(
      `${serviceName(m.service).padEnd(12)} ${(m.market || 'all markets').padEnd(11)} ${m.albumUri}  ${m.overridden ? 'set by hand' : `matched by ${m.matchedBy}`}` +
        `${m.title ? `  “${m.title}”` : ''}${m.albumUrl ? `  ${m.albumUrl}` : ''}`,
    );
  }
}

function showLinks(links: CampaignLink[], json?: boolean): void {
  if (json) return printJson(links);
  if (!links.length) return print('No link-out services yet. Add one with `dropday campaign link <slug> --service youtube-music --url …`.');
  for (const l of links)
    print(`${serviceName(l.service).padEnd(14)} ${l.url}${l.source ? `  (found by ${l.source}${l.acceptedAt ? ', accepted' : ''})` : ''}`);
}

type MatchOpts = { service: string; release?: string; artistUri?: string[]; clear?: boolean };
const matchSet = (slug: string, albumUri: string, o: MatchOpts, warnings: string[]) => {
  print(`${serviceName(o.service)} will save ${albumUri} for every fan of ${slug}.`);
  for (const w of warnings) print(`Warning: ${w}`);
};

/** `campaign matches|match|links|link` (locally or on a remote API), and `resume` (local). */
export function addLinkCommands(cmd: Command): void {
  cmd
    .command('matches')
    .description('show what the release was matched to on each service (and how)')
    .argument('<slug>')
    .option('--json', 'as JSON')
    .action((slug: string, o: { json?: boolean }, self: Command) =>
      remoteOrLocal(
        self,
        async (api) =>
          showMatches(
            (await callApi<{ data: MatchWire[] }>(api, 'GET', `/campaigns/${seg(slug)}/matches`)).data.map(matchFromWire),
            o.json,
          ),
        async (ctx) => showMatches(await listMatches(ctx.db, (await getCampaignBySlug(ctx.db, slug)).id), o.json),
      ),
    );
  cmd
    .command('match')
    .description('set by hand which release a service should save (a URL or URI), or --clear to look it up again')
    .argument('<slug>')
    .requiredOption('--service <service>', 'spotify | apple-music | tidal | deezer | sandbox')
    .option('--release <url-or-uri>', 'e.g. https://open.spotify.com/album/… or spotify:album:…')
    .option('--artist-uri <uri...>', 'artists to follow with it, when the campaign follows')
    .option('--clear', 'forget the match so the next attempt looks the release up again')
    .action((slug: string, o: MatchOpts, self: Command) =>
      remoteOrLocal(
        self,
        async (api) => {
          const path = `/campaigns/${seg(slug)}/matches/${seg(o.service)}`;
          if (o.clear) {
            await callApi(api, 'DELETE', path);
            return print(`Cleared the match for ${serviceName(o.service)}.`);
          }
          if (!o.release) throw new ValidationError({ release: 'give the release URL or URI (or --clear)' });
          const body = { release: o.release, ...(o.artistUri ? { artist_uris: o.artistUri } : {}) };
          const r = await callApi<{ match: MatchWire; warnings: string[] }>(api, 'PUT', path, body);
          matchSet(slug, r.match.album_uri, o, r.warnings);
        },
        async (ctx) => {
          const c = await getCampaignBySlug(ctx.db, slug);
          if (o.clear) {
            const n = await clearReleaseMatch(ctx, c, o.service, CLI_NAMES);
            return print(`Cleared ${n} match(es) for ${serviceName(o.service)}.`);
          }
          if (!o.release) throw new ValidationError({ release: 'give the release URL or URI (or --clear)' });
          const { release, warnings } = await setReleaseOverride(ctx, c, o.service, o.release, o.artistUri ?? [], CLI_NAMES);
          matchSet(
            c.slug,
            release.albumUri,
            o,
            warnings.map((w) => w.text),
          );
        },
      ),
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
    .action((slug: string, o: { json?: boolean }, self: Command) =>
      remoteOrLocal(
        self,
        async (api) =>
          showLinks((await callApi<{ data: LinkWire[] }>(api, 'GET', `/campaigns/${seg(slug)}/links`)).data.map(linkFromWire), o.json),
        async (ctx) => showLinks(await campaignLinksWithSource(ctx.db, (await getCampaignBySlug(ctx.db, slug)).id), o.json),
      ),
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
    .action((slug: string, o: { service: string; url?: string; remove?: boolean }, self: Command) => {
      const removed = () => print(`Removed the ${serviceName(o.service)} link.`);
      const stored = (url: string) => print(`${serviceName(o.service)}: ${url}`);
      if (!o.remove && !o.url) throw new ValidationError({ url: 'is required (or --remove)' });
      return remoteOrLocal(
        self,
        async (api) => {
          const path = `/campaigns/${seg(slug)}/links/${seg(o.service)}`;
          if (o.remove) return void (await callApi(api, 'DELETE', path), removed());
          stored((await callApi<LinkWire>(api, 'PUT', path, { url: o.url })).url);
        },
        async (ctx) => {
          const c = await getCampaignBySlug(ctx.db, slug);
          if (o.remove) return void (await removeLinkOut(ctx, c, o.service), removed());
          stored(await setCampaignLink(ctx.db, c.id, o.service, o.url!, ctx.now()));
        },
      );
    });
}
