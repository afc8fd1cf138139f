import type { Db } from '../../db/index.js';

/**
 * Whose contact an address is: the artist's workspace (`w:<id>`), so one confirmation covers every
 * campaign of that workspace, or the campaign itself (`c:<id>`) when it was made from the CLI and
 * has no workspace. Two workspaces never share a contact: each artist's list is their own.
 */
export async function audienceOf(db: Db, campaignId: number): Promise<string> {
  const row = await db.selectFrom('campaigns').select('workspace_id').where('id', '=', campaignId).executeTakeFirst();
  return row?.workspace_id != null ? `w:${row.workspace_id}` : `c:${campaignId}`;
}
