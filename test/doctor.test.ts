import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../src/cli/doctor.js';
import { loadConfig } from '../src/config.js';
import { envFor, runCli } from './helpers/cli.js';
import { createTestDb, type TestDb } from './helpers/db.js';

describe('dropday doctor', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('sqlite');
    await t.close();
  });
  afterAll(() => t.drop());

  it('reports a bad service configuration plainly, naming each variable, and exits non-zero', async () => {
    const r = await runCli(['doctor', '--no-network'], {
      ...envFor(t),
      SPOTIFY_CLIENT_ID: 'abc',
      SPOTIFY_REDIRECT_URI: 'http://localhost:3000/callback/spotify',
      DEEZER_APP_ID: '123',
      TIDAL_CLIENT_ID: 'tidal-client',
      TIDAL_REDIRECT_URI: 'http://example.com/callback/tidal',
    });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/SPOTIFY_CLIENT_ID must be the 32-character client id/);
    expect(r.stderr).toMatch(/"localhost", which Spotify and others reject/);
    expect(r.stderr).toMatch(/DEEZER_SECRET is required/);
    expect(r.stderr).toMatch(/TIDAL_REDIRECT_URI .* must use https/);
  });

  it('checks the Apple Music key and the redirect URIs to register', async () => {
    const good = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const env = {
      ...envFor(t),
      SPOTIFY_CLIENT_ID: 'a'.repeat(32),
      APPLE_MUSIC_TEAM_ID: 'ABCDE12345',
      APPLE_MUSIC_KEY_ID: 'KEY1234567',
      APPLE_MUSIC_PRIVATE_KEY: good,
    };
    const checks = await runDoctor(loadConfig(env), { network: false });
    const text = checks.map((c) => `${c.level} ${c.what}`).join('\n');
    expect(text).toMatch(
      /ok spotify: credentials present; register this exact redirect URI with spotify: http:\/\/127\.0\.0\.1:3000\/callback\/spotify/,
    );
    expect(text).toMatch(/warn spotify: apps in Development Mode serve only 5 fans/);
    expect(text).toMatch(/ok apple-music: MusicKit key parses/);
    expect(checks.some((c) => c.level === 'fail')).toBe(false);

    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const bad = await runDoctor(loadConfig({ ...env, APPLE_MUSIC_PRIVATE_KEY: rsa }), { network: false });
    expect(bad.find((c) => c.level === 'fail')?.what).toMatch(/not an EC P-256 key/);
    const junk = await runDoctor(loadConfig({ ...env, APPLE_MUSIC_PRIVATE_KEY: 'not a key' }), { network: false });
    expect(junk.find((c) => c.level === 'fail')?.what).toMatch(/cannot be read/);
  });
});
