import type { Db } from '../db/index.js';
import { randomToken, sha256b64url } from '../util/random.js';
import { toUser, type User } from './users.js';

/**
 * Signed-in sessions. The cookie holds 256 random bits; the database holds only their SHA-256,
 * so a database leak does not hand out sessions. A session ends at sign-out (deleted), after
 * `idleMs` without a request (sliding), or `absoluteMs` after sign-in, whichever comes first.
 * Each session has its own CSRF synchronizer token.
 */
export interface SessionTimeouts {
  idleMs: number;
  absoluteMs: number;
}

export interface ActiveSession {
  tokenHash: string;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
  user: User;
}

/** last_seen_at is written at most this often, so a busy page does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

export async function createSession(
  db: Db,
  userId: number,
  now: number,
  t: SessionTimeouts,
): Promise<{ token: string; csrfToken: string }> {
  const token = randomToken(32);
  const csrfToken = randomToken(32);
  await db
    .insertInto('user_sessions')
    .values({
      token_hash: sha256b64url(token),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: now + t.absoluteMs,
    })
    .execute();
  // Ended sessions are swept opportunistically; nothing reads them.
  await db.deleteFrom('user_sessions').where('expires_at', '<', now).execute();
  return { token, csrfToken };
}

export async function loadSession(db: Db, token: string | undefined, now: number, t: SessionTimeouts): Promise<ActiveSession | null> {
  if (!token || token.length > 100) return null;
  const tokenHash = sha256b64url(token);
  const row = await db
    .selectFrom('user_sessions')
    .innerJoin('users', 'users.id', 'user_sessions.user_id')
    .select([
      'user_sessions.token_hash',
      'user_sessions.csrf_token',
      'user_sessions.created_at as session_created_at',
      'user_sessions.last_seen_at',
      'user_sessions.expires_at',
      'users.id',
      'users.email',
      'users.password_hash',
      'users.is_instance_admin',
      'users.email_verified_at',
      'users.created_at',
      'users.updated_at',
    ])
    .where('user_sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return null;
  const expiresAt = Math.min(row.expires_at, row.session_created_at + t.absoluteMs);
  if (now >= expiresAt || now - row.last_seen_at >= t.idleMs) {
    await db.deleteFrom('user_sessions').where('token_hash', '=', tokenHash).execute();
    return null;
  }
  if (now - row.last_seen_at >= TOUCH_EVERY_MS) {
    await db.updateTable('user_sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
  }
  return {
    tokenHash,
    csrfToken: row.csrf_token,
    createdAt: row.session_created_at,
    expiresAt,
    user: toUser({
      id: row.id,
      email: row.email,
      password_hash: row.password_hash,
      is_instance_admin: row.is_instance_admin,
      email_verified_at: row.email_verified_at,
      created_at: row.created_at,
      updated_at: row.updated_at,
    }),
  };
}

export async function revokeSession(db: Db, token: string | undefined): Promise<void> {
  if (token && token.length <= 100) await db.deleteFrom('user_sessions').where('token_hash', '=', sha256b64url(token)).execute();
}

export async function revokeSessionByHash(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('user_sessions').where('token_hash', '=', tokenHash).execute();
}

export async function revokeAllSessions(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('user_sessions').where('user_id', '=', userId).execute();
}
