import { verify, type KeyObject } from 'node:crypto';

/** How the fake checks a developer token, as Apple does: ES256 signature, kid, issuer, times. */
export const MAX_TTL_S = 15_777_000;

export interface DeveloperTokenCheck {
  publicKey: KeyObject;
  keyId: string;
  teamId: string;
  nowS: number;
}

export type DeveloperTokenResult =
  { ok: true; header: Record<string, unknown>; claims: Record<string, unknown> } | { ok: false; reason: string };

export function verifyDeveloperToken(token: string, c: DeveloperTokenCheck): DeveloperTokenResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not a JWT' };
  const [h, p, s] = parts as [string, string, string];
  const header = decode(h);
  const claims = decode(p);
  if (!header || !claims) return { ok: false, reason: 'unreadable JWT' };
  if (header.alg !== 'ES256') return { ok: false, reason: `alg ${String(header.alg)} is not ES256` };
  if (header.kid !== c.keyId) return { ok: false, reason: 'unknown kid' };
  const sig = Buffer.from(s, 'base64url');
  if (sig.length !== 64) return { ok: false, reason: 'signature is not a raw 64-byte ES256 signature' };
  if (!verify('sha256', Buffer.from(`${h}.${p}`), { key: c.publicKey, dsaEncoding: 'ieee-p1363' }, sig)) {
    return { ok: false, reason: 'bad signature' };
  }
  if (claims.iss !== c.teamId) return { ok: false, reason: 'wrong issuer' };
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || typeof exp !== 'number') return { ok: false, reason: 'iat/exp missing' };
  if (iat > c.nowS + 300) return { ok: false, reason: 'issued in the future' };
  if (exp <= c.nowS) return { ok: false, reason: 'expired' };
  if (exp - iat > MAX_TTL_S) return { ok: false, reason: 'lifetime longer than 15777000 s' };
  return { ok: true, header, claims };
}

function decode(part: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
