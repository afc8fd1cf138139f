import type { AppContext } from '../context.js';
import type { Db } from '../db/index.js';
import { DropdayError } from '../errors.js';
import { createVerifier } from '../util/pkce.js';
import { randomToken, safeEqual, sha256b64url } from '../util/random.js';

/**
 * OAuth `state`: 256 random bits, stored only as a hash, single-use (consumed by a DELETE …
 * RETURNING so two callbacks racing cannot both win), bound to the browser that started it via
 * a cookie, and valid for 10 minutes. The PKCE verifier rides along, encrypted.
 */
export const STATE_TTL_MS = 10 * 60 * 1000;

export interface PendingAuthorization {
  service: string;
  campaignId: number;
  timezone: string;
  locale: string | null;
  /** The language of the campaign page the fan started from (i18n/languages.ts). */
  lang: string | null;
  verifier: string;
  /** The escape id of the "Open in your browser" step this connect came through (web/inapp/escape.ts). */
  escape: string | null;
  /** The referral code the browser's first-touch attribution carried (growth/referrals/attribution.ts). */
  referral: string | null;
}

export async function createState(
  ctx: Pick<AppContext, 'db' | 'cipher'>,
  p: {
    service: string;
    campaignId: number;
    browserBinding: string;
    timezone: string;
    locale: string | null;
    lang?: string | null;
    escape?: string | null;
    referral?: string | null;
  },
  now: number,
): Promise<{ state: string; verifier: string }> {
  const state = randomToken(32);
  const verifier = createVerifier();
  const stateHash = sha256b64url(state);
  await ctx.db
    .insertInto('oauth_states')
    .values({
      state_hash: stateHash,
      service: p.service,
      campaign_id: p.campaignId,
      browser_hash: sha256b64url(p.browserBinding),
      verifier_enc: ctx.cipher.encrypt(verifier, `oauth_state:${stateHash}`),
      timezone: p.timezone,
      locale: p.locale,
      lang: p.lang ?? null,
      escape: p.escape ?? null,
      referral: p.referral ?? null,
      expires_at: now + STATE_TTL_MS,
      created_at: now,
    })
    .execute();
  return { state, verifier };
}

/**
 * Deletes states that expired (nothing reads them after that). Run periodically by the web
 * process (web/housekeeping.ts), not on each /connect, and indexed on expires_at.
 */
export async function sweepExpiredStates(db: Db, now: number): Promise<number> {
  const r = await db.deleteFrom('oauth_states').where('expires_at', '<', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function consumeState(
  ctx: Pick<AppContext, 'db' | 'cipher'>,
  p: { state: string | undefined; service: string; browserBinding: string | undefined },
  now: number,
): Promise<PendingAuthorization> {
  if (!p.state) throw new DropdayError('STATE_MISSING');
  if (p.state.length > 200) throw new DropdayError('STATE_INVALID');
  const stateHash = sha256b64url(p.state);
  const row = await ctx.db.deleteFrom('oauth_states').where('state_hash', '=', stateHash).returningAll().executeTakeFirst();
  if (!row || row.expires_at < now) throw new DropdayError('STATE_INVALID');
  if (!p.browserBinding || !safeEqual(row.browser_hash, sha256b64url(p.browserBinding))) {
    throw new DropdayError('STATE_BROWSER_MISMATCH');
  }
  if (row.service !== p.service) throw new DropdayError('STATE_SERVICE_MISMATCH');
  return {
    service: row.service,
    campaignId: Number(row.campaign_id),
    timezone: row.timezone,
    locale: row.locale,
    lang: row.lang,
    verifier: ctx.cipher.decrypt(row.verifier_enc, `oauth_state:${stateHash}`),
    escape: row.escape ?? null,
    referral: row.referral ?? null,
  };
}
