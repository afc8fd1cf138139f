import type { Db } from '../db/index.js';
import { randomToken, sha256b64url } from '../util/random.js';

/**
 * Single-use tokens for a user — 'reset' (password reset, 30 minutes), 'login' (an operator's
 * one-time sign-in link, 15 minutes) and 'verify' (confirming the address, 3 days). 256 random bits, stored hashed, consumed by DELETE … RETURNING
 * so two requests racing with the same token cannot both succeed.
 */
export type AccountTokenKind = 'reset' | 'login' | 'verify';

export async function issueToken(db: Db, kind: AccountTokenKind, userId: number, now: number, ttlMs: number): Promise<string> {
  const token = randomToken(32);
  await db
    .insertInto('account_tokens')
    .values({ token_hash: sha256b64url(token), kind, user_id: userId, expires_at: now + ttlMs, created_at: now })
    .execute();
  await db.deleteFrom('account_tokens').where('expires_at', '<', now).execute();
  return token;
}

/** The user a live token belongs to, without using it up (to show the reset form). */
export async function peekToken(db: Db, kind: AccountTokenKind, token: string, now: number): Promise<number | null> {
  if (!token || token.length > 100) return null;
  const row = await db
    .selectFrom('account_tokens')
    .select(['user_id', 'expires_at'])
    .where('token_hash', '=', sha256b64url(token))
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row && row.expires_at > now ? Number(row.user_id) : null;
}

/** Uses a token up; returns its user, or null when it is unknown, used, expired or of another kind. */
export async function consumeToken(db: Db, kind: AccountTokenKind, token: string, now: number): Promise<number | null> {
  if (!token || token.length > 100) return null;
  const row = await db
    .deleteFrom('account_tokens')
    .where('token_hash', '=', sha256b64url(token))
    .where('kind', '=', kind)
    .returningAll()
    .executeTakeFirst();
  return row && row.expires_at > now ? Number(row.user_id) : null;
}

export async function revokeTokens(db: Db, kind: AccountTokenKind, userId: number): Promise<void> {
  await db.deleteFrom('account_tokens').where('user_id', '=', userId).where('kind', '=', kind).execute();
}
