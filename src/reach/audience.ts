import { workspaceIdOfCampaign } from '../accounts/campaigns.js';
import type { Db } from '../db/index.js';

/**
 * Whose fans a row belongs to — the `audience` column of contacts, push_subscriptions and
 * forever_saves. A campaign's fans are its workspace's (`w:<workspace id>`): one confirmation
 * covers every campaign of that artist's workspace, and two workspaces never share a contact. A
 * campaign made from the CLI has no workspace and is its own audience (`c:<campaign id>`), which
 * no later campaign shares.
 */
export function audienceOf(campaign: { id: number; workspace_id?: number | null }): string {
  return campaign.workspace_id != null ? workspaceAudience(campaign.workspace_id) : `c:${campaign.id}`;
}

/** A workspace's audience (every campaign of the workspace shares it). */
export function workspaceAudience(workspaceId: number): string {
  return `w:${workspaceId}`;
}

/** {@link audienceOf} for a campaign known by id only (its workspace is read). */
export async function audienceOfCampaign(db: Db, campaignId: number): Promise<string> {
  return audienceOf({ id: campaignId, workspace_id: await workspaceIdOfCampaign(db, campaignId) });
}

/**
 * Who "the same artist" is for forever save, beside the same audience: the artist's name folded —
 * NFKC, lower case, trimmed, inner whitespace collapsed — so "Nova  Lake" and "nova lake" are one
 * artist, and a full-width name matches its ASCII twin.
 */
export function artistKey(artistName: string): string {
  return artistName.normalize('NFKC').toLowerCase().trim().replace(/\s+/gu, ' ');
}
