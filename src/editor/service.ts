import { campaignsOfWorkspace, setCampaignWorkspace } from '../accounts/campaigns.js';
import { applyForeverSaves } from '../reach/forever/fan-out.js';
import { getCampaignById, type Campaign } from '../campaigns/repo.js';
import { createCampaign, updateCampaign, type CampaignDeps } from '../campaigns/service.js';
import type { CampaignInput } from '../campaigns/validate.js';
import type { AppContext } from '../context.js';
import { DropdayError, ValidationError } from '../errors.js';
import { LINK_SERVICES, type LinkServiceId } from '../providers/services.js';
import { clearMatches, listMatches, overrideMatch } from '../releases/matches.js';
import { reopenLookups } from '../links/lookup/state.js';
import { artistLinks, removeCampaignLink, setCampaignLink } from '../smartlink/links.js';
import { artworkUrl, copyArtwork, parseArtworkUrl, pruneArtwork, storeArtwork, type ProcessedArtwork } from './artwork.js';
import { editorDb } from './db.js';
import { inTransaction } from '../db/transaction.js';
import { checkServiceIds, type IdToCheck, type IdWarning } from '../campaigns/id-check.js';
import { EDITOR_RESERVED_SLUGS, type ArtistId, type EditorPlan } from './form.js';

/**
 * The editor's domain: create and edit through src/campaigns (validation and the Sandbox catalog
 * stay there), plus the editor's own settings, per-service artist ids, link-outs, manual matches,
 * artwork, duplicate and archive.
 */
export interface EditorSettings {
  themeAccent: string | null;
  themeBackground: string | null;
  languages: string[];
  artworkVersion: string | null;
  archivedAt: number | null;
}

export interface EditorState {
  settings: EditorSettings;
  artistIds: Map<string, ArtistId>;
  links: Map<string, string>;
  /** The artist's own release picks (overrides), as the URL (or URI) they gave. */
  matches: Map<string, string>;
}

export function depsOf(ctx: AppContext): CampaignDeps {
  return { db: ctx.db, now: () => ctx.now(), enabledServices: ctx.providers.enabled(), maxLeadDays: ctx.config.maxReleaseLeadDays };
}

export async function editorSettings(ctx: Pick<AppContext, 'db'>, campaignId: number): Promise<EditorSettings> {
  const row = await editorDb(ctx.db).selectFrom('campaign_editor').selectAll().where('campaign_id', '=', campaignId).executeTakeFirst();
  return {
    themeAccent: row?.theme_accent ?? null,
    themeBackground: row?.theme_background ?? null,
    languages: row ? (JSON.parse(row.languages) as string[]) : [],
    artworkVersion: row?.artwork_version ?? null,
    archivedAt: row?.archived_at === null || row?.archived_at === undefined ? null : Number(row.archived_at),
  };
}

export async function editorState(ctx: Pick<AppContext, 'db'>, campaignId: number): Promise<EditorState> {
  const db = editorDb(ctx.db);
  const ids = await db.selectFrom('campaign_artist_ids').selectAll().where('campaign_id', '=', campaignId).execute();
  const overrides = (await listMatches(ctx.db, campaignId)).filter((m) => m.overridden);
  return {
    settings: await editorSettings(ctx, campaignId),
    artistIds: new Map(ids.map((r) => [r.service, { uri: r.artist_uri, url: r.artist_url }])),
    links: new Map((await artistLinks(ctx.db, campaignId)).map((l) => [l.service, l.url])),
    matches: new Map(overrides.map((m) => [m.service, m.albumUrl ?? m.albumUri])),
  };
}

async function saveSettings(ctx: AppContext, campaignId: number, s: Partial<EditorSettings>): Promise<void> {
  const db = editorDb(ctx.db);
  const now = ctx.now();
  const set = {
    ...(s.themeAccent !== undefined ? { theme_accent: s.themeAccent } : {}),
    ...(s.themeBackground !== undefined ? { theme_background: s.themeBackground } : {}),
    ...(s.languages !== undefined ? { languages: JSON.stringify(s.languages) } : {}),
    ...(s.artworkVersion !== undefined ? { artwork_version: s.artworkVersion } : {}),
    ...(s.archivedAt !== undefined ? { archived_at: s.archivedAt } : {}),
    updated_at: now,
  };
  await db
    .insertInto('campaign_editor')
    .values({ campaign_id: campaignId, languages: '[]', ...set })
    .onConflict((oc) => oc.column('campaign_id').doUpdateSet(set))
    .execute();
}

