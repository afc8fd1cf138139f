import type { Selectable } from 'kysely';
import type { Db } from '../db/index.js';
import type { UserTable } from '../db/schema-accounts.js';
import { DropdayError, ValidationError } from '../errors.js';
import { isUniqueViolation } from '../util/db-errors.js';
import { emailProblem, normaliseEmail } from './emails.js';
import { hashPassword, passwordProblem } from './passwords.js';

export interface User {
  id: number;
  email: string;
  isInstanceAdmin: boolean;
  hasPassword: boolean;
  /** The address is proven (see verification.ts); needed to join a workspace. */
  emailVerified: boolean;
  createdAt: number;
}

export function toUser(row: Selectable<UserTable>): User {
  return {
    id: Number(row.id),
    email: row.email,
    isInstanceAdmin: row.is_instance_admin === 1,
    hasPassword: row.password_hash !== null,
    emailVerified: row.email_verified_at !== null,
    createdAt: row.created_at,
  };
}

export async function findUserRowByEmail(db: Db, email: string): Promise<Selectable<UserTable> | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
}

export async function findUserByEmail(db: Db, email: string): Promise<User | null> {
  const row = await findUserRowByEmail(db, email);
  return row ? toUser(row) : null;
}

export async function getUser(db: Db, id: number): Promise<User | null> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toUser(row) : null;
}

/**
 * Creates a user. `password: null` makes an account that can only be entered after setting a
 * password through a reset link (operators' `dropday admin create` without --password-stdin).
 * `emailVerified`: the address is already proven (an operator vouches for it); otherwise the
 * person confirms it by link before joining a workspace.
 */
export async function createUser(
  db: Db,
  input: { email: string; password: string | null; instanceAdmin?: boolean; emailVerified?: boolean },
  now: number,
): Promise<User> {
  const email = normaliseEmail(input.email);
  const problems: Record<string, string> = {};
  const ep = emailProblem(email);
  if (ep) problems.email = ep;
  if (input.password !== null) {
    const pp = passwordProblem(input.password, email);
    if (pp) problems.password = pp;
  }
  if (Object.keys(problems).length) throw new ValidationError(problems);
  const password_hash = input.password === null ? null : await hashPassword(input.password);
  try {
    const row = await db
      .insertInto('users')
      .values({
        email,
        password_hash,
        is_instance_admin: input.instanceAdmin ? 1 : 0,
        email_verified_at: input.emailVerified ? now : null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(row);
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new DropdayError('VALIDATION', 'An account with this email already exists. Sign in, or reset your password.', {
        email: 'an account with this email already exists',
      });
    }
    throw err;
  }
}

/** Sets a new password (checked against the policy) and ends every session of the user. */
export async function setPassword(db: Db, userId: number, password: string, now: number): Promise<void> {
  const user = await getUser(db, userId);
  if (!user) throw new DropdayError('NOT_FOUND', 'There is no such account.');
  const pp = passwordProblem(password, user.email);
  if (pp) throw new ValidationError({ password: pp });
  const password_hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash, updated_at: now }).where('id', '=', userId).execute();
    await trx.deleteFrom('user_sessions').where('user_id', '=', userId).execute();
  });
}

export async function setInstanceAdmin(db: Db, userId: number, on: boolean, now: number): Promise<void> {
  await db
    .updateTable('users')
    .set({ is_instance_admin: on ? 1 : 0, updated_at: now })
    .where('id', '=', userId)
    .execute();
}

/** Records that the address is proven (once: the first proof's time is kept). */
export async function markEmailVerified(db: Db, userId: number, now: number): Promise<void> {
  await db
    .updateTable('users')
    .set({ email_verified_at: now, updated_at: now })
    .where('id', '=', userId)
    .where('email_verified_at', 'is', null)
    .execute();
}
