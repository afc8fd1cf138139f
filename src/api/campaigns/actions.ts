import { assertCampaignInWorkspace } from '../../accounts/campaigns.js';
import type { Campaign } from '../../campaigns/repo.js';
import type { CampaignInput } from '../../campaigns/validate.js';
import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/transaction.js';
import { checkCampaignInput, noExtras, type EditorExtras, type EditorPlan } from '../../editor/form.js';
import { archiveCampaign, createFromPlan, duplicateCampaign, editorState, restoreCampaign, updateFromPlan } from '../../editor/service.js';
import { listMatches } from '../../releases/matches.js';
import type { LinkServiceId } from '../../providers/services.js';

/**
 * The API's campaign writes go through the editor's own service (src/editor/service.ts), so a
 * campaign made or changed here is checked and stored exactly as one saved in the editor: the same
 * validation, the same archived rule, the workspace, the forever-savers fan-out. The API changes
 * only a campaign's fields; what the editor also keeps (theme, languages, artist ids, link-outs,
 * release picks) is carried over as it is — link-outs and matches have their own routes.
 */
function planOf(ctx: AppContext, input: CampaignInput, extras: EditorExtras, current?: Campaign): EditorPlan {
  const opts = { now: ctx.now(), enabledServices: ctx.providers.enabled(), maxLeadDays: ctx.config.maxReleaseLeadDays };
  const fields = checkCampaignInput(input, current ? { ...opts, current } : opts);
  return { input, fields, extras, artwork: null, removeArtwork: false };
}

/** What the editor keeps for a campaign, as a plan's extras that change nothing. */
async function keptExtras(ctx: AppContext, c: Campaign): Promise<EditorExtras> {
  const state = await editorState(ctx, c.id);
  const overrides = (await listMatches(ctx.db, c.id)).filter((m) => m.overridden);
  return {
    themeAccent: state.settings.themeAccent,
    themeBackground: state.settings.themeBackground,
    languages: state.settings.languages,
    artistIds: state.artistIds,
    links: new Map([...state.links].map(([s, url]) => [s as LinkServiceId, url])),
    matches: new Map(overrides.map((m) => [m.service, { albumUri: m.albumUri, albumUrl: m.albumUrl }])),
  };
}

export function createApiCampaign(ctx: AppContext, workspaceId: number, input: CampaignInput): Promise<Campaign> {
  return createFromPlan(ctx, workspaceId, planOf(ctx, input, noExtras()));
}

export async function updateApiCampaign(ctx: AppContext, current: Campaign, input: CampaignInput): Promise<Campaign> {
  return updateFromPlan(ctx, current, planOf(ctx, input, await keptExtras(ctx, current), current));
}

/** The editor's duplicate (every field, artist ids, links, theme, artwork), then the new title if one is given: both or neither. */
export function duplicateApiCampaign(
  ctx: AppContext,
  workspaceId: number,
  source: Campaign,
  body: { slug: string; release_at: string; title?: string | undefined },
): Promise<Campaign> {
  return inTransaction(ctx.db, async (trx) => {
    const tctx = { ...ctx, db: trx };
    const copy = await duplicateCampaign(tctx, workspaceId, source, { slug: body.slug, releaseAt: body.release_at });
    return body.title === undefined ? copy : updateApiCampaign(tctx, copy, { title: body.title });
  });
}

/** Archives (or restores) as the editor does, and answers the campaign as it now is. */
export async function setArchived(ctx: AppContext, workspaceId: number, c: Campaign, archived: boolean, userId: number | null) {
  if (archived) await archiveCampaign(ctx, c, userId);
  else await restoreCampaign(ctx, c);
  return assertCampaignInWorkspace(ctx.db, workspaceId, { id: c.id });
}