/** Artist ids, link-outs and manual matches as planned (each service set, replaced or removed). */
async function saveExtras(ctx: AppContext, campaign: Campaign, plan: EditorPlan): Promise<void> {
  const db = editorDb(ctx.db);
  const now = ctx.now();
  const enabled = ctx.providers.enabled();
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('campaign_artist_ids').where('campaign_id', '=', campaign.id).execute();
    for (const [service, id] of plan.extras.artistIds) {
      await trx
        .insertInto('campaign_artist_ids')
        .values({ campaign_id: campaign.id, service, artist_uri: id.uri, artist_url: id.url, created_at: now })
        .execute();
    }
  });
  // Only the artist's own links are the form's: found links are kept unless a field replaces one.
  const existing = new Map((await artistLinks(ctx.db, campaign.id)).map((l) => [l.service, l.url]));
  for (const service of Object.keys(LINK_SERVICES) as LinkServiceId[]) {
    const url = plan.extras.links.get(service) ?? null;
    if (url && existing.get(service) !== url) await setCampaignLink(ctx.db, campaign.id, service, url, now);
    else if (!url && existing.has(service)) {
      await removeCampaignLink(ctx.db, campaign.id, service, now);
      await reopenLookups(ctx.db, campaign.id, now);
    }
  }
  const overrides = new Map((await listMatches(ctx.db, campaign.id)).filter((m) => m.overridden).map((m) => [m.service, m.albumUri]));
  for (const service of enabled) {
    const pick = plan.extras.matches.get(service) ?? null;
    if (pick && overrides.get(service) !== pick.albumUri) {
      const artist = plan.extras.artistIds.get(service);
      await overrideMatch(ctx.db, campaign.id, service, { ...pick, artistUris: artist ? [artist.uri] : [] }, now);
    } else if (!pick && overrides.has(service)) {
      await clearMatches(ctx.db, campaign.id, service);
    }
  }
}

/**
 * Checks the plan's per-service ids with the services (see campaigns/id-check.ts): an id a service
 * does not know is refused on its field before anything is written; what cannot be checked is
 * returned as warnings for the page.
 */
export async function checkPlanIds(ctx: AppContext, plan: EditorPlan): Promise<IdWarning[]> {
  const ids: IdToCheck[] = [
    ...[...plan.extras.artistIds].map(([service, id]) => ({ field: `artist_${service}`, service, kind: 'artist' as const, uri: id.uri })),
    ...[...plan.extras.matches]
      .filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== null)
      .map(([service, m]) => ({ field: `match_${service}`, service, kind: 'release' as const, uri: m.albumUri })),
  ];
  const { errors, warnings } = await checkServiceIds(ctx.providers, ids);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return warnings;
}

/** Stores processed artwork for a campaign and points the campaign at it (through updateCampaign). */
export async function setArtwork(ctx: AppContext, campaign: Campaign, art: ProcessedArtwork): Promise<Campaign> {
  await storeArtwork(ctx.config.dataDir, campaign.id, art);
  const updated = await atomically(ctx, async (t) => {
    const c = await updateCampaign(depsOf(t), campaign.slug, { artworkUrl: artworkUrl(campaign.id, art.version) });
    await saveSettings(t, campaign.id, { artworkVersion: art.version });
    return c;
  });
  await pruneArtwork(ctx.config.dataDir, campaign.id, art.version);
  return updated;
}

/** The slug field's problem when another campaign has it (the API answers it as 409 SLUG_TAKEN). */
export const SLUG_USED = 'is already used by another campaign';

function slugTaken(err: unknown): boolean {
  return err instanceof DropdayError && err.code === 'SLUG_TAKEN';
}

/**
 * Runs a multi-row editor write in one transaction: a campaign is saved whole (fields, workspace,
 * settings, artist ids, link-outs, matches) or not at all. `fn` gets a context whose db is the
 * transaction, and must use only that.
 */
