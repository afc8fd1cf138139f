import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addFault, clearFaults, listFaults } from '../src/providers/sandbox/admin.js';
import { registerSandboxRelease } from '../src/providers/sandbox/catalog.js';
import { buildSandboxServer } from '../src/providers/sandbox/server/index.js';
import { simulateSandboxConsent } from '../src/providers/sandbox/server/simulate-fan.js';
import { challengeS256, createVerifier } from '../src/util/pkce.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

const CLIENT = 'dropday-test';
const REDIRECT = 'http://127.0.0.1:3000/oauth/sandbox/callback';

describe.each(testDialects())('Sandbox faults (%s)', (dialect) => {
  let tdb: TestDb;
  let app: FastifyInstance;
  let clock: number;
  let album: string;
  let token: string;
  let refreshToken: string;

  beforeEach(async () => {
    tdb = await createTestDb(dialect);
    clock = Date.UTC(2026, 2, 6, 12);
    app = buildSandboxServer({
      db: tdb.db,
      now: () => clock,
      accessTokenTtlSeconds: 3600,
      clients: [{ clientId: CLIENT, redirectUris: [REDIRECT] }],
      publicBaseUrl: 'http://127.0.0.1:3000/sandbox',
    });
    album = await registerSandboxRelease(
      tdb.db,
      {
        id: 1,
        artist_name: 'Faulty',
        title: 'Glitch',
        release_type: 'single',
        upc: '012345678905',
        isrcs: ['USRC17607839'],
        first_release_at: clock - 1000,
      },
      clock,
    );
    const tokens = await simulateSandboxConsent(app, {
      clientId: CLIENT,
      redirectUri: REDIRECT,
      username: 'ana',
      scopes: ['user-library-modify', 'user-library-read'],
    });
    token = tokens.access_token;
    refreshToken = tokens.refresh_token;
  });
  afterEach(async () => {
    await app.close();
    await tdb.drop();
  });

  const auth = () => ({ authorization: `Bearer ${token}` });
  const saveAlbum = () => app.inject({ method: 'PUT', url: `/sandbox/v1/me/library?uris=sandbox:album:${album}`, headers: auth() });
  const search = () => app.inject({ method: 'GET', url: '/sandbox/v1/search?q=upc:012345678905&type=album', headers: auth() });
  const albumById = () => app.inject({ method: 'GET', url: `/sandbox/v1/albums/${album}`, headers: auth() });
  const me = () => app.inject({ method: 'GET', url: '/sandbox/v1/me', headers: auth() });
  const refresh = () =>
    app.inject({
      method: 'POST',
      url: '/sandbox/api/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT }).toString(),
    });
  const consentPage = () =>
    app.inject({
      method: 'GET',
      url: '/sandbox/authorize',
      query: {
        client_id: CLIENT,
        response_type: 'code',
        redirect_uri: REDIRECT,
        state: 's',
        scope: 'user-library-read',
        code_challenge_method: 'S256',
        code_challenge: challengeS256(createVerifier()),
      },
    });

  it('rate_limit answers 429 with Retry-After for its count, then lets requests through', async () => {
    await addFault(tdb.db, { kind: 'rate_limit', target: 'library', count: 2, retryAfterSeconds: 7 }, clock);
    for (let i = 0; i < 2; i++) {
      const res = await saveAlbum();
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBe('7');
      expect(res.json()).toEqual({ error: { status: 429, message: 'API rate limit exceeded' } });
    }
    expect((await saveAlbum()).statusCode).toBe(200);
    expect(await listFaults(tdb.db)).toEqual([]);
  });

  it('quota answers 429 with reason QUOTA_EXCEEDED', async () => {
    await addFault(tdb.db, { kind: 'quota', target: 'api', count: 1 }, clock);
    const res = await me();
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toEqual({ error: { status: 429, message: 'API rate limit exceeded', reason: 'QUOTA_EXCEEDED' } });
    expect((await me()).statusCode).toBe(200);
  });

  it('server_error answers its status code with a JSON error body', async () => {
    for (const statusCode of [500, 502, 503]) {
      await addFault(tdb.db, { kind: 'server_error', target: 'token', count: 1, statusCode }, clock);
      const res = await refresh();
      expect(res.statusCode).toBe(statusCode);
      expect(res.json().error.status).toBe(statusCode);
      expect(typeof res.json().error.message).toBe('string');
    }
    // The failed requests never reached the handler: the refresh token is still good.
    expect((await refresh()).statusCode).toBe(200);
  });

  it('slow delays the answer and then answers normally', async () => {
    await addFault(tdb.db, { kind: 'slow', target: 'search', count: 1, delayMs: 150 }, clock);
    const started = performance.now();
    const res = await search();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.statusCode).toBe(200);
    expect(res.json().albums.total).toBe(1);
  });

  it('hits only the routes its target names, never the consent pages', async () => {
    await addFault(tdb.db, { kind: 'server_error', target: 'search', statusCode: 503 }, clock);
    expect((await search()).statusCode).toBe(503);
    expect((await albumById()).statusCode).toBe(503);
    expect((await saveAlbum()).statusCode).toBe(200);
    expect((await me()).statusCode).toBe(200);
    await clearFaults(tdb.db);

    await addFault(tdb.db, { kind: 'server_error', target: 'library' }, clock);
    expect((await saveAlbum()).statusCode).toBe(500);
    expect((await search()).statusCode).toBe(200);
    await clearFaults(tdb.db);

    await addFault(tdb.db, { kind: 'server_error', target: 'api' }, clock);
    expect((await me()).statusCode).toBe(500);
    expect((await saveAlbum()).statusCode).toBe(500);
    expect((await search()).statusCode).toBe(500);
    expect((await refresh()).statusCode).toBe(200);
    await clearFaults(tdb.db);

    await addFault(tdb.db, { kind: 'rate_limit', target: 'all' }, clock);
    expect((await me()).statusCode).toBe(429);
    expect((await search()).statusCode).toBe(429);
    expect((await refresh()).statusCode).toBe(429);
    expect((await consentPage()).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/sandbox/album/${album}` })).statusCode).toBe(200);
  });

  it('keeps an uncounted fault until cleared, and tries faults oldest first', async () => {
    const first = await addFault(tdb.db, { kind: 'server_error', target: 'api', count: 1, statusCode: 502 }, clock);
    const second = await addFault(tdb.db, { kind: 'rate_limit', target: 'all' }, clock);
    expect(first).toMatchObject({
      kind: 'server_error',
      target: 'api',
      remaining: 1,
      statusCode: 502,
      retryAfterSeconds: null,
      delayMs: null,
    });
    expect(second).toMatchObject({ kind: 'rate_limit', target: 'all', remaining: null, retryAfterSeconds: 1 });
    expect((await listFaults(tdb.db)).map((f) => f.id)).toEqual([first.id, second.id]);
    expect((await me()).statusCode).toBe(502);
    for (let i = 0; i < 5; i++) expect((await me()).statusCode).toBe(429);
    expect(await listFaults(tdb.db)).toEqual([second]);
    expect(await clearFaults(tdb.db)).toBe(2);
    expect(await listFaults(tdb.db)).toEqual([]);
    expect((await me()).statusCode).toBe(200);
  });

  it('never lets parallel requests take more hits than the count', async () => {
    await addFault(tdb.db, { kind: 'rate_limit', target: 'api', count: 3 }, clock);
    const results = await Promise.all(Array.from({ length: 12 }, () => me()));
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(3);
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(9);
  });

  it('validates faults with clear errors, ignoring options of other kinds', async () => {
    await expect(addFault(tdb.db, { kind: 'explode', target: 'api' }, clock)).rejects.toThrow(/Unknown fault kind "explode"/);
    await expect(addFault(tdb.db, { kind: 'slow', target: 'everything' }, clock)).rejects.toThrow(/Unknown fault target/);
    await expect(addFault(tdb.db, { kind: 'slow', target: 'api', count: 0 }, clock)).rejects.toThrow(/count/);
    await expect(addFault(tdb.db, { kind: 'slow', target: 'api', count: 1.5 }, clock)).rejects.toThrow(/count/);
    await expect(addFault(tdb.db, { kind: 'slow', target: 'api', delayMs: Number.NaN }, clock)).rejects.toThrow(/delayMs/);
    await expect(addFault(tdb.db, { kind: 'server_error', target: 'api', statusCode: 504 }, clock)).rejects.toThrow(/statusCode/);
    await expect(addFault(tdb.db, { kind: 'rate_limit', target: 'api', retryAfterSeconds: -1 }, clock)).rejects.toThrow(
      /retryAfterSeconds/,
    );
    expect(await listFaults(tdb.db)).toEqual([]);
    // The CLI passes every option; only the ones that apply to the kind are kept.
    const f = await addFault(tdb.db, { kind: 'quota', target: 'api', retryAfterSeconds: 30, statusCode: 503, delayMs: 2000 }, clock);
    expect(f).toMatchObject({ retryAfterSeconds: 30, statusCode: null, delayMs: null, remaining: null, createdAt: clock });
  });
});
