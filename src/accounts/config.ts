import { EnvReader, type Env } from '../config-reader.js';
import { ConfigError, isLoopbackUrl } from '../config.js';
import { DEFAULT_HASH_CONCURRENCY } from './passwords.js';

/**
 * Settings for accounts, sessions, throttling and mail, read from the environment here (not in
 * config.ts) so this part stays self-contained. Every problem is reported at once, like config.ts.
 */
export interface AccountsConfig {
  publicUrl: string;
  /** Sliding idle timeout: a session unused this long is over. */
  sessionIdleMs: number;
  /** Absolute timeout: a session is over this long after sign-in, used or not. */
  sessionAbsoluteMs: number;
  /** `__Host-dropday_session` (Secure) normally; `dropday_session` without Secure on plain-http non-loopback URLs. */
  sessionCookie: string;
  csrfCookie: string;
  secureCookies: boolean;
  resetTtlMs: number;
  inviteTtlMs: number;
  loginLinkTtlMs: number;
  /** open: anyone may sign up; invite: only an address with a pending invitation; closed: only `dropday admin create`. */
  signup: 'open' | 'invite' | 'closed';
  throttle: { windowMs: number; perAccount: number; perIp: number; resetsPerAccount: number };
  /** Password hashes (argon2) run at once in this process; 16 more per slot may wait, the rest get a 503. */
  hashConcurrency: number;
  mail: { smtpUrl: string | null; from: string };
}

/** Reads the accounts settings on their own (tests that vary them); problems throw a ConfigError. */
export function readAccountsConfig(publicUrl: string, env: Env = process.env): AccountsConfig {
  const r = new EnvReader(env);
  const config = readAccountsSettings(r, publicUrl);
  if (r.problems.length) throw new ConfigError(r.problems);
  return config;
}

/**
 * The accounts part of the one configuration validator: loadConfig (config.ts) calls this with its
 * own reader, so every problem — these included — is reported at once, before anything touches
 * the database. Problems are added to the reader, not thrown.
 */
export function readAccountsSettings(r: EnvReader, publicUrl: string): AccountsConfig {
  const https = publicUrl.startsWith('https:');
  // Chromium (tested: 156) and Firefox accept Secure and __Host- cookies from http://127.0.0.1 and
  // http://localhost, so loopback keeps the prefix. Any other plain-http address (a LAN IP in
  // development) cannot hold a Secure cookie, so there the cookie drops Secure and the prefix.
  let secure = https || isLoopbackUrl(publicUrl);
  const forced = r.str('SESSION_COOKIE_SECURE');
  if (forced !== undefined) {
    const v = r.bool('SESSION_COOKIE_SECURE', true);
    if (!v && https) r.problem('SESSION_COOKIE_SECURE=false is only allowed when PUBLIC_URL is plain http');
    else secure = v;
  }
  const host = hostOf(publicUrl);
  const config: AccountsConfig = {
    publicUrl,
    sessionIdleMs: r.int('SESSION_IDLE_MINUTES', 120, 1, 7 * 24 * 60) * 60_000,
    sessionAbsoluteMs: r.int('SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 30) * 3_600_000,
    sessionCookie: secure ? '__Host-dropday_session' : 'dropday_session',
    csrfCookie: secure ? '__Host-dropday_csrf' : 'dropday_csrf',
    secureCookies: secure,
    resetTtlMs: 30 * 60_000,
    inviteTtlMs: r.int('INVITE_TTL_DAYS', 7, 1, 90) * 86_400_000,
    loginLinkTtlMs: 15 * 60_000,
    signup: 'open',
    throttle: {
      windowMs: r.int('LOGIN_THROTTLE_WINDOW_MINUTES', 15, 1, 24 * 60) * 60_000,
      perAccount: r.int('LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1, 1000),
      perIp: r.int('LOGIN_MAX_FAILURES_PER_IP', 20, 1, 100_000),
      resetsPerAccount: 3,
    },
    hashConcurrency: r.int('PASSWORD_HASH_CONCURRENCY', DEFAULT_HASH_CONCURRENCY, 1, 64),
    mail: { smtpUrl: null, from: r.str('MAIL_FROM') ?? `Dropday <no-reply@${host}>` },
  };
  const signup = r.str('SIGNUP') ?? 'open';
  if (signup === 'open' || signup === 'invite' || signup === 'closed') config.signup = signup;
  else r.problem(`SIGNUP must be open, invite or closed (got "${signup}")`);
  const smtp = r.str('SMTP_URL');
  if (smtp) {
    if (/^smtps?:\/\//.test(smtp)) config.mail.smtpUrl = smtp;
    else r.problem('SMTP_URL must start with smtp:// or smtps:// (the value is not shown here)');
  }
  if (config.sessionIdleMs > config.sessionAbsoluteMs) r.problem('SESSION_IDLE_MINUTES must not be longer than SESSION_ABSOLUTE_HOURS');
  return config;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '') || 'localhost';
  } catch {
    return 'localhost';
  }
}