function atomically<T>(ctx: AppContext, fn: (tctx: AppContext) => Promise<T>): Promise<T> {
  return inTransaction(ctx.db, (trx) => fn({ ...ctx, db: trx }));
}

/** Creates a campaign in a workspace from a validated plan. A taken slug is a field problem. */
export function createFromPlan(ctx: AppContext, workspaceId: number, plan: EditorPlan): Promise<Campaign> {
  return atomically(ctx, (tctx) => createFromPlanIn(tctx, workspaceId, plan));
}

async function createFromPlanIn(ctx: AppContext, workspaceId: number, plan: EditorPlan): Promise<Campaign> {
  let campaign: Campaign;
  try {
    campaign = await createCampaign(depsOf(ctx), plan.input);
  } catch (err) {
    if (slugTaken(err)) throw new ValidationError({ slug: SLUG_USED });
    throw err;
  }
  await setCampaignWorkspace(ctx.db, campaign.id, workspaceId);
  await saveSettings(ctx, campaign.id, {
    themeAccent: plan.extras.themeAccent,
    themeBackground: plan.extras.themeBackground,
    languages: plan.extras.languages,
  });
  await saveExtras(ctx, campaign, plan);
  if (plan.artwork) campaign = await setArtwork(ctx, campaign, plan.artwork);
  // The artist's forever-savers get this release too (reach/forever), with the campaign or not at all.
  await applyForeverSaves(ctx, campaign, ctx.now());
  return campaign;
}

/** Saves an edit of a campaign (already checked to belong to the workspace). */
export function updateFromPlan(ctx: AppContext, current: Campaign, plan: EditorPlan): Promise<Campaign> {
  return atomically(ctx, (tctx) => updateFromPlanIn(tctx, current, plan));
}

async function updateFromPlanIn(ctx: AppContext, current: Campaign, plan: EditorPlan): Promise<Campaign> {
  if (current.status === 'archived') throw new DropdayError('CAMPAIGN_ARCHIVED', 'This campaign is archived; it can no longer be changed.');
  let campaign: Campaign;
  try {
    campaign = await updateCampaign(depsOf(ctx), current.slug, plan.input);
  } catch (err) {
    if (slugTaken(err)) throw new ValidationError({ slug: SLUG_USED });
    throw err;
  }
  await saveSettings(ctx, campaign.id, {
    themeAccent: plan.extras.themeAccent,
    themeBackground: plan.extras.themeBackground,
    languages: plan.extras.languages,
    ...(plan.removeArtwork && !plan.artwork ? { artworkVersion: null } : {}),
  });
  await saveExtras(ctx, campaign, plan);
  if (plan.artwork) campaign = await setArtwork(ctx, campaign, plan.artwork);
  else if (plan.removeArtwork) await pruneArtwork(ctx.config.dataDir, campaign.id, null);
  return campaign;
}

/** `<slug>-copy`, or `-copy-2`, `-copy-3`… when taken. */
export async function copySlug(ctx: AppContext, slug: string): Promise<string> {
  const base = `${slug.slice(0, 52).replace(/-+$/, '')}-copy`;
  for (let i = 1; i <= 50; i++) {
    const candidate = i === 1 ? base : `${base}-${i}`;
    const row = await ctx.db.selectFrom('campaigns').select('id').where('slug', '=', candidate).executeTakeFirst();
    if (!row) return candidate;
  }
  return `${base}-${Date.now().toString(36)}`;
}

/**
 * A copy of a campaign in the same workspace with a new release time (which must be in the
 * future) and slug: every field, artist ids, link-outs, theme, languages and artwork. Pre-saves,
 * matches and numbers are not copied.
 */
export function duplicateCampaign(
  ctx: AppContext,
  workspaceId: number,
  source: Campaign,
  form: { releaseAt: string; slug: string },
): Promise<Campaign> {
  return atomically(ctx, (tctx) => duplicateCampaignIn(tctx, workspaceId, source, form));
}

