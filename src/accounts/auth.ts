import type { Db } from '../db/index.js';
import type { Mailer } from '../mail/index.js';
import type { Logger } from 'pino';
import { ValidationError } from '../errors.js';
import type { AccountsConfig } from './config.js';
import { emailProblem, normaliseEmail } from './emails.js';
import { passwordProblem, verifyDummy, verifyPassword } from './passwords.js';
import { clearKey, release, reserve, throttleKey, waitAfter } from './throttle.js';
import { consumeToken, issueToken, peekToken, revokeTokens } from './tokens.js';
import { findUserRowByEmail, getUser, markEmailVerified, setPassword, toUser, type User } from './users.js';

export interface AuthDeps {
  db: Db;
  config: AccountsConfig;
  mailer: Mailer;
  log: Logger;
}

export type SignInResult = { ok: true; user: User } | { ok: false; waitMs: number };

/**
 * Checks an email and password with throttling per account (the normalised email, whether or not
 * it is registered) and per client IP, counted in the database. Each attempt first takes a slot
 * per account and per IP atomically (throttle.ts), so however many arrive at once, at most the
 * limit are checked: a throttled attempt is refused before any hashing, and is not counted.
 * A wrong password keeps its slots (it is a failure); the right one clears the account's count
 * and gives the IP's slot back. The work done is the same for unknown and known emails (a dummy
 * hash is verified), and the caller shows one message for every failure, so neither the answer
 * nor its timing tells whether an account exists. Hashing is bounded (passwords.ts): when the
 * server is too busy the attempt gives its slots back and fails with `RetryLaterError`.
 */
export async function signIn(deps: AuthDeps, input: { email: string; password: string; ip: string }, now: number): Promise<SignInResult> {
  const { db, config } = deps;
  const t = config.throttle;
  const email = normaliseEmail(input.email);
  const account = { scope: 'account', key: throttleKey('account', email), limit: { windowMs: t.windowMs, max: t.perAccount } } as const;
  const ip = { scope: 'ip', key: throttleKey('ip', input.ip), limit: { windowMs: t.windowMs, max: t.perIp } } as const;
  const forAccount = await reserve(db, account.scope, account.key, now, account.limit);
  if (!forAccount.ok) return { ok: false, waitMs: forAccount.waitMs };
  const forIp = await reserve(db, ip.scope, ip.key, now, ip.limit);
  if (!forIp.ok) {
    await release(db, account.scope, account.key);
    return { ok: false, waitMs: forIp.waitMs };
  }
  let row: Awaited<ReturnType<typeof findUserRowByEmail>>;
  let valid = false;
  try {
    row = email.length <= 254 ? await findUserRowByEmail(db, email) : undefined;
    const password = input.password.slice(0, 1024);
    if (row?.password_hash) valid = await verifyPassword(row.password_hash, password);
    else await verifyDummy(password);
  } catch (err) {
    // Not checked (the server was too busy, or the database failed): the attempt does not count.
    await release(db, account.scope, account.key).catch(() => {});
    await release(db, ip.scope, ip.key).catch(() => {});
    throw err;
  }
  if (!valid || !row) {
    return { ok: false, waitMs: Math.max(waitAfter(forAccount, account.limit, now), waitAfter(forIp, ip.limit, now)) };
  }
  await clearKey(db, account.scope, account.key);
  await release(db, ip.scope, ip.key);
  return { ok: true, user: toUser(row) };
}

/** The one answer to every failed sign-in. */
export function signInFailureMessage(waitMsValue: number): string {
  if (waitMsValue <= 0) return 'Wrong email or password, or too many attempts; try again.';
  const minutes = Math.max(1, Math.ceil(waitMsValue / 60_000));
  return `Wrong email or password, or too many attempts; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

/**
 * Starts a password reset. Always answers the same way: whether or not the email has an account,
 * the caller shows "if an account exists, we sent a link". The mail is sent without waiting for
 * it, so sending takes no visible time either. At most `resetsPerAccount` links per window.
 */
export async function requestPasswordReset(deps: AuthDeps, rawEmail: string, now: number): Promise<void> {
  const email = normaliseEmail(rawEmail);
  const ep = emailProblem(email);
  if (ep) throw new ValidationError({ email: ep });
  const t = deps.config.throttle;
  const slot = await reserve(deps.db, 'reset', throttleKey('reset', email), now, { windowMs: t.windowMs, max: t.resetsPerAccount });
  if (!slot.ok) return;
  const row = await findUserRowByEmail(deps.db, email);
  if (!row) return;
  const token = await issueToken(deps.db, 'reset', Number(row.id), now, deps.config.resetTtlMs);
  const link = `${deps.config.publicUrl}/reset/${token}`;
  void deps.mailer
    .send({
      to: row.email,
      subject: 'Reset your Dropday password',
      link,
      text:
        `Someone (hopefully you) asked to reset the password of the Dropday account ${row.email}.\n\n` +
        `Choose a new password here within 30 minutes (the link works once):\n${link}\n\n` +
        `If it was not you, ignore this message: your password stays as it is.\n`,
    })
    .catch((err: unknown) => deps.log.error({ err }, 'could not send the password reset mail'));
}

/** The account a reset link belongs to, if the link is still valid (does not use it up). */
export async function resetLinkUser(deps: AuthDeps, token: string, now: number): Promise<User | null> {
  const userId = await peekToken(deps.db, 'reset', token, now);
  return userId === null ? null : getUser(deps.db, userId);
}

/**
 * Sets a new password from a reset link: the password is checked first (a weak one does not use
 * the link up), then the link is consumed atomically, every session of the account is ended, and
 * the account's sign-in throttle is cleared.
 */
export async function completePasswordReset(deps: AuthDeps, token: string, password: string, now: number): Promise<User | null> {
  const user = await resetLinkUser(deps, token, now);
  if (!user) return null;
  const pp = passwordProblem(password, user.email);
  if (pp) throw new ValidationError({ password: pp });
  const userId = await consumeToken(deps.db, 'reset', token, now);
  if (userId !== user.id) return null;
  await setPassword(deps.db, user.id, password, now);
  // The link came by mail to this address: it is proven.
  await markEmailVerified(deps.db, user.id, now);
  await revokeTokens(deps.db, 'reset', user.id);
  await clearKey(deps.db, 'account', throttleKey('account', user.email));
  return user;
}
