import { assertCampaignInWorkspace } from '../accounts/campaigns.js';
import type { Campaign } from '../campaigns/repo.js';
import type { AppContext } from '../context.js';
import { DropdayError } from '../errors.js';
import type { ApiKey } from './keys/store.js';

/**
 * The campaign a `/campaigns/{slug}/…` route means, for this key's workspace only. Another
 * workspace's campaign and an unknown slug answer the same 404 (CAMPAIGN_NOT_FOUND), so an address
 * never reveals what other workspaces have — as on the dashboard (accounts/campaigns.ts).
 *
 * Reports read archived campaigns too (their numbers stay true after archiving); actions pass
 * `{ archived: false }`: re-driving or resuming an archived campaign would only queue pre-saves
 * the engine then cancels, so it is refused with 410 CAMPAIGN_ARCHIVED, as the dashboard refuses it.
 * (Edits use accounts/campaigns.ts changeableCampaignInWorkspace, as the editor does.)
 */
export async function campaignOfKey(
  ctx: Pick<AppContext, 'db'>,
  key: Pick<ApiKey, 'workspaceId'>,
  slug: string,
  opts: { archived?: boolean } = {},
): Promise<Campaign> {
  const campaign = await assertCampaignInWorkspace(ctx.db, key.workspaceId, { slug });
  if (campaign.status === 'archived' && opts.archived === false)
    throw new DropdayError('CAMPAIGN_ARCHIVED', 'This campaign is archived: restore it in the editor before retrying or resuming.');
  return campaign;
}
