import type { AuthDeps } from './auth.js';
import { reserve, throttleKey } from './throttle.js';
import { consumeToken, issueToken, peekToken, revokeTokens } from './tokens.js';
import { getUser, markEmailVerified, type User } from './users.js';

/**
 * Proving an address: a single-use link by mail (or in the log when no mail is configured) that
 * the person opens and confirms with a button (a mail scanner fetching the link confirms
 * nothing). Until then the account works but cannot join a workspace, so nobody can sign up with
 * an invitee's address and take their place. A password reset proves the address too.
 */
export const VERIFY_TTL_MS = 3 * 86_400_000;
const LINKS_PER_WINDOW = 3;

/** Sends a confirmation link to the account's address (at most 3 per throttle window). */
export async function sendVerification(deps: AuthDeps, user: User, now: number): Promise<void> {
  if (user.emailVerified) return;
  const slot = await reserve(deps.db, 'verify', throttleKey('verify', user.email), now, {
    windowMs: deps.config.throttle.windowMs,
    max: LINKS_PER_WINDOW,
  });
  if (!slot.ok) return;
  const token = await issueToken(deps.db, 'verify', user.id, now, VERIFY_TTL_MS);
  const link = `${deps.config.publicUrl}/verify/${token}`;
  void deps.mailer
    .send({
      to: user.email,
      subject: 'Confirm your email address for Dropday',
      link,
      text:
        `Someone (hopefully you) created the Dropday account ${user.email}.\n\n` +
        `Confirm that this address is yours here within 3 days (the link works once):\n${link}\n\n` +
        `If it was not you, ignore this message: nobody can join a workspace with your address until it is confirmed.\n`,
    })
    .catch((err: unknown) => deps.log.error({ err }, 'could not send the address confirmation mail'));
}

/** The account a confirmation link belongs to, if the link is still valid (does not use it up). */
export async function verificationLinkUser(deps: AuthDeps, token: string, now: number): Promise<User | null> {
  const userId = await peekToken(deps.db, 'verify', token, now);
  return userId === null ? null : getUser(deps.db, userId);
}

/** Uses the link up and marks the address proven; null when the link is not valid. */
export async function confirmEmail(deps: AuthDeps, token: string, now: number): Promise<User | null> {
  const userId = await consumeToken(deps.db, 'verify', token, now);
  if (userId === null) return null;
  await markEmailVerified(deps.db, userId, now);
  await revokeTokens(deps.db, 'verify', userId);
  return getUser(deps.db, userId);
}
