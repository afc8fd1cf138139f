import type { AppContext } from '../context.js';
import type { Mailer } from '../mail/index.js';
import { serviceName } from '../providers/services.js';
import { markPauseNotified, pauseCampaignService } from './pauses.js';

/**
 * Pausing a campaign on a service, and telling people: the engine calls this when a service
 * refuses what the artist configured (see fulfillment/process.ts). Only the call that actually
 * paused the pair logs it and mails the workspace's editors (once: `markPauseNotified`), so a
 * thousand fans hitting the same wrong id make one notice.
 */
export interface PauseRequest {
  campaignId: number;
  service: string;
  code: string;
  message: string;
  /** The service's own words, for the details line. Never a token or a fan's data. */
  detail: string;
}

/** Where an editor sees the banner and resumes: the campaign's dashboard. */
export function dashboardUrl(publicUrl: string, workspaceSlug: string, campaignSlug: string): string {
  return `${publicUrl.replace(/\/$/, '')}/w/${encodeURIComponent(workspaceSlug)}/campaigns/${encodeURIComponent(campaignSlug)}`;
}

export async function pauseAndNotify(ctx: AppContext, mailer: Mailer | undefined, p: PauseRequest): Promise<boolean> {
  const paused = await pauseCampaignService(ctx.db, p, ctx.now());
  if (!paused) return false;
  const campaign = await ctx.db
    .selectFrom('campaigns')
    .leftJoin('workspaces', 'workspaces.id', 'campaigns.workspace_id')
    .select(['campaigns.slug', 'campaigns.artist_name', 'campaigns.title', 'campaigns.workspace_id', 'workspaces.slug as workspace_slug'])
    .where('campaigns.id', '=', p.campaignId)
    .executeTakeFirst();
  if (!campaign) return true;
  const name = serviceName(p.service);
  ctx.log.warn(
    { campaign: campaign.slug, service: p.service, code: p.code, detail: p.detail },
    `campaign ${campaign.slug} paused on ${name}: ${p.message}`,
  );
  if (!mailer || mailer.kind !== 'smtp' || campaign.workspace_id === null || !campaign.workspace_slug) return true;
  const editors = await ctx.db
    .selectFrom('workspace_members')
    .innerJoin('users', 'users.id', 'workspace_members.user_id')
    .select('users.email')
    .where('workspace_members.workspace_id', '=', Number(campaign.workspace_id))
    .where('workspace_members.role', 'in', ['editor', 'admin', 'owner'])
    .execute();
  const link = dashboardUrl(ctx.config.publicUrl, campaign.workspace_slug, campaign.slug);
  const subject = `Action needed: “${campaign.title}” is paused on ${name}`;
  const text = [
    `Pre-saves of “${campaign.title}” by ${campaign.artist_name} are paused on ${name}.`,
    '',
    `What to fix: ${p.message}`,
    '',
    `Fix it in the campaign editor, then press Resume on the campaign's dashboard:`,
    link,
    '',
    `${name} said: ${p.detail}`,
  ].join('\n');
  try {
    for (const e of editors) await mailer.send({ to: e.email, subject, text, link });
    await markPauseNotified(ctx.db, p.campaignId, p.service, ctx.now());
  } catch (err) {
    ctx.log.warn({ err: (err as Error).message, campaign: campaign.slug }, 'could not mail the pause notice to the editors');
  }
  return true;
}
