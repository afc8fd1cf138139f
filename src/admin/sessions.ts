import { consumeToken, issueToken } from '../accounts/tokens.js';
import { findUserByEmail, getUser } from '../accounts/users.js';
import type { Db } from '../db/index.js';
import { DropdayError, ValidationError } from '../errors.js';

/**
 * One-time operator sign-in links (`dropday admin login-link`): a single-use, hashed, 15-minute
 * token for an instance admin. Opening it starts an ordinary user session (same cookie, timeouts
 * and rotation as signing in with a password), so operators without a password can still get in.
 */
export const LOGIN_LINK_TTL_MS = 15 * 60_000;

/**
 * Mints a link token for the instance admin with this email — or, without an email, for the only
 * instance admin there is. Throws a DropdayError telling the operator what to do otherwise.
 */
export async function createLoginToken(db: Db, now: number, email?: string): Promise<string> {
  let userId: number;
  if (email) {
    const user = await findUserByEmail(db, email);
    if (!user?.isInstanceAdmin)
      throw new DropdayError(
        'NOT_FOUND',
        `There is no instance admin with the email ${email}. Create one with \`dropday admin create --email ${email}\`.`,
      );
    userId = user.id;
  } else {
    const admins = await db.selectFrom('users').select(['id', 'email']).where('is_instance_admin', '=', 1).limit(2).execute();
    if (admins.length === 0)
      throw new DropdayError(
        'NOT_FOUND',
        'There is no instance admin yet. Create one with `dropday admin create --email you@example.com`.',
      );
    if (admins.length > 1) throw new ValidationError({ email: 'there are several instance admins: say which one with --email' });
    userId = Number(admins[0]!.id);
  }
  return issueToken(db, 'login', userId, now, LOGIN_LINK_TTL_MS);
}

/** Uses a login-link token up; returns the instance admin's user id, or null. */
export async function redeemLoginToken(db: Db, token: string, now: number): Promise<number | null> {
  const userId = await consumeToken(db, 'login', token, now);
  if (userId === null) return null;
  const user = await getUser(db, userId);
  return user?.isInstanceAdmin ? user.id : null;
}
