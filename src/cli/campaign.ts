import { Command, Option } from 'commander';
import { getCampaignBySlug, listCampaigns, type Campaign } from '../campaigns/repo.js';
import { createCampaign, updateCampaign } from '../campaigns/service.js';
import { describeRelease } from '../campaigns/timing.js';
import type { CampaignInput } from '../campaigns/validate.js';
import type { AppContext } from '../context.js';
import { archiveCampaign, restoreCampaign } from '../editor/service.js';
import { DropdayError } from '../errors.js';
import type { CampaignWire } from '../api/campaigns/wire.js';
import { bodyOf } from '../api/campaigns/wire.js';
import { allPages, callApi, campaignFromWire, remoteOrLocal, seg } from './api-client.js';
import { addLinkCommands } from './campaign-links.js';
import { print, printJson } from './context.js';

interface CampaignOpts {
  slug?: string;
  artist?: string;
  title?: string;
  type?: string;
  artwork?: string;
  upc?: string;
  isrc?: string[];
  releaseAt?: string;
  timezone?: string;
  timing?: string;
  services?: string;
  follow?: boolean;
  json?: boolean;
}

function fieldOptions(cmd: Command): Command {
  return cmd
    .option('--artist <name>', 'artist name as shown to fans')
    .option('--title <title>', 'release title')
    .addOption(new Option('--type <type>', 'release type').choices(['single', 'ep', 'album']))
    .option('--artwork <url>', 'artwork image URL (https)')
    .option('--upc <upc>', 'UPC/EAN barcode, 12 or 13 digits')
    .option('--isrc <isrc...>', 'one or more ISRCs')
    .option('--release-at <time>', 'release time: 2026-12-05T00:00 (in --timezone), 2026-12-05, or an instant like 2026-12-05T00:00:00Z')
    .option('--timezone <zone>', 'IANA time zone the release time is read in (default UTC)')
    .addOption(new Option('--timing <mode>', "local: at that time in each fan's zone; global: one instant").choices(['local', 'global']))
    .option('--services <list>', 'comma-separated services to offer, e.g. sandbox,spotify')
    .option('--follow', 'also follow the artist when saving')
    .option('--no-follow', 'do not follow the artist')
    .option('--json', 'print the campaign as JSON');
}

function toInput(o: CampaignOpts): CampaignInput {
  const input: CampaignInput = {};
  if (o.slug !== undefined) input.slug = o.slug;
  if (o.artist !== undefined) input.artistName = o.artist;
  if (o.title !== undefined) input.title = o.title;
  if (o.type !== undefined) input.releaseType = o.type;
  if (o.artwork !== undefined) input.artworkUrl = o.artwork;
  if (o.upc !== undefined) input.upc = o.upc;
  if (o.isrc !== undefined) input.isrcs = o.isrc.flatMap((i) => i.split(','));
  if (o.releaseAt !== undefined) input.releaseAt = o.releaseAt;
  if (o.timezone !== undefined) input.timezone = o.timezone;
  if (o.timing !== undefined) input.timing = o.timing;
  if (o.services !== undefined) input.services = o.services.split(',');
  if (o.follow !== undefined) input.followArtist = o.follow;
  return input;
}

function campaignDeps(ctx: AppContext) {
  return { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled(), maxLeadDays: ctx.config.maxReleaseLeadDays };
}

export function campaignJson(c: Campaign, pageUrl: string) {
  return {
    slug: c.slug,
    url: pageUrl,
    artist: c.artist_name,
    title: c.title,
    type: c.release_type,
    artworkUrl: c.artwork_url,
    upc: c.upc,
    isrcs: c.isrcs,
    releaseLocal: c.release_local,
    release: describeRelease(c),
    timezone: c.release_timezone,
    timing: c.timing,
    firstReleaseAt: new Date(c.first_release_at).toISOString(),
    lastReleaseAt: new Date(c.last_release_at).toISOString(),
    services: c.services,
    followArtist: c.follow_artist,
    status: c.status,
    demo: c.is_demo,
  };
}

/** A campaign with its page's address: from the local database, or as a remote API answered it. */
interface Shown {
  c: Campaign;
  page: string;
}
const local = (ctx: AppContext, c: Campaign): Shown => ({ c, page: `${ctx.config.publicUrl}/${c.slug}` });
const remote = (w: CampaignWire): Shown => ({ c: campaignFromWire(w), page: w.urls.page });

function show({ c, page }: Shown, json?: boolean, heading?: string): void {
  if (json) return printJson(campaignJson(c, page));
  if (heading) print(heading);
  print(`${c.slug}  ${c.artist_name} — ${c.title} (${c.release_type})${c.is_demo ? '  [demo]' : ''}`);
  print(`  page:      ${page}`);
  print(
    c.timing === 'local'
      ? `  release:   ${describeRelease(c)} (local timing; first ${new Date(c.first_release_at).toISOString()}, last ${new Date(c.last_release_at).toISOString()})`
      : `  release:   ${describeRelease(c)} (global timing, ${new Date(c.first_release_at).toISOString()})`,
  );
  print(`  services:  ${c.services.join(', ')}${c.follow_artist ? ' (follows the artist)' : ''}`);
  print(`  ids:       ${[c.upc ? `UPC ${c.upc}` : '', ...c.isrcs.map((i) => `ISRC ${i}`)].filter(Boolean).join(', ')}`);
  print(`  status:    ${c.status}`);
}

