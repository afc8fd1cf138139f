import type { Db } from '../../db/index.js';
import type { PresaveRow } from '../../presaves/repo.js';
import { referralVerdict } from '../referrals/state.js';
import type { VaultItem } from './items.js';

/**
 * Whether a fan's receipt qualifies for a vault item, by its unlock rule:
 * - `presave`: the pre-save stands — pending or saved (its grant is stored);
 * - `contact`: a confirmed, not withdrawn consent to be reminded or to get news (an email
 *   address confirmed by its owner, or this browser's push permission) given on this pre-save;
 * - `referrals`: the fan's own referral link (`referral_codes.presave_id`) has at least N
 *   counted referrals — verified in the referred fans' libraries (growth/referrals/state.ts);
 * - `release`: the pre-save's release moment (`due_at`, in the fan's zone for local releases) has come.
 * A cancelled pre-save qualifies for nothing: the vault rewards pre-savers, and a fan who withdrew
 * is not one any more (their link, consent or counted referrals stay in the database).
 * Also THE ONLY WRITER of `vault_unlocks`: the first time a receipt shows an item unlocked.
 */
export interface FanStanding {
  presave: boolean;
  contact: boolean;
  /** Counted referrals of the fan's link (0 when they have none, or none is asked). */
  referrals: number;
  released: boolean;
  /** The fan cancelled their pre-save. */
  cancelled: boolean;
}

export async function fanStanding(db: Db, presave: PresaveRow, items: readonly VaultItem[], now: number): Promise<FanStanding> {
  const needs = new Set(items.map((i) => i.unlock));
  const [contact, referrals] = await Promise.all([
    needs.has('contact') ? standingContact(db, presave.id) : false,
    needs.has('referrals') ? countedReferrals(db, presave.id) : 0,
  ]);
  return {
    presave: presave.status === 'pending' || presave.status === 'saved',
    contact,
    referrals,
    released: now >= presave.due_at,
    cancelled: presave.status === 'cancelled',
  };
}

export function qualifies(item: Pick<VaultItem, 'unlock' | 'unlock_referrals'>, s: FanStanding): boolean {
  if (s.cancelled) return false;
  switch (item.unlock) {
    case 'presave':
      return s.presave;
    case 'contact':
      return s.contact;
    case 'referrals':
      return s.referrals >= Math.max(1, item.unlock_referrals);
    case 'release':
      return s.released;
  }
}

async function standingContact(db: Db, presaveId: number): Promise<boolean> {
  const row = await db
    .selectFrom('consents')
    .select('id')
    .where('presave_id', '=', presaveId)
    .where('purpose', 'in', ['remind', 'news'])
    .where('confirmed_at', 'is not', null)
    .where('withdrawn_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The same rule as the leaderboard's (referralVerdict), for this one fan's link. */
async function countedReferrals(db: Db, presaveId: number): Promise<number> {
  const rows = await db
    .selectFrom('referral_codes as rc')
    .innerJoin('referrals as r', 'r.code', 'rc.code')
    .innerJoin('presaves as p', 'p.id', 'r.presave_id')
    .select(['r.decision', 'r.reason', 'p.status'])
    .where('rc.presave_id', '=', presaveId)
    .execute();
  return rows.filter((r) => referralVerdict(r.decision, r.reason, r.status).state === 'counted').length;
}

/** Records the first showing of each item unlocked for this receipt (later showings change nothing). */
export async function recordUnlocks(db: Db, itemIds: readonly number[], presaveId: number, now: number): Promise<void> {
  if (itemIds.length === 0) return;
  await db
    .insertInto('vault_unlocks')
    .values(itemIds.map((item_id) => ({ item_id, presave_id: presaveId, at: now })))
    .onConflict((oc) => oc.columns(['item_id', 'presave_id']).doNothing())
    .execute();
}
