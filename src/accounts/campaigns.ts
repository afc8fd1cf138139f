import { toCampaign, type Campaign } from '../campaigns/repo.js';
import type { Db } from '../db/index.js';
import { DropdayError } from '../errors.js';

/**
 * Which campaigns a workspace owns. Campaigns made from the CLI have no workspace and are seen by
 * instance admins only. A campaign outside the workspace answers "not found", never "forbidden",
 * so addresses do not reveal what other workspaces have.
 */
export async function campaignsOfWorkspace(db: Db, workspaceId: number): Promise<Campaign[]> {
  const rows = await db
    .selectFrom('campaigns')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('first_release_at', 'desc')
    .execute();
  return rows.map(toCampaign);
}

/** Campaigns without a workspace (made from the CLI, or left by a deleted workspace). */
export async function operatorCampaigns(db: Db): Promise<Campaign[]> {
  const rows = await db.selectFrom('campaigns').selectAll().where('workspace_id', 'is', null).orderBy('first_release_at', 'desc').execute();
  return rows.map(toCampaign);
}

/** The campaign, if it belongs to the workspace; otherwise CAMPAIGN_NOT_FOUND (404). */
export async function assertCampaignInWorkspace(db: Db, workspaceId: number, ref: { slug: string } | { id: number }): Promise<Campaign> {
  let q = db.selectFrom('campaigns').selectAll().where('workspace_id', '=', workspaceId);
  q = 'slug' in ref ? q.where('slug', '=', ref.slug.toLowerCase()) : q.where('id', '=', ref.id);
  const row = await q.executeTakeFirst();
  if (!row) throw new DropdayError('CAMPAIGN_NOT_FOUND');
  return toCampaign(row);
}

/** As assertCampaignInWorkspace, for a change: an archived campaign is refused (410), as the editor refuses it. */
export async function changeableCampaignInWorkspace(
  db: Db,
  workspaceId: number,
  ref: { slug: string } | { id: number },
): Promise<Campaign> {
  const campaign = await assertCampaignInWorkspace(db, workspaceId, ref);
  if (campaign.status === 'archived')
    throw new DropdayError('CAMPAIGN_ARCHIVED', 'This campaign is archived; it can no longer be changed.');
  return campaign;
}

/** Puts a campaign in a workspace (or back with the operators, with null). */
export async function setCampaignWorkspace(db: Db, campaignId: number, workspaceId: number | null): Promise<void> {
  const r = await db.updateTable('campaigns').set({ workspace_id: workspaceId }).where('id', '=', campaignId).executeTakeFirst();
  if (!Number(r.numUpdatedRows)) throw new DropdayError('CAMPAIGN_NOT_FOUND');
}

/** The workspace a campaign belongs to (null: operators only). */
export async function workspaceIdOfCampaign(db: Db, campaignId: number): Promise<number | null> {
  const row = await db.selectFrom('campaigns').select('workspace_id').where('id', '=', campaignId).executeTakeFirst();
  if (!row) throw new DropdayError('CAMPAIGN_NOT_FOUND');
  return row.workspace_id === null ? null : Number(row.workspace_id);
}