async function duplicateCampaignIn(
  ctx: AppContext,
  workspaceId: number,
  source: Campaign,
  form: { releaseAt: string; slug: string },
): Promise<Campaign> {
  const errs: Record<string, string> = {};
  const slug = form.slug.trim().toLowerCase() || (await copySlug(ctx, source.slug));
  if (EDITOR_RESERVED_SLUGS.has(slug)) errs.slug = `"${slug}" is reserved`;
  if (!form.releaseAt.trim()) errs.releaseAt = 'is required: a copy needs its own release date, in the future';
  if (Object.keys(errs).length) throw new ValidationError(errs);
  const input: CampaignInput = {
    slug,
    artistName: source.artist_name,
    title: source.title,
    releaseType: source.release_type,
    upc: source.upc,
    isrcs: source.isrcs,
    releaseAt: form.releaseAt,
    timezone: source.release_timezone,
    timing: source.timing,
    services: source.services.filter((s) => ctx.providers.enabled().includes(s)),
    followArtist: source.follow_artist,
    artworkUrl: parseArtworkUrl(source.artwork_url) ? null : source.artwork_url,
  };
  let copy: Campaign;
  try {
    copy = await createCampaign(depsOf(ctx), input);
  } catch (err) {
    if (slugTaken(err)) throw new ValidationError({ slug: SLUG_USED });
    throw err;
  }
  await setCampaignWorkspace(ctx.db, copy.id, workspaceId);
  const state = await editorState(ctx, source.id);
  await saveSettings(ctx, copy.id, {
    themeAccent: state.settings.themeAccent,
    themeBackground: state.settings.themeBackground,
    languages: state.settings.languages,
  });
  const db = editorDb(ctx.db);
  const now = ctx.now();
  for (const [service, id] of state.artistIds) {
    await db
      .insertInto('campaign_artist_ids')
      .values({ campaign_id: copy.id, service, artist_uri: id.uri, artist_url: id.url, created_at: now })
      .execute();
  }
  for (const [service, url] of state.links) await setCampaignLink(ctx.db, copy.id, service, url, now);
  const art = parseArtworkUrl(source.artwork_url);
  if (art && (await copyArtwork(ctx.config.dataDir, source.id, copy.id, art.version))) {
    copy = await updateCampaign(depsOf(ctx), copy.slug, { artworkUrl: artworkUrl(copy.id, art.version) });
    await saveSettings(ctx, copy.id, { artworkVersion: art.version });
  }
  const made = await getCampaignById(ctx.db, copy.id);
  await applyForeverSaves(ctx, made, ctx.now());
  return made;
}

/**
 * Archives a campaign: its public page answers 410, and pre-saves still pending are cancelled by
 * the worker when they come up ("the campaign was archived before release").
 */
export async function archiveCampaign(ctx: AppContext, campaign: Campaign, userId: number | null): Promise<void> {
  if (campaign.status === 'archived') return;
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('campaigns').set({ status: 'archived', updated_at: now }).where('id', '=', campaign.id).execute();
    await editorDb(trx)
      .insertInto('campaign_editor')
      .values({ campaign_id: campaign.id, languages: '[]', archived_at: now, archived_by: userId, updated_at: now })
      .onConflict((oc) => oc.column('campaign_id').doUpdateSet({ archived_at: now, archived_by: userId, updated_at: now }))
      .execute();
  });
}

/**
 * Restores an archived campaign: its public page is back, and pre-saves the worker has not yet
 * cancelled are delivered as planned. Pre-saves already cancelled stay cancelled (their fans
 * were told so, and their authorizations are deleted).
 */
export async function restoreCampaign(ctx: AppContext, campaign: Campaign): Promise<void> {
  if (campaign.status !== 'archived') return;
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('campaigns').set({ status: 'active', updated_at: now }).where('id', '=', campaign.id).execute();
    await editorDb(trx)
      .updateTable('campaign_editor')
      .set({ archived_at: null, archived_by: null, updated_at: now })
      .where('campaign_id', '=', campaign.id)
      .execute();
  });
}

export async function workspaceCampaigns(ctx: AppContext, workspaceId: number): Promise<{ active: Campaign[]; archived: Campaign[] }> {
  const all = await campaignsOfWorkspace(ctx.db, workspaceId);
  return { active: all.filter((c) => c.status !== 'archived'), archived: all.filter((c) => c.status === 'archived') };
}
