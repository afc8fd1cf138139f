import type { Db } from '../../db/index.js';
import type { ReferralDecision } from '../../db/schema-growth.js';
import { referralVerdict, type ReferralState } from './state.js';

/** One referral as the artist's view lists it (web/growth/referral-artist.ts, the CSV, the CLI). */
export interface ReferralListing {
  id: number;
  /** The referrer's code and the name they chose to show on the leaderboard (null: none chosen). */
  code: string;
  referrerName: string | null;
  /** The artist hid that name from the public leaderboard. */
  nameHidden: boolean;
  /** The referred pre-save. */
  presaveId: number;
  decision: ReferralDecision;
  state: ReferralState;
  /** A growth/referrals/words.ts code: why held or not (yet) counted; null when counted. */
  reason: string | null;
  createdAt: number;
}

/** Every referral of a campaign, oldest first, with its state derived by referralVerdict. */
export async function listReferrals(db: Db, campaignId: number): Promise<ReferralListing[]> {
  const rows = await db
    .selectFrom('referrals')
    .innerJoin('referral_codes', 'referral_codes.code', 'referrals.code')
    .innerJoin('presaves', 'presaves.id', 'referrals.presave_id')
    .select([
      'referrals.id',
      'referrals.code',
      'referral_codes.display_name',
      'referral_codes.name_hidden',
      'referrals.presave_id',
      'referrals.decision',
      'referrals.reason',
      'referrals.created_at',
      'presaves.status',
    ])
    .where('referrals.campaign_id', '=', campaignId)
    .orderBy('referrals.created_at')
    .orderBy('referrals.id')
    .execute();
  return rows.map((r) => {
    const v = referralVerdict(r.decision, r.reason, r.status);
    return {
      id: Number(r.id),
      code: r.code,
      referrerName: r.display_name,
      nameHidden: r.name_hidden === 1,
      presaveId: Number(r.presave_id),
      decision: r.decision,
      state: v.state,
      reason: v.reason,
      createdAt: Number(r.created_at),
    };
  });
}
