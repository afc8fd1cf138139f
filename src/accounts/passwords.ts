import os from 'node:os';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { RetryLaterError } from '../errors.js';
import { GateFull, WorkGate } from '../util/work-gate.js';

/**
 * Passwords: argon2id with the OWASP Password Storage Cheat Sheet parameters (m=19 MiB, t=2, p=1).
 * Policy (NIST SP 800-63B style): at least 8 characters, at most 200, not a commonly used
 * password, not the email address. Length, not composition rules, is what we ask for.
 */
export const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 200;

/**
 * Every argon2 run in this process goes through one gate: a few at once (each takes ~19 MiB and a
 * core for tens of milliseconds), a short queue, and `GateFull` at once beyond it — so a burst of
 * sign-ins cannot starve the rest of the server, and refused work costs no hashing.
 */
export const DEFAULT_HASH_CONCURRENCY = Math.max(1, Math.min(4, os.availableParallelism() - 1));
export const HASH_QUEUE_PER_SLOT = 16;
export const passwordHashing = new WorkGate(DEFAULT_HASH_CONCURRENCY, DEFAULT_HASH_CONCURRENCY * HASH_QUEUE_PER_SLOT);

export function setHashConcurrency(concurrency: number): void {
  passwordHashing.resize(concurrency, concurrency * HASH_QUEUE_PER_SLOT);
}

/** Refused password work: a 503 with Retry-After, so the person (or their browser) tries again shortly. */
export const HASHING_BUSY_MESSAGE = 'Too many people are signing in on this server right now. Please try again in a few seconds.';

async function gated<T>(job: () => Promise<T>): Promise<T> {
  try {
    return await passwordHashing.run(job);
  } catch (err) {
    if (err instanceof GateFull) throw new RetryLaterError('BUSY', 5_000, HASHING_BUSY_MESSAGE);
    throw err;
  }
}

export async function hashPassword(password: string): Promise<string> {
  return gated(() => hash(password, ARGON2_OPTIONS));
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  return gated(async () => {
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  });
}

let dummy: Promise<string> | null = null;
/**
 * Spends the same work as a real check when there is no account (or no password) to check, so
 * response time does not tell whether an email is registered.
 */
export async function verifyDummy(password: string): Promise<void> {
  dummy ??= hash('dropday-dummy-password-for-timing', ARGON2_OPTIONS);
  await verifyPassword(await dummy, password);
}

/** A problem with a new password, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `use at least ${MIN_PASSWORD_LENGTH} characters (a few words make a good one)`;
  if (password.length > MAX_PASSWORD_LENGTH) return `use at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || COMMON.has(lower.replace(/[0-9!@#$%^&*.?_-]+$/, ''))) return 'this password is too common; choose another';
  if (/^(.)\1+$/.test(password)) return 'this password is too easy to guess; choose another';
  if (email) {
    const local = email.split('@')[0] ?? '';
    if (lower === email.toLowerCase() || (local.length >= 4 && lower.includes(local.toLowerCase()))) {
      return 'do not use your email address in the password';
    }
  }
  return null;
}

/** A small list of the most used passwords of 8+ characters (and their stems before trailing digits/symbols). */
const COMMON = new Set(
  `password passw0rd password1 password12 password123 password1234 12345678 123456789 1234567890 12345678910
  qwertyuiop qwerty123 qwertyui 1q2w3e4r 1q2w3e4r5t 1qaz2wsx zaq12wsx asdfghjkl asdfasdf iloveyou iloveyou1
  sunshine princess football baseball basketball welcome welcome1 letmein1 trustno1 superman batman123
  starwars dragon123 monkey123 abc12345 abcd1234 abcdefgh 11111111 00000000 88888888 12341234 87654321
  11223344 123123123 987654321 changeme admin123 administrator whatever computer internet michelle jennifer
  jordan23 charlie1 shadow12 master12 mustang1 access14 baseball1 football1 liverpool chelsea1 arsenal1
  qazwsxedc qwertyuiop123 passport letmein123 secret123 freedom1 summer2024 summer2025 summer2026 winter2025
  spring2025 autumn2025 p@ssw0rd p@ssword pa$$word passwort motdepasse contrasena 11111111111 123qweasd
  qweasdzxc zxcvbnm1 zxcvbnmm q1w2e3r4 q1w2e3r4t5 1234qwer qwer1234 asdf1234 password! dropday dropday123
  presave presave123 spotify123 music123 musician`
    .split(/\s+/)
    .filter(Boolean),
);