function showList(all: Shown[], json?: boolean): void {
  if (json) return printJson(all.map((s) => campaignJson(s.c, s.page)));
  if (!all.length) return print('No campaigns yet. Create one with `dropday campaign create --help`.');
  for (const { c } of all) print(`${c.slug.padEnd(24)} ${describeRelease(c).padEnd(44)} ${c.artist_name} — ${c.title}`);
}

/** Archive or restore, locally as the editor does (no user: the operator), or through the API. */
function archiveCommand(cmd: Command, action: 'archive' | 'restore'): void {
  const archived = action === 'archive';
  cmd
    .command(action)
    .description(archived ? 'archive a campaign: its page answers 410, pending pre-saves are cancelled' : 'restore an archived campaign')
    .argument('<slug>')
    .option('--json', 'print the campaign as JSON')
    .action((slug: string, o: { json?: boolean }, self: Command) =>
      remoteOrLocal(
        self,
        async (api) =>
          show(
            remote(await callApi<CampaignWire>(api, 'POST', `/campaigns/${seg(slug)}/${action}`, {})),
            o.json,
            `${archived ? 'Archived' : 'Restored'}:`,
          ),
        async (ctx) => {
          const c = await getCampaignBySlug(ctx.db, slug);
          if (archived) await archiveCampaign(ctx, c, null);
          else await restoreCampaign(ctx, c);
          show(local(ctx, await getCampaignBySlug(ctx.db, slug)), o.json, `${archived ? 'Archived' : 'Restored'}:`);
        },
      ),
    );
}

export function campaignCommand(): Command {
  const cmd = new Command('campaign').description(
    'create, list, show, update, archive, restore and duplicate campaigns (on a remote Dropday with --api-url and --api-key)',
  );
  fieldOptions(cmd.command('create').description('create a campaign').requiredOption('--slug <slug>', 'the link: /<slug>')).action(
    (o: CampaignOpts, self: Command) =>
      remoteOrLocal(
        self,
        // The remote API is the editor's path: it names no default service (give --services).
        async (api) => show(remote(await callApi<CampaignWire>(api, 'POST', '/campaigns', bodyOf(toInput(o)))), o.json, 'Created:'),
        async (ctx) => {
          const input = toInput(o);
          input.timing ??= 'local';
          input.services ??= ctx.providers.enabled().slice(0, 1);
          show(local(ctx, await createCampaign(campaignDeps(ctx), input)), o.json, 'Created:');
        },
      ),
  );
  fieldOptions(
    cmd.command('update').description('change a campaign').argument('<slug>').option('--slug <new-slug>', 'change the link'),
  ).action((slug: string, o: CampaignOpts, self: Command) =>
    remoteOrLocal(
      self,
      async (api) =>
        show(remote(await callApi<CampaignWire>(api, 'PATCH', `/campaigns/${seg(slug)}`, bodyOf(toInput(o)))), o.json, 'Updated:'),
      async (ctx) => show(local(ctx, await updateCampaign(campaignDeps(ctx), slug, toInput(o))), o.json, 'Updated:'),
    ),
  );
  cmd
    .command('list')
    .description('list campaigns (remotely: the key’s workspace)')
    .option('--json', 'as JSON')
    .action((o: { json?: boolean }, self: Command) =>
      remoteOrLocal(
        self,
        async (api) => showList((await allPages<CampaignWire>(api, '/campaigns')).map(remote), o.json),
        async (ctx) =>
          showList(
            (await listCampaigns(ctx.db)).map((c) => local(ctx, c)),
            o.json,
          ),
      ),
    );
  cmd
    .command('show')
    .description('show one campaign')
    .argument('<slug>')
    .option('--json', 'as JSON')
    .action((slug: string, o: { json?: boolean }, self: Command) =>
      remoteOrLocal(
        self,
        async (api) => show(remote(await callApi<CampaignWire>(api, 'GET', `/campaigns/${seg(slug)}`)), o.json),
        async (ctx) => show(local(ctx, await getCampaignBySlug(ctx.db, slug)), o.json),
      ),
    );
  archiveCommand(cmd, 'archive');
  archiveCommand(cmd, 'restore');
  cmd
    .command('duplicate')
    .description(
      'copy a campaign (fields, artist ids, link-outs, theme, artwork) with its own slug and release time — remote only, with --api-url',
    )
    .argument('<slug>')
    .requiredOption('--slug <new-slug>', 'the copy’s link: /<new-slug>')
    .requiredOption('--release-at <time>', 'the copy’s release time (in the future)')
    .option('--title <title>', 'a new title for the copy')
    .option('--json', 'print the copy as JSON')
    .action((source: string, o: { slug: string; releaseAt: string; title?: string; json?: boolean }, self: Command) =>
      remoteOrLocal(
        self,
        async (api) => {
          const body = { slug: o.slug, release_at: o.releaseAt, ...(o.title !== undefined ? { title: o.title } : {}) };
          show(remote(await callApi<CampaignWire>(api, 'POST', `/campaigns/${seg(source)}/duplicate`, body)), o.json, 'Duplicated:');
        },
        () => {
          // A copy belongs to a workspace (its editors, its key): only the API (or the editor) knows which.
          throw new DropdayError('VALIDATION', 'duplicate runs on a workspace: give --api-url and --api-key (or use the editor).');
        },
      ),
    );
  addLinkCommands(cmd);
  return cmd;
}
