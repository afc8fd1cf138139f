import type { Db } from '../../db/index.js';
import { inTransaction } from '../../db/transaction.js';
import { newSeed, type DrawEntry, type DrawWinner } from './draw.js';
import type { ContestFields } from './validate.js';

/**
 * THE ONLY WRITER of `contests` and `contest_winners` (test/growth-contest-owner.test.ts). The seed
 * is made once, with the contest, and published from that moment (`seed_published_at`): it never
 * changes afterwards, so nobody — the artist included — can pick a seed once the entries are known.
 */

/** Creates the campaign's contest (with its seed) or updates its fields; the seed stays. */
export async function saveContest(db: Db, campaignId: number, f: ContestFields, now: number): Promise<void> {
  const cols = {
    prize: f.prize,
    rules: f.rules,
    starts_at: f.startsAt,
    ends_at: f.endsAt,
    points_presave: f.pointsPresave,
    points_referral: f.pointsReferral,
    points_contact: f.pointsContact,
    method: f.method,
    winners: f.winners,
    updated_at: now,
  };
  await db
    .insertInto('contests')
    .values({ campaign_id: campaignId, ...cols, seed: newSeed(), seed_published_at: now, drawn_at: null, entries: null, created_at: now })
    .onConflict((oc) => oc.column('campaign_id').doUpdateSet(cols))
    .execute();
}

/**
 * Stores a draw: its winners (replacing an earlier draw's, for a re-draw) and the entries it ran
 * on, in one transaction, so the rules page never shows winners without the list to check them.
 */
export async function recordDraw(
  db: Db,
  campaignId: number,
  entries: readonly DrawEntry[],
  winners: readonly DrawWinner[],
  now: number,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('contest_winners').where('campaign_id', '=', campaignId).execute();
    if (winners.length)
      await trx
        .insertInto('contest_winners')
        .values(winners.map((w) => ({ campaign_id: campaignId, position: w.position, code: w.code, points: w.points, drawn_at: now })))
        .execute();
    await trx
      .updateTable('contests')
      .set({ drawn_at: now, entries: JSON.stringify(entries.map((e) => [e.code, e.points])), updated_at: now })
      .where('campaign_id', '=', campaignId)
      .execute();
  });
}
