import { Command, Option } from 'commander';
import { getCampaignBySlug, listCampaigns, type Campaign } from '../campaigns/repo.js';
import { createCampaign, updateCampaign } from '../campaigns/service.js';
import { describeRelease } from '../campaigns/timing.js';
import type { CampaignInput } from '../campaigns/validate.js';
import type { AppContext } from '../context.js';
import { addLinkCommands } from './campaign-links.js';
import { print, printJson, withContext } from './context.js';

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

export function campaignJson(ctx: AppContext, c: Campaign) {
  return {
    slug: c.slug,
    url: `${ctx.config.publicUrl}/${c.slug}`,
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

function show(ctx: AppContext, c: Campaign, json?: boolean): void {
  if (json) return printJson(campaignJson(ctx, c));
  print(`${c.slug}  ${c.artist_name} — ${c.title} (${c.release_type})${c.is_demo ? '  [demo]' : ''}`);
  print(`  page:      ${ctx.config.publicUrl}/${c.slug}`);
  print(
    c.timing === 'local'
      ? `  release:   ${describeRelease(c)} (local timing; first ${new Date(c.first_release_at).toISOString()}, last ${new Date(c.last_release_at).toISOString()})`
      : `  release:   ${describeRelease(c)} (global timing, ${new Date(c.first_release_at).toISOString()})`,
  );
  print(`  services:  ${c.services.join(', ')}${c.follow_artist ? ' (follows the artist)' : ''}`);
  print(`  ids:       ${[c.upc ? `UPC ${c.upc}` : '', ...c.isrcs.map((i) => `ISRC ${i}`)].filter(Boolean).join(', ')}`);
  print(`  status:    ${c.status}`);
}

export function campaignCommand(): Command {
  const cmd = new Command('campaign').description('create, list, show and update campaigns');
  fieldOptions(cmd.command('create').description('create a campaign').requiredOption('--slug <slug>', 'the link: /<slug>')).action(
    (o: CampaignOpts) =>
      withContext(async (ctx) => {
        const input = toInput(o);
        input.timing ??= 'local';
        input.services ??= ctx.providers.enabled().slice(0, 1);
        const c = await createCampaign(campaignDeps(ctx), input);
        if (!o.json) print('Created:');
        show(ctx, c, o.json);
      }),
  );
  fieldOptions(
    cmd.command('update').description('change a campaign').argument('<slug>').option('--slug <new-slug>', 'change the link'),
  ).action((slug: string, o: CampaignOpts) =>
    withContext(async (ctx) => {
      const c = await updateCampaign(campaignDeps(ctx), slug, toInput(o));
      if (!o.json) print('Updated:');
      show(ctx, c, o.json);
    }),
  );
  cmd
    .command('list')
    .description('list campaigns')
    .option('--json', 'as JSON')
    .action((o: { json?: boolean }) =>
      withContext(async (ctx) => {
        const all = await listCampaigns(ctx.db);
        if (o.json) return printJson(all.map((c) => campaignJson(ctx, c)));
        if (!all.length) return print('No campaigns yet. Create one with `dropday campaign create --help`.');
        for (const c of all) print(`${c.slug.padEnd(24)} ${describeRelease(c).padEnd(44)} ${c.artist_name} — ${c.title}`);
      }),
    );
  cmd
    .command('show')
    .description('show one campaign')
    .argument('<slug>')
    .option('--json', 'as JSON')
    .action((slug: string, o: { json?: boolean }) => withContext(async (ctx) => show(ctx, await getCampaignBySlug(ctx.db, slug), o.json)));
  addLinkCommands(cmd);
  return cmd;
}
