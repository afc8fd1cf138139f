import { sql } from 'kysely';
import { toCampaign, type Campaign } from '../../campaigns/repo.js';
import type { Db } from '../../db/index.js';
import { decodeCursor, pageOf } from '../pagination.js';

export interface CampaignListQuery {
  limit: number;
  cursor?: string | undefined;
  status?: 'active' | 'archived' | undefined;
  q?: string | undefined;
}

/** `%`, `_` and `\` in a search are themselves, not patterns. */
const likePattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * A workspace's campaigns, latest release first (as the editor's list), in cursor pages keyed by
 * (first release, id): a campaign made or moved while a client pages never makes a page repeat one.
 */
export async function campaignPage(
  db: Db,
  workspaceId: number,
  query: CampaignListQuery,
): Promise<{ rows: Campaign[]; next_cursor: string | null }> {
  const after = decodeCursor(query.cursor);
  let q = db.selectFrom('campaigns').selectAll().where('workspace_id', '=', workspaceId);
  if (query.status) q = q.where('status', '=', query.status);
  if (query.q?.trim()) {
    const p = likePattern(query.q.trim());
    q = q.where(sql<boolean>`(lower(title) like ${p} escape '\\' or lower(artist_name) like ${p} escape '\\')`);
  }
  if (after) {
    const k = Number(after.k);
    q = q.where((eb) => eb.or([eb('first_release_at', '<', k), eb.and([eb('first_release_at', '=', k), eb('id', '<', after.id)])]));
  }
  const rows = await q
    .orderBy('first_release_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = pageOf(rows.map(toCampaign), query.limit, (c) => ({ k: Number(c.first_release_at), id: c.id }));
  return page;
}
