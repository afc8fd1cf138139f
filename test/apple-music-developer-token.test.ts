import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DeveloperTokenSigner,
  MAX_DEVELOPER_TOKEN_TTL_S,
  loadMusicKitKey,
  signDeveloperToken,
} from '../src/providers/apple-music/developer-token.js';
import { readAppleMusicConfig } from '../src/providers/apple-music/config.js';
import { EnvReader } from '../src/config-reader.js';
import { ProviderError } from '../src/providers/types.js';
import { verifyDeveloperToken } from './fakes/apple-music/jwt.js';
import { musicKitKeyPair } from './fakes/apple-music/dropday.js';

function decode(token: string) {
  const [h, p, s] = token.split('.') as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, number | string>,
    signature: Buffer.from(s, 'base64url'),
    data: `${h}.${p}`,
  };
}

describe('Apple Music developer token (ES256 JWT)', () => {
  const keys = musicKitKeyPair();
  const base = { teamId: 'TEAM123456', keyId: 'ABC123DEFG', privateKeyPem: keys.privateKeyPem };

  it('has header {alg: ES256, kid} and claims iss, iat, exp, and verifies with the public key (raw r||s signature)', () => {
    const t0 = Date.UTC(2026, 10, 1);
    const token = new DeveloperTokenSigner({ ...base, tokenTtlSeconds: 15_552_000 }, () => t0).token();
    const { header, claims, signature, data } = decode(token);
    expect(header).toEqual({ alg: 'ES256', kid: 'ABC123DEFG' });
    expect(claims).toEqual({ iss: 'TEAM123456', iat: t0 / 1000, exp: t0 / 1000 + 15_552_000 });
    expect(signature).toHaveLength(64);
    expect(verify('sha256', Buffer.from(data), { key: keys.publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    // And the fake (which checks like Apple) accepts it.
    const check = verifyDeveloperToken(token, { publicKey: keys.publicKey, keyId: 'ABC123DEFG', teamId: 'TEAM123456', nowS: t0 / 1000 });
    expect(check.ok).toBe(true);
  });

  it('never lives longer than 15,777,000 s after iat', () => {
    const t0 = 1_800_000_000_000;
    const token = new DeveloperTokenSigner({ ...base, tokenTtlSeconds: 99_999_999 }, () => t0).token();
    const { claims } = decode(token);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(MAX_DEVELOPER_TOKEN_TTL_S);
    // The configuration refuses a longer lifetime outright.
    const r = new EnvReader({
      APPLE_MUSIC_TEAM_ID: 'T',
      APPLE_MUSIC_KEY_ID: 'K',
      APPLE_MUSIC_PRIVATE_KEY: 'x',
      APPLE_MUSIC_TOKEN_TTL_SECONDS: '15777001',
    });
    readAppleMusicConfig(r);
    expect(r.problems.join()).toMatch(/APPLE_MUSIC_TOKEN_TTL_SECONDS must be a whole number from 3600 to 15777000/);
  });

  it('is cached, and signed again only when less than a day is left', () => {
    let now = 1_800_000_000_000;
    const ttl = 30 * 86_400;
    const signer = new DeveloperTokenSigner({ ...base, tokenTtlSeconds: ttl }, () => now);
    const first = signer.token();
    now += 10 * 86_400_000;
    expect(signer.token()).toBe(first);
    now += (ttl - 10 * 86_400 - 86_400 - 60) * 1000; // just over a day left
    expect(signer.token()).toBe(first);
    now += 120_000; // now less than a day left
    const second = signer.token();
    expect(second).not.toBe(first);
    expect(decode(second).claims.iat).toBe(Math.floor(now / 1000));
    expect(signer.token()).toBe(second);
  });

  it('short lifetimes renew at a quarter of their life, not on every call', () => {
    let now = 1_800_000_000_000;
    const signer = new DeveloperTokenSigner({ ...base, tokenTtlSeconds: 3600 }, () => now);
    const first = signer.token();
    now += 2000_000;
    expect(signer.token()).toBe(first);
    now += 800_000; // 800 s left < 900 s
    expect(signer.token()).not.toBe(first);
  });

  it('a key that is not a P-256 .p8 key is a configuration error that never shows the key', () => {
    const secretLooking = '-----BEGIN PRIVATE KEY-----\nTOPSECRETMATERIAL\n-----END PRIVATE KEY-----';
    let err: unknown;
    try {
      new DeveloperTokenSigner({ ...base, privateKeyPem: secretLooking, tokenTtlSeconds: 3600 }, Date.now).token();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('bad_config');
    expect((err as ProviderError).message).toMatch(/\.p8/);
    expect((err as ProviderError).message).not.toContain('TOPSECRET');

    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadMusicKitKey(rsa)).toThrow(/not an EC P-256 key/);
  });

  it('a token signed with another key, or for another team, or expired, is refused by the fake', () => {
    const other = musicKitKeyPair();
    const t0 = 1_800_000_000_000;
    const key = loadMusicKitKey(other.privateKeyPem);
    const forged = signDeveloperToken(key, 'ABC123DEFG', { iss: 'TEAM123456', iat: t0 / 1000, exp: t0 / 1000 + 60 });
    const check = (token: string, nowS = t0 / 1000) =>
      verifyDeveloperToken(token, { publicKey: keys.publicKey, keyId: 'ABC123DEFG', teamId: 'TEAM123456', nowS });
    expect(check(forged)).toEqual({ ok: false, reason: 'bad signature' });
    const mine = loadMusicKitKey(keys.privateKeyPem);
    expect(check(signDeveloperToken(mine, 'ABC123DEFG', { iss: 'OTHERTEAM', iat: t0 / 1000, exp: t0 / 1000 + 60 }))).toEqual({
      ok: false,
      reason: 'wrong issuer',
    });
    expect(
      check(signDeveloperToken(mine, 'ABC123DEFG', { iss: 'TEAM123456', iat: t0 / 1000, exp: t0 / 1000 + 60 }), t0 / 1000 + 61),
    ).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(
      check(signDeveloperToken(mine, 'ABC123DEFG', { iss: 'TEAM123456', iat: t0 / 1000, exp: t0 / 1000 + MAX_DEVELOPER_TOKEN_TTL_S + 1 })),
    ).toEqual({ ok: false, reason: 'lifetime longer than 15777000 s' });
    expect(createPublicKey(keys.privateKeyPem).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });
});
