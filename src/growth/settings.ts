import type { Db } from '../db/index.js';

/**
 * Per-campaign growth settings (`growth_settings`; this file is its only writer). A change reaches
 * the cached campaign page through the page-version triggers of migration 022.
 */

/** Whether /{slug}/leaderboard is public (off until the artist turns it on on the Growth page). */
export async function leaderboardPublic(db: Db, campaignId: number): Promise<boolean> {
  const row = await db.selectFrom('growth_settings').select('leaderboard_public').where('campaign_id', '=', campaignId).executeTakeFirst();
  return row?.leaderboard_public === 1;
}

export async function setLeaderboardPublic(db: Db, campaignId: number, on: boolean, now: number): Promise<void> {
  await db
    .insertInto('growth_settings')
    .values({ campaign_id: campaignId, leaderboard_public: on ? 1 : 0, updated_at: now })
    .onConflict((oc) => oc.column('campaign_id').doUpdateSet({ leaderboard_public: on ? 1 : 0, updated_at: now }))
    .execute();
}
