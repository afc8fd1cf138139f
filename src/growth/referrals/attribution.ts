import type { ReachKeys } from '../../reach/keys.js';
import { isReferralCode } from './code.js';

/**
 * First-touch attribution, kept in the fan's browser: one cookie per campaign,
 * `dropday_ref_<campaign id>` = `<code>.<expires at>.<mac>`. The expiry rides in the value (and is
 * checked against the server's clock) rather than trusting only the cookie's Max-Age, and the MAC
 * (reach/keys.ts `sign`, bound to the campaign) means a value cannot be moved to another campaign
 * or have its window stretched. It holds nothing about the fan: only which link they came through.
 */
const PURPOSE = 'referral-attribution';

export function attributionCookieName(campaignId: number): string {
  return `dropday_ref_${campaignId}`;
}

export function attributionValue(keys: ReachKeys, campaignId: number, code: string, expiresAt: number): string {
  return `${code}.${expiresAt}.${keys.sign(PURPOSE, `${campaignId}.${code}.${expiresAt}`).split('.').pop()}`;
}

/** The code a cookie value credits, while its window is open; null when absent, forged or expired. */
export function liveAttribution(keys: ReachKeys, campaignId: number, value: string | undefined, now: number): string | null {
  if (!value || value.length > 120) return null;
  const [code, expires, mac, ...rest] = value.split('.');
  if (rest.length || !isReferralCode(code) || !expires || !/^\d{1,15}$/.test(expires) || !mac) return null;
  if (keys.verify(PURPOSE, `${campaignId}.${code}.${expires}.${mac}`) === null) return null;
  return Number(expires) > now ? code : null;
}
