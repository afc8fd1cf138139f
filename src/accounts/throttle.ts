import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { sha256b64url } from '../util/random.js';

/**
 * Throttles kept in the database, so every web process sees the same counts: one row per key
 * (hashed, so the table holds no email or IP) with a count and the end of its window. The window
 * starts with the first counted event and the count starts over when it ends.
 *
 * A slot is taken with one atomic statement *before* the work it guards: an upsert whose update
 * happens only while the count is under the limit. Concurrent requests therefore cannot all pass a
 * check and be counted afterwards; at most `max` get through per window, however many arrive at once.
 */
export type ThrottleScope =
  | 'account'
  | 'ip'
  | 'reset'
  | 'verify'
  | 'connect-ip'
  | 'connect-campaign'
  // Fans leaving an address (reach/contacts/capture.ts): the form per IP, confirmation mails per address and per IP.
  | 'remind-ip'
  | 'confirm-address'
  | 'confirm-ip'
  // Browsers subscribing to web push (web/routes/push.ts), per IP.
  | 'push-ip'
  // Play stages the early-access player reports (web/routes/growth-preview.ts), per network.
  | 'preview-ip'
  // Referral links (growth/referrals): first-touch visits counted, and leaderboard names set, per IP.
  | 'referral-ip'
  // Vault download links opened (web/routes/growth-vault.ts), per network (keyed hash).
  | 'vault-ip'
  // The public contest rules page (web/routes/growth-contest.ts), per IP.
  | 'contest-page-ip'
  // The public leaderboard (web/routes/growth-referrals.ts), per network (keyed hash).
  | 'leaderboard-ip'
  // The early-access clip's bytes (web/routes/growth-preview.ts), per network (keyed hash).
  | 'preview-clip-ip'
  // REST API requests per key (prefix), and failed API authentications per network (api/rate-limit.ts).
  | 'api-key'
  | 'api-auth-ip'
  // The campaign page's tracking answer and page views (web/routes/conversions.ts), per IP.
  | 'tracking-ip';

export interface ThrottleLimit {
  windowMs: number;
  max: number;
}

export type Reservation = { ok: true; count: number; resetAt: number } | { ok: false; waitMs: number };

export function throttleKey(scope: ThrottleScope, value: string): string {
  return sha256b64url(`${scope}:${value}`);
}

/** Takes one slot for `keyHash`, or says how long until one frees up. */
export async function reserve(db: Db, scope: ThrottleScope, keyHash: string, now: number, limit: ThrottleLimit): Promise<Reservation> {
  const nowB = sql<number>`cast(${now} as bigint)`;
  const expired = sql<boolean>`throttles.reset_at <= ${nowB}`;
  const row = await db
    .insertInto('throttles')
    .values({ scope, key_hash: keyHash, count: 1, reset_at: now + limit.windowMs })
    .onConflict((oc) =>
      oc
        .columns(['scope', 'key_hash'])
        .doUpdateSet({
          count: sql`case when ${expired} then 1 else throttles.count + 1 end`,
          reset_at: sql`case when ${expired} then cast(${now + limit.windowMs} as bigint) else throttles.reset_at end`,
        })
        .where(sql<boolean>`${expired} or throttles.count < ${limit.max}`),
    )
    .returning(['count', 'reset_at'])
    .executeTakeFirst();
  if (row) return { ok: true, count: Number(row.count), resetAt: Number(row.reset_at) };
  const held = await db
    .selectFrom('throttles')
    .select('reset_at')
    .where('scope', '=', scope)
    .where('key_hash', '=', keyHash)
    .executeTakeFirst();
  return { ok: false, waitMs: Math.max(1, Number(held?.reset_at ?? now) - now) };
}

/** Gives a slot back: the attempt it was taken for was not made (or succeeded and must not count). */
export async function release(db: Db, scope: ThrottleScope, keyHash: string): Promise<void> {
  await db
    .updateTable('throttles')
    .set({ count: sql`count - 1` })
    .where('scope', '=', scope)
    .where('key_hash', '=', keyHash)
    .where('count', '>', 0)
    .execute();
}

/** How long until the key may be used again, once a taken slot was used up (0 while under the limit). */
export function waitAfter(r: Reservation, limit: ThrottleLimit, now: number): number {
  if (!r.ok) return r.waitMs;
  return r.count >= limit.max ? Math.max(0, r.resetAt - now) : 0;
}

export async function clearKey(db: Db, scope: ThrottleScope, keyHash: string): Promise<void> {
  await db.deleteFrom('throttles').where('scope', '=', scope).where('key_hash', '=', keyHash).execute();
}

/** Drops counters whose window has ended (they would start over anyway); run periodically, not per request. */
export async function sweepThrottles(db: Db, now: number): Promise<number> {
  const r = await db.deleteFrom('throttles').where('reset_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
