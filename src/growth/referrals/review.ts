import type { Db } from '../../db/index.js';
import { referralVerdict, type ReferralState } from './state.js';
import { forgetBoard } from './standing.js';
import { referralReasonWords } from './words.js';

/**
 * The artist's side of referrals (docs/referrals-artist.md): the referrals that do not count (held
 * for review, or not counted with their reason), the answer to a held one, and hiding a
 * referrer's name from the public pages. Approving or rejecting changes only a `held` referral, in
 * one statement, so two editors answering at once cannot flip an answer already given.
 */
export interface ReviewRow {
  id: number;
  code: string;
  /** The referrer's chosen name (null: none chosen). */
  referrer: string | null;
  state: Exclude<ReferralState, 'counted' | 'pending'>;
  reason: string | null;
  words: string;
  createdAt: number;
}

/** Held and not-counted referrals of a campaign, newest first (at most `limit`). */
export async function referralsForReview(db: Db, campaignId: number, limit = 200): Promise<ReviewRow[]> {
  const rows = await db
    .selectFrom('referrals as f')
    .innerJoin('presaves as p', 'p.id', 'f.presave_id')
    .innerJoin('referral_codes as r', 'r.code', 'f.code')
    .select(['f.id', 'f.code', 'f.decision', 'f.reason', 'f.created_at', 'p.status', 'r.display_name'])
    .where('f.campaign_id', '=', campaignId)
    .orderBy('f.created_at', 'desc')
    .orderBy('f.id', 'desc')
    .execute();
  const out: ReviewRow[] = [];
  for (const r of rows) {
    const v = referralVerdict(r.decision, r.reason, r.status);
    if (v.state !== 'held' && v.state !== 'not_counted') continue;
    out.push({
      id: Number(r.id),
      code: r.code,
      referrer: r.display_name,
      state: v.state,
      reason: v.reason,
      words: referralReasonWords(v.reason),
      createdAt: Number(r.created_at),
    });
    if (out.length >= limit) break;
  }
  return out;
}

/** The artist's answer to a held referral. False when it is not (or no longer) held in this campaign. */
export async function answerHeldReferral(
  db: Db,
  campaignId: number,
  id: number,
  answer: 'approved' | 'rejected',
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('referrals')
    .set({ decision: answer, decided_at: now })
    .where('id', '=', id)
    .where('campaign_id', '=', campaignId)
    .where('decision', '=', 'held')
    .executeTakeFirst();
  forgetBoard(db, campaignId);
  return Number(r.numUpdatedRows) === 1;
}

/** Hides (or shows again) a referrer's name on the public pages. False when the code is not this campaign's. */
export async function setNameHidden(db: Db, campaignId: number, code: string, hidden: boolean): Promise<boolean> {
  const r = await db
    .updateTable('referral_codes')
    .set({ name_hidden: hidden ? 1 : 0 })
    .where('code', '=', code)
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
