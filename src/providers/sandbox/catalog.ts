import type { Db } from '../../db/index.js';
import { base62Id } from '../../util/random.js';

/**
 * The Sandbox's catalog: what a distributor would deliver to a real service. A campaign that
 * offers the Sandbox registers its release here; it becomes findable when `live_at` passes.
 */
export async function registerSandboxRelease(
  db: Db,
  campaign: {
    id: number;
    artist_name: string;
    title: string;
    release_type: string;
    upc: string | null;
    isrcs: string[];
    first_release_at: number;
  },
  now: number,
): Promise<string> {
  const artistId = await ensureArtist(db, campaign.artist_name);
  const existing = await db.selectFrom('sandbox_releases').select('id').where('campaign_id', '=', campaign.id).executeTakeFirst();
  const values = {
    title: campaign.title,
    artist_id: artistId,
    release_type: campaign.release_type,
    upc: campaign.upc,
    isrcs: JSON.stringify(campaign.isrcs),
    live_at: campaign.first_release_at,
  };
  if (existing) {
    await db.updateTable('sandbox_releases').set(values).where('id', '=', existing.id).execute();
    return existing.id;
  }
  const id = base62Id();
  await db
    .insertInto('sandbox_releases')
    .values({ id, campaign_id: campaign.id, created_at: now, ...values })
    .execute();
  return id;
}

async function ensureArtist(db: Db, name: string): Promise<string> {
  const found = await db.selectFrom('sandbox_artists').select('id').where('name', '=', name).executeTakeFirst();
  if (found) return found.id;
  const id = base62Id();
  await db
    .insertInto('sandbox_artists')
    .values({ id, name })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('sandbox_artists').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return row.id;
}
