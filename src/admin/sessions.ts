import type { Db } from '../db/index.js';
import { randomToken, sha256b64url } from '../util/random.js';

/**
 * Operator sign-in until workspace accounts exist: `dropday admin login-link` mints a one-time
 * link (15 minutes); opening it starts a 12-hour session. Only hashes are stored.
 */
export const LOGIN_LINK_TTL_MS = 15 * 60_000;
export const SESSION_TTL_MS = 12 * 3_600_000;

export async function createLoginToken(db: Db, now: number): Promise<string> {
  const token = randomToken(32);
  await db
    .insertInto('admin_sessions')
    .values({ token_hash: sha256b64url(token), kind: 'login', expires_at: now + LOGIN_LINK_TTL_MS, created_at: now })
    .execute();
  return token;
}

/** Exchanges a login token (single use) for a session token, or null. */
export async function redeemLoginToken(db: Db, token: string, now: number): Promise<string | null> {
  const row = await db
    .deleteFrom('admin_sessions')
    .where('token_hash', '=', sha256b64url(token))
    .where('kind', '=', 'login')
    .returningAll()
    .executeTakeFirst();
  if (!row || row.expires_at < now) return null;
  const session = randomToken(32);
  await db
    .insertInto('admin_sessions')
    .values({ token_hash: sha256b64url(session), kind: 'session', expires_at: now + SESSION_TTL_MS, created_at: now })
    .execute();
  await db.deleteFrom('admin_sessions').where('expires_at', '<', now).execute();
  return session;
}

export async function isValidSession(db: Db, token: string | undefined, now: number): Promise<boolean> {
  if (!token || token.length > 100) return false;
  const row = await db
    .selectFrom('admin_sessions')
    .select('expires_at')
    .where('token_hash', '=', sha256b64url(token))
    .where('kind', '=', 'session')
    .executeTakeFirst();
  return !!row && row.expires_at > now;
}

export async function endSession(db: Db, token: string | undefined): Promise<void> {
  if (token) await db.deleteFrom('admin_sessions').where('token_hash', '=', sha256b64url(token)).execute();
}
