import { createDecipheriv, createECDH, randomBytes, createPublicKey, hkdfSync, verify, type ECDH } from 'node:crypto';

/**
 * What a browser and a push service do with a web push, written from the RFCs with node:crypto
 * only — not with the `web-push` package Dropday sends with, so a mistake on either side shows:
 * - RFC 8291 + RFC 8188: decrypting an `aes128gcm` body with the subscription's private key and
 *   auth secret (what the browser does before the service worker sees the payload);
 * - RFC 8292: checking the VAPID `Authorization: vapid t=<JWT>, k=<key>` (what the push service does).
 */
const info = (label: string) => Buffer.concat([Buffer.from(`Content-Encoding: ${label}`), Buffer.from([0])]);

export function decryptAes128gcm(body: Buffer, ua: ECDH, authSecret: Buffer): string {
  if (body.length < 21 + 65 + 17) throw new Error('body too short for an aes128gcm record');
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  if (idlen !== 65 || asPublic[0] !== 0x04) throw new Error('keyid is not the sender’s uncompressed P-256 key');
  const record = body.subarray(21 + idlen);
  if (record.length > rs) throw new Error('more than one record: a push payload is one record');
  const uaPublic = ua.getPublicKey();
  const ecdhSecret = ua.computeSecret(asPublic);
  // RFC 8291 §3.4: IKM from the ECDH secret, keyed by the auth secret, bound to both public keys.
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info'), Buffer.from([0]), uaPublic, asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, authSecret, keyInfo, 32));
  // RFC 8188 §2.2/2.3: content key and nonce from the salt.
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, info('aes128gcm'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, info('nonce'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== 0x02) throw new Error('no last-record padding delimiter');
  return padded.subarray(0, end).toString('utf8');
}

export interface VapidCheck {
  ok: boolean;
  problem?: string;
  /** The application server key the request was signed with (`k=`). */
  key?: string;
  claims?: { aud?: unknown; exp?: unknown; sub?: unknown };
}

/** Checks `Authorization: vapid t=<jwt>, k=<key>` as a push service does, against `origin` and the clock. */
export function checkVapid(header: string | undefined, origin: string, nowMs: number): VapidCheck {
  const m = header ? /^vapid\s+(.+)$/i.exec(header.trim()) : null;
  if (!m) return { ok: false, problem: 'no vapid authorization' };
  const params = new Map<string, string>();
  for (const part of m[1]!.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const jwt = params.get('t');
  const key = params.get('k');
  if (!jwt || !key) return { ok: false, problem: 'vapid t= or k= missing' };
  const parts = jwt.split('.');
  if (parts.length !== 3) return { ok: false, problem: 'not a JWT' };
  const [h, p, s] = parts as [string, string, string];
  let header_: { alg?: unknown; typ?: unknown };
  let claims: { aud?: unknown; exp?: unknown; sub?: unknown };
  try {
    header_ = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as typeof header_;
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return { ok: false, problem: 'JWT parts are not JSON' };
  }
  if (header_.alg !== 'ES256') return { ok: false, problem: `alg ${String(header_.alg)} is not ES256` };
  const point = Buffer.from(key, 'base64url');
  if (point.length !== 65 || point[0] !== 0x04) return { ok: false, problem: 'k is not an uncompressed P-256 key' };
  let valid = false;
  try {
    const pub = createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
      format: 'jwk',
    });
    valid = verify('sha256', Buffer.from(`${h}.${p}`), { key: pub, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, problem: 'signature does not verify with k', key, claims };
  if (claims.aud !== origin) return { ok: false, problem: `aud ${String(claims.aud)} is not ${origin}`, key, claims };
  const now = Math.floor(nowMs / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now) return { ok: false, problem: 'exp is not in the future', key, claims };
  if (claims.exp > now + 24 * 3600 + 60) return { ok: false, problem: 'exp is more than 24 h away', key, claims };
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) return { ok: false, problem: 'sub is missing', key, claims };
  return { ok: true, key, claims };
}

/** A browser's side of a subscription: the P-256 key pair and the 16-byte auth secret. */
export function newBrowserKeys(): { ecdh: ECDH; p256dh: string; auth: Buffer } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return { ecdh, p256dh: ecdh.getPublicKey().toString('base64url'), auth };
}
