import type { Db } from '../db/index.js';
import { sha256b64url } from '../util/random.js';

/**
 * Sliding-window counters kept in the database, so every web process sees the same counts.
 * A row is one failure (or one reset request); keys are hashed so the table holds no email or IP.
 */
export type ThrottleScope = 'account' | 'ip' | 'reset';

export function throttleKey(scope: ThrottleScope, value: string): string {
  return sha256b64url(`${scope}:${value}`);
}

/**
 * When `count >= limit`, how long until one more attempt is allowed: the time until enough of
 * the oldest events leave the window. Returns 0 when not throttled.
 */
export async function waitMs(db: Db, scope: ThrottleScope, keyHash: string, now: number, windowMs: number, limit: number): Promise<number> {
  const rows = await db
    .selectFrom('login_attempts')
    .select('at')
    .where('scope', '=', scope)
    .where('key_hash', '=', keyHash)
    .where('at', '>', now - windowMs)
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
  if (rows.length < limit) return 0;
  // The limit-th most recent event must leave the window before another attempt is allowed.
  return Number(rows[limit - 1]!.at) + windowMs - now;
}

export async function recordEvent(db: Db, scope: ThrottleScope, keyHash: string, now: number): Promise<void> {
  await db.insertInto('login_attempts').values({ scope, key_hash: keyHash, at: now }).execute();
}

export async function clearEvents(db: Db, scope: ThrottleScope, keyHash: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('scope', '=', scope).where('key_hash', '=', keyHash).execute();
}

/** Drops events older than any window can count. */
export async function sweepEvents(db: Db, now: number, windowMs: number): Promise<void> {
  await db
    .deleteFrom('login_attempts')
    .where('at', '<', now - windowMs)
    .execute();
}
