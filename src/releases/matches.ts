import type { Db } from '../db/index.js';
import type { ResolvedRelease } from '../providers/types.js';
import { inTransaction } from '../db/transaction.js';

/**
 * What each campaign's release was matched to on each service, per market (a store-turn release
 * goes live market by market, and catalogs differ between countries). One lookup serves every fan
 * of that market. Not-found is never stored: the next attempt looks again. An artist's override
 * (market '') wins over every lookup.
 */
const ANY_MARKET = '';

export interface Match extends ResolvedRelease {
  service: string;
  market: string;
  overridden: boolean;
  resolvedAt: number;
}

type Row = {
  service: string;
  market: string;
  album_uri: string;
  artist_uris: string;
  album_url: string | null;
  title: string | null;
  matched_by: string;
  overridden: number;
  resolved_at: number;
};

function toMatch(r: Row): Match {
  return {
    service: r.service,
    market: r.market,
    albumUri: r.album_uri,
    albumUrl: r.album_url,
    artistUris: JSON.parse(r.artist_uris) as string[],
    title: r.title ?? '',
    matchedBy: r.matched_by as Match['matchedBy'],
    overridden: r.overridden === 1,
    resolvedAt: r.resolved_at,
  };
}

export async function findMatch(db: Db, campaignId: number, service: string, market: string | null): Promise<Match | null> {
  const rows = await db
    .selectFrom('release_matches')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('service', '=', service)
    .where('market', 'in', market ? [ANY_MARKET, market] : [ANY_MARKET])
    .execute();
  const pick = rows.find((r) => r.overridden === 1) ?? rows.find((r) => r.market === (market ?? ANY_MARKET)) ?? null;
  return pick ? toMatch(pick) : null;
}

export async function storeMatch(
  db: Db,
  campaignId: number,
  service: string,
  market: string | null,
  r: ResolvedRelease,
  now: number,
): Promise<void> {
  await db
    .insertInto('release_matches')
    .values({
      campaign_id: campaignId,
      service,
      market: market ?? ANY_MARKET,
      album_uri: r.albumUri,
      album_url: r.albumUrl,
      artist_uris: JSON.stringify(r.artistUris),
      title: r.title || null,
      matched_by: r.matchedBy,
      overridden: 0,
      resolved_at: now,
    })
    .onConflict((oc) => oc.columns(['campaign_id', 'service', 'market']).doNothing())
    .execute();
}

/** The artist says which release it is: used for every market from now on. */
export async function overrideMatch(
  db: Db,
  campaignId: number,
  service: string,
  r: { albumUri: string; albumUrl: string | null; artistUris: string[] },
  now: number,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('release_matches').where('campaign_id', '=', campaignId).where('service', '=', service).execute();
    await trx
      .insertInto('release_matches')
      .values({
        campaign_id: campaignId,
        service,
        market: ANY_MARKET,
        album_uri: r.albumUri,
        album_url: r.albumUrl,
        artist_uris: JSON.stringify(r.artistUris),
        title: null,
        matched_by: 'override',
        overridden: 1,
        resolved_at: now,
      })
      .execute();
  });
}

/** Forgets matches (or one service's) so the next attempt looks the release up again. */
export async function clearMatches(db: Db, campaignId: number, service?: string): Promise<number> {
  let q = db.deleteFrom('release_matches').where('campaign_id', '=', campaignId);
  if (service) q = q.where('service', '=', service);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}

export async function listMatches(db: Db, campaignId: number): Promise<Match[]> {
  const rows = await db
    .selectFrom('release_matches')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .orderBy('service')
    .orderBy('market')
    .execute();
  return rows.map(toMatch);
}
