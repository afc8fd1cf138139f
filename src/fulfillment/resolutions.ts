import type { Db } from '../db/index.js';
import type { ResolvedRelease } from '../providers/types.js';

/**
 * A release found on a service is remembered per campaign, so a million fans cost one lookup,
 * not a million. Not-found is never cached: the next attempt looks again.
 */
export async function cachedResolution(db: Db, campaignId: number, service: string): Promise<ResolvedRelease | null> {
  const row = await db
    .selectFrom('release_resolutions')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('service', '=', service)
    .executeTakeFirst();
  if (!row) return null;
  return {
    albumUri: row.album_uri,
    albumUrl: row.album_url,
    artistUris: JSON.parse(row.artist_uris) as string[],
    title: '',
    matchedBy: 'upc',
  };
}

export async function storeResolution(db: Db, campaignId: number, service: string, r: ResolvedRelease, now: number): Promise<void> {
  await db
    .insertInto('release_resolutions')
    .values({
      campaign_id: campaignId,
      service,
      album_uri: r.albumUri,
      album_url: r.albumUrl,
      artist_uris: JSON.stringify(r.artistUris),
      resolved_at: now,
    })
    .onConflict((oc) => oc.columns(['campaign_id', 'service']).doNothing())
    .execute();
}

export async function resolutionsFor(db: Db, campaignId: number) {
  return db.selectFrom('release_resolutions').selectAll().where('campaign_id', '=', campaignId).execute();
}
