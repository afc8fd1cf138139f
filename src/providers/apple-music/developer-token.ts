import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { ProviderError } from '../types.js';

/**
 * The Apple Music developer token: an ES256 JWT signed with the operator's MusicKit key (.p8).
 * Apple accepts at most 15,777,000 s (about 6 months) between `iat` and `exp`. One token is signed,
 * cached and reused for every request and every fan's MusicKit page, and signed again before it
 * runs out. The key never leaves this module and never appears in an error message or a log.
 */
export const MAX_DEVELOPER_TOKEN_TTL_S = 15_777_000;
/** Renew when less than this is left (or a quarter of the lifetime, for short lifetimes). */
export const RENEW_MARGIN_S = 86_400;

export interface DeveloperTokenOptions {
  teamId: string;
  keyId: string;
  privateKeyPem: string;
  tokenTtlSeconds: number;
}

export interface DeveloperTokenClaims {
  iss: string;
  iat: number;
  exp: number;
}

/** Reads the .p8 key; a key that is not an EC P-256 private key is a configuration problem. */
export function loadMusicKitKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new ProviderError(
      'bad_config',
      'the Apple Music private key cannot be read: APPLE_MUSIC_PRIVATE_KEY(_FILE) must hold the .p8 file downloaded from Apple (PEM, "BEGIN PRIVATE KEY")',
    );
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || (curve !== 'prime256v1' && curve !== 'P-256')) {
    throw new ProviderError(
      'bad_config',
      'the Apple Music private key is not an EC P-256 key: use the MusicKit .p8 key downloaded from Apple',
    );
  }
  return key;
}

/** Signs one developer token (ES256: raw r||s signature, as JOSE requires). */
export function signDeveloperToken(key: KeyObject, keyId: string, claims: DeveloperTokenClaims): string {
  const header = b64url(JSON.stringify({ alg: 'ES256', kid: keyId }));
  const payload = b64url(JSON.stringify(claims));
  const data = `${header}.${payload}`;
  const signature = sign('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  return `${data}.${signature}`;
}

export class DeveloperTokenSigner {
  private key: KeyObject | null = null;
  private cached: { token: string; exp: number } | null = null;

  constructor(
    private readonly opts: DeveloperTokenOptions,
    private readonly now: () => number,
  ) {}

  /** A valid developer token: the cached one, or a new one when less than the renew margin is left. */
  token(): string {
    const nowS = Math.floor(this.now() / 1000);
    if (this.cached && this.cached.exp - nowS > this.renewMarginS()) return this.cached.token;
    this.key ??= loadMusicKitKey(this.opts.privateKeyPem);
    const ttl = Math.min(Math.max(this.opts.tokenTtlSeconds, 60), MAX_DEVELOPER_TOKEN_TTL_S);
    const claims = { iss: this.opts.teamId, iat: nowS, exp: nowS + ttl };
    this.cached = { token: signDeveloperToken(this.key, this.opts.keyId, claims), exp: claims.exp };
    return this.cached.token;
  }

  /** Drops the cached token, e.g. after the operator replaced the key. */
  reset(): void {
    this.cached = null;
  }

  private renewMarginS(): number {
    return Math.min(RENEW_MARGIN_S, Math.floor(this.opts.tokenTtlSeconds / 4));
  }
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}
