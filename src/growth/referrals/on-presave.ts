import type { Db } from '../../db/index.js';
import type { ReachKeys } from '../../reach/keys.js';
import type { GrowthConfig } from '../config.js';
import { isReferralCode } from './code.js';
import { ensurePresaveCode } from './codes.js';
import { recordReferral, type ReferralOutcome } from './decide.js';
import { accountKey, fanKeys, type FanFacts } from './fan-keys.js';

/**
 * What a stored pre-save means for referrals, in the pre-save's own transaction: the pre-save
 * gets its personal code (with its owner's keys), and when the connect carried a referral code
 * (first touch, oauth_states.referral) the referral is recorded with its decision (decide.ts).
 */
export async function referralsOnPresave(
  db: Db,
  keys: ReachKeys,
  limits: GrowthConfig['referrals'],
  p: {
    campaignId: number;
    presaveId: number;
    added: boolean;
    service: string;
    accountId: string;
    fan: FanFacts;
    referral: string | null;
  },
  now: number,
): Promise<{ code: string; referral: ReferralOutcome | null }> {
  const account = accountKey(keys, p.service, p.accountId);
  const fan = fanKeys(keys, p.fan);
  // Decided before this pre-save's own code exists, so the check "is it the owner's" compares with the referrer's.
  const referral = isReferralCode(p.referral)
    ? await recordReferral(
        db,
        { campaignId: p.campaignId, code: p.referral, presaveId: p.presaveId, added: p.added, account, fan },
        limits,
        now,
      )
    : null;
  const code = await ensurePresaveCode(
    db,
    { campaignId: p.campaignId, presaveId: p.presaveId, keys: { account, browser: fan.browser, device: fan.device, network: fan.network } },
    now,
  );
  return { code, referral };
}
