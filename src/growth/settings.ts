import type { Db } from '../db/index.js';

/**
 * THE ONLY WRITER of `growth_settings`: per-campaign growth settings a public page shows (the
 * page-version triggers of migration 022 carry a change to the page cache).
 */
export async function leaderboardPublic(db: Db, campaignId: number): Promise<boolean> {
  const row = await db.selectFrom('growth_settings').select('leaderboard_public').where('campaign_id', '=', campaignId).executeTakeFirst();
  return Number(row?.leaderboard_public ?? 0) === 1;
}

export async function setLeaderboardPublic(db: Db, campaignId: number, on: boolean, now: number): Promise<void> {
  await db
    .insertInto('growth_settings')
    .values({ campaign_id: campaignId, leaderboard_public: on ? 1 : 0, updated_at: now })
    .onConflict((oc) => oc.column('campaign_id').doUpdateSet({ leaderboard_public: on ? 1 : 0, updated_at: now }))
    .execute();
}
