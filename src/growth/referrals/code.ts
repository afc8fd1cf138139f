import { randomBytes } from 'node:crypto';

/**
 * A referral code: 10 characters of lowercase Crockford base32 (no i, l, o, u: nothing to misread
 * when a fan types it from a screenshot) from crypto random — 50 bits, so codes cannot be guessed
 * or walked, and the link `/{slug}?r=<code>` stays short.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
export const REFERRAL_CODE_LENGTH = 10;
const SHAPE = /^[0-9a-hjkmnp-tv-z]{10}$/;

export function newReferralCode(): string {
  // 32 symbols: each byte's low 5 bits are uniform, no modulo bias.
  const bytes = randomBytes(REFERRAL_CODE_LENGTH);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}

/** Whether `s` has a code's shape (checked before any look-up: anything else is ignored). */
export function isReferralCode(s: unknown): s is string {
  return typeof s === 'string' && SHAPE.test(s);
}
