import { createHash } from 'node:crypto';
import type { AppContext } from '../context.js';
import { reachKeys } from '../reach/keys.js';

/**
 * Identifiers as the platforms take them: only SHA-256 hex digests of normalized values, never the
 * values (Meta "Customer information parameters", TikTok Events API "user", both: trim, lower case,
 * then SHA-256). The browser is known only by a keyed hash of its `dropday_fan` cookie (the same
 * one referrals use), so no platform can link it back to the cookie.
 */
export const sha256hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

export function hashedEmail(email: string): string {
  return sha256hex(email.trim().toLowerCase());
}

/** The browser as Dropday stores it (conversion_consents.browser_key). */
export function browserKey(ctx: AppContext, cookie: string): string {
  return reachKeys(ctx).hash('browser', `conversions:${cookie}`);
}

/** The browser as the platforms see it: `external_id` (SHA-256 of the keyed hash). */
export function externalId(key: string): string {
  return sha256hex(`external:${key}`);
}

/** A pre-save's event id: derived from its public id, which is the fan's capability and never leaves Dropday. */
export function leadEventId(ctx: AppContext, publicId: string): string {
  return `lead_${reachKeys(ctx).hash('account', `conversion-lead:${publicId}`).slice(0, 24)}`;
}

/** What a page may send as its event id (crypto.randomUUID() in the page's script). */
export const EVENT_ID_SHAPE = /^[A-Za-z0-9_-]{16,64}$/;
