import type { Db } from '../../db/index.js';
import type { ReferralDecision } from '../../db/schema-growth.js';

/**
 * Whether a referral counts — derived, never stored: what was decided when it arrived (or the
 * artist's answer to a held one), then the referred pre-save's status. A pre-save is `saved` only
 * once the save was verified in the fan's library (presaves/lifecycle), so "counted" means a save
 * that really landed; before release the referral is pending verification.
 */
export type ReferralState = 'counted' | 'pending' | 'held' | 'not_counted';

export interface ReferralVerdict {
  state: ReferralState;
  /** Why (a code growth/referrals/words.ts puts in words): for every state but counted. */
  reason: string | null;
}

export function referralVerdict(decision: ReferralDecision, reason: string | null, presaveStatus: string): ReferralVerdict {
  if (decision === 'excluded') return { state: 'not_counted', reason };
  if (decision === 'rejected') return { state: 'not_counted', reason: 'rejected_by_artist' };
  if (decision === 'held') return { state: 'held', reason };
  if (presaveStatus === 'saved') return { state: 'counted', reason: null };
  if (presaveStatus === 'pending') return { state: 'pending', reason: 'pending_verification' };
  if (presaveStatus === 'cancelled') return { state: 'not_counted', reason: 'cancelled' };
  return { state: 'not_counted', reason: 'save_failed' };
}

/** One referral link's standing in its campaign. */
export interface Standing {
  code: string;
  presaveId: number | null;
  contactId: number | null;
  displayName: string | null;
  nameHidden: boolean;
  visits: number;
  counted: number;
  pending: number;
  held: number;
  notCounted: number;
  createdAt: number;
  /** 1-based; equal counts share a rank. */
  rank: number;
}

/**
 * Every referral link of a campaign with its counts, ranked: counted referrals first, then the
 * ones pending verification (before release nothing is counted yet), equal standings share a rank.
 * Links nobody came through are included (rank after the others).
 */
export async function referralStandings(db: Db, campaignId: number): Promise<Standing[]> {
  const codes = await db
    .selectFrom('referral_codes')
    .select(['code', 'presave_id', 'contact_id', 'display_name', 'name_hidden', 'visits', 'created_at'])
    .where('campaign_id', '=', campaignId)
    .execute();
  const rows = await db
    .selectFrom('referrals')
    .innerJoin('presaves', 'presaves.id', 'referrals.presave_id')
    .select(['referrals.code', 'referrals.decision', 'referrals.reason', 'presaves.status'])
    .where('referrals.campaign_id', '=', campaignId)
    .execute();
  const by = new Map<string, Standing>();
  for (const c of codes) {
    by.set(c.code, {
      code: c.code,
      presaveId: c.presave_id,
      contactId: c.contact_id,
      displayName: c.display_name,
      nameHidden: c.name_hidden === 1,
      visits: Number(c.visits),
      counted: 0,
      pending: 0,
      held: 0,
      notCounted: 0,
      createdAt: c.created_at,
      rank: 0,
    });
  }
  for (const r of rows) {
    const s = by.get(r.code);
    if (!s) continue;
    const v = referralVerdict(r.decision, r.reason, r.status);
    if (v.state === 'counted') s.counted++;
    else if (v.state === 'pending') s.pending++;
    else if (v.state === 'held') s.held++;
    else s.notCounted++;
  }
  const list = [...by.values()].sort(
    (a, b) => b.counted - a.counted || b.pending - a.pending || a.createdAt - b.createdAt || (a.code < b.code ? -1 : 1),
  );
  let rank = 0;
  list.forEach((s, i) => {
    const prev = list[i - 1];
    rank = prev && prev.counted === s.counted && prev.pending === s.pending ? rank : i + 1;
    s.rank = rank;
  });
  return list;
}
