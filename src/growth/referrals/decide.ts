import type { Db } from '../../db/index.js';
import type { ReferralDecision } from '../../db/schema-growth.js';
import type { GrowthConfig } from '../config.js';
import { lockCode } from './codes.js';
import type { FanKeys } from './fan-keys.js';
import { forgetBoard } from './standing.js';
import type { ReferralReason } from './words.js';

/**
 * A pre-save that arrived through a referral link, decided once, when it is stored (in the
 * pre-save's transaction: web/routes/connect.ts storePresave). The rules, in this order — the
 * first that applies decides (docs/referrals.md has each with its setting):
 *
 * 1. excluded/self_referral   the referred account, browser or device profile is the link owner's;
 * 2. excluded/already_presaved the fan had pre-saved before (recordPresave added nothing);
 * 3. excluded/same_account    this provider account already brought a referral in this campaign;
 * 4. excluded/same_browser    this browser already brought one in this campaign;
 * 5. held/hourly_cap          the referrer already has REFERRAL_CAP_PER_HOUR in the last hour;
 * 6. held/burst_device|burst_network  with this one, more than REFERRAL_BURST_PER_DEVICE (…_NETWORK)
 *    of the referrer's referrals share a device profile (network) within the burst window: this one
 *    and the burst's earlier `ok` ones whose save is still pending (not counted yet) are held;
 * 7. ok — counts once the save is verified in the library (state.ts derives the rest).
 *
 * Whether it counts is never stored: state.ts derives it from the decision and the pre-save.
 */

export interface ReferralArrival {
  campaignId: number;
  /** The code the attribution cookie carried (its shape checked). */
  code: string;
  presaveId: number;
  /** recordPresave's `added`: a new pre-save (not the same fan signing in again). */
  added: boolean;
  account: string;
  fan: FanKeys;
}

export interface ReferralOutcome {
  decision: ReferralDecision;
  reason: ReferralReason | null;
  /** False when nothing was written (an unknown code, or the same exclusion recorded before). */
  recorded: boolean;
}

/** Referrals that are (or may become) counted: what caps and bursts are counted in. */
const LIVE: ReferralDecision[] = ['ok', 'held', 'approved'];

export async function recordReferral(
  db: Db,
  a: ReferralArrival,
  limits: GrowthConfig['referrals'],
  now: number,
): Promise<ReferralOutcome | null> {
  // Decisions through one link take turns (codes.ts lockCode): caps and bursts are exact on both databases.
  const owner = await lockCode(db, a.campaignId, a.code);
  if (!owner) return null;
  const { decision, reason } = await decide(db, a, owner, limits, now);
  if (decision === 'excluded') {
    // The same fan trying the same link again records nothing new (rows stay bounded).
    const seen = await db
      .selectFrom('referrals')
      .select('id')
      .where('code', '=', a.code)
      .where('presave_id', '=', a.presaveId)
      .where('reason', '=', reason)
      .executeTakeFirst();
    if (seen) return { decision, reason, recorded: false };
  }
  if (reason === 'burst_device' || reason === 'burst_network') {
    // The burst's earlier ones were not counted yet (their saves are pending): held with this one.
    const column = reason === 'burst_device' ? 'device_key' : 'network_key';
    await db
      .updateTable('referrals')
      .set({ decision: 'held', reason, decided_at: now })
      .where('code', '=', a.code)
      .where(column, '=', reason === 'burst_device' ? a.fan.device : a.fan.network)
      .where('created_at', '>=', now - limits.burstWindowMs)
      .where('decision', '=', 'ok')
      .where('presave_id', 'in', (eb) => eb.selectFrom('presaves').select('id').where('status', '=', 'pending'))
      .execute();
  }
  await db
    .insertInto('referrals')
    .values({
      campaign_id: a.campaignId,
      code: a.code,
      presave_id: a.presaveId,
      account_key: a.account,
      browser_key: a.fan.browser,
      device_key: a.fan.device,
      network_key: a.fan.network,
      decision,
      reason,
      created_at: now,
      decided_at: now,
    })
    .execute();
  forgetBoard(db, a.campaignId);
  return { decision, reason, recorded: true };
}

async function decide(
  db: Db,
  a: ReferralArrival,
  owner: { account_key: string | null; browser_key: string | null; device_key: string | null },
  limits: GrowthConfig['referrals'],
  now: number,
): Promise<{ decision: ReferralDecision; reason: ReferralReason | null }> {
  const same = (x: string | null, y: string | null) => x !== null && y !== null && x === y;
  if (same(a.account, owner.account_key) || same(a.fan.browser, owner.browser_key) || same(a.fan.device, owner.device_key)) {
    return { decision: 'excluded', reason: 'self_referral' };
  }
  if (!a.added) return { decision: 'excluded', reason: 'already_presaved' };
  const inCampaign = () => db.selectFrom('referrals').select('id').where('campaign_id', '=', a.campaignId).limit(1);
  if (await inCampaign().where('account_key', '=', a.account).executeTakeFirst()) return { decision: 'excluded', reason: 'same_account' };
  if (a.fan.browser && (await inCampaign().where('browser_key', '=', a.fan.browser).executeTakeFirst())) {
    return { decision: 'excluded', reason: 'same_browser' };
  }
  const live = (since: number) =>
    db
      .selectFrom('referrals')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('code', '=', a.code)
      .where('decision', 'in', LIVE)
      .where('created_at', '>=', since);
  const lastHour = await live(now - 3_600_000).executeTakeFirstOrThrow();
  if (Number(lastHour.n) >= limits.capPerHour) return { decision: 'held', reason: 'hourly_cap' };
  const since = now - limits.burstWindowMs;
  const device = await live(since).where('device_key', '=', a.fan.device).executeTakeFirstOrThrow();
  if (Number(device.n) + 1 > limits.burstPerDevice) return { decision: 'held', reason: 'burst_device' };
  const network = await live(since).where('network_key', '=', a.fan.network).executeTakeFirstOrThrow();
  if (Number(network.n) + 1 > limits.burstPerNetwork) return { decision: 'held', reason: 'burst_network' };
  return { decision: 'ok', reason: null };
}
