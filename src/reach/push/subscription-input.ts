import { ECDH } from 'node:crypto';
import { isLoopbackUrl } from '../../config.js';

/**
 * A PushSubscription as a browser gives it (`subscription.toJSON()`), checked before anything is
 * stored or sent to: the endpoint is where Dropday will POST, so it must be an https URL of a
 * push service (plain http only on a loopback address while developing or testing), and the keys
 * must be what RFC 8291 encrypts to — an uncompressed P-256 point and a 16-byte auth secret.
 * Problems name the field (`subscription.endpoint`…), for the fan page's 400.
 */
export interface PushSubscriptionJson {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** Real push services' endpoints are a few hundred characters; anything much longer is not one. */
export const MAX_ENDPOINT_LENGTH = 1024;

const B64URL = /^[A-Za-z0-9_-]+={0,2}$/;

function b64urlBytes(v: unknown, max: number): Buffer | null {
  if (typeof v !== 'string' || v.length === 0 || v.length > max || !B64URL.test(v)) return null;
  return Buffer.from(v.replace(/=+$/, ''), 'base64url');
}

function isP256Point(bytes: Buffer): boolean {
  if (bytes.length !== 65 || bytes[0] !== 0x04) return false;
  try {
    // Throws when the point is not on the curve: such a key could never be encrypted to.
    ECDH.convertKey(bytes, 'prime256v1');
    return true;
  } catch {
    return false;
  }
}

export function checkSubscription(
  input: unknown,
  env: 'development' | 'production' | 'test',
): { ok: true; subscription: PushSubscriptionJson; host: string } | { ok: false; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, problems: { subscription: 'is missing: send the browser’s PushSubscription as JSON' } };
  }
  const s = input as { endpoint?: unknown; keys?: unknown };
  let host = '';
  if (typeof s.endpoint !== 'string' || s.endpoint.length === 0) problems['subscription.endpoint'] = 'is missing';
  else if (s.endpoint.length > MAX_ENDPOINT_LENGTH) problems['subscription.endpoint'] = `is longer than ${MAX_ENDPOINT_LENGTH} characters`;
  else {
    let url: URL | null = null;
    try {
      url = new URL(s.endpoint);
    } catch {
      problems['subscription.endpoint'] = 'is not a URL';
    }
    if (url) {
      const loopbackHttp = url.protocol === 'http:' && env !== 'production' && isLoopbackUrl(s.endpoint);
      if (url.protocol !== 'https:' && !loopbackHttp) problems['subscription.endpoint'] = 'must be an https URL';
      else if (url.username || url.password) problems['subscription.endpoint'] = 'must not carry a user name or password';
      else host = url.host;
    }
  }
  const keys = s.keys && typeof s.keys === 'object' && !Array.isArray(s.keys) ? (s.keys as { p256dh?: unknown; auth?: unknown }) : null;
  if (!keys) problems['subscription.keys'] = 'are missing';
  else {
    const p256dh = b64urlBytes(keys.p256dh, 100);
    if (!p256dh || !isP256Point(p256dh)) problems['subscription.keys.p256dh'] = 'must be a P-256 public key (65 bytes, URL-safe base64)';
    const auth = b64urlBytes(keys.auth, 40);
    if (!auth || auth.length !== 16) problems['subscription.keys.auth'] = 'must be 16 bytes in URL-safe base64';
  }
  if (Object.keys(problems).length) return { ok: false, problems };
  const k = keys as { p256dh: string; auth: string };
  return { ok: true, subscription: { endpoint: s.endpoint as string, keys: { p256dh: k.p256dh, auth: k.auth } }, host };
}
