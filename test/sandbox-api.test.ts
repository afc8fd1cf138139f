import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { libraryOf } from '../src/providers/sandbox/admin.js';
import { registerSandboxRelease } from '../src/providers/sandbox/catalog.js';
import { buildSandboxServer } from '../src/providers/sandbox/server/index.js';
import { simulateSandboxConsent } from '../src/providers/sandbox/server/simulate-fan.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

const CLIENT = 'dropday-test';
const REDIRECT = 'http://127.0.0.1:3000/oauth/sandbox/callback';
const BASE = 'http://127.0.0.1:3000/sandbox';
const ALL_SCOPES = ['user-library-modify', 'user-library-read', 'user-follow-modify', 'user-follow-read'];
const HOUR = 3600 * 1000;

describe.each(testDialects())('Sandbox Web API (%s)', (dialect) => {
  let tdb: TestDb;
  let app: FastifyInstance;
  let clock: number;
  let live: string;
  let future: string;
  let artistId: string;

  beforeEach(async () => {
    tdb = await createTestDb(dialect);
    clock = Date.UTC(2026, 2, 6, 12);
    app = buildSandboxServer({
      db: tdb.db,
      now: () => clock,
      accessTokenTtlSeconds: 3600,
      clients: [{ clientId: CLIENT, redirectUris: [REDIRECT] }],
      publicBaseUrl: BASE,
    });
    live = await registerSandboxRelease(
      tdb.db,
      {
        id: 1,
        artist_name: 'The Testers',
        title: 'First <Light>',
        release_type: 'ep',
        upc: '012345678905',
        isrcs: ['USRC17607839', 'USRC17607840'],
        first_release_at: clock - HOUR,
      },
      clock,
    );
    future = await registerSandboxRelease(
      tdb.db,
      {
        id: 2,
        artist_name: 'The Testers',
        title: 'Second Wind',
        release_type: 'album',
        upc: '4006381333931',
        isrcs: ['GBAYE2600001'],
        first_release_at: clock + HOUR,
      },
      clock,
    );
    artistId = (await tdb.db.selectFrom('sandbox_artists').select('id').executeTakeFirstOrThrow()).id;
  });
  afterEach(async () => {
    await app.close();
    await tdb.drop();
  });

  async function tokenFor(username = 'ana', scopes = ALL_SCOPES): Promise<string> {
    return (await simulateSandboxConsent(app, { clientId: CLIENT, redirectUri: REDIRECT, username, scopes })).access_token;
  }

  function get(url: string, token: string) {
    return app.inject({ method: 'GET', url: `/sandbox/v1${url}`, headers: { authorization: `Bearer ${token}` } });
  }
  function save(uris: string, token: string, method: 'PUT' | 'DELETE' = 'PUT') {
    return app.inject({
      method,
      url: `/sandbox/v1/me/library?uris=${encodeURIComponent(uris)}`,
      headers: { authorization: `Bearer ${token}` },
    });
  }
  function contains(uris: string, token: string) {
    return get(`/me/library/contains?uris=${encodeURIComponent(uris)}`, token);
  }

  it('finds a live release by UPC, shaped like a Spotify simplified album', async () => {
    const token = await tokenFor();
    const res = await get('/search?q=upc:012345678905&type=album', token);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.albums).toMatchObject({ limit: 5, offset: 0, total: 1 });
    expect(body.albums.items).toHaveLength(1);
    expect(body.albums.items[0]).toMatchObject({
      id: live,
      uri: `sandbox:album:${live}`,
      name: 'First <Light>',
      album_type: 'single',
      release_date: '2026-03-06',
      artists: [{ id: artistId, uri: `sandbox:artist:${artistId}`, name: 'The Testers' }],
      external_urls: { sandbox: `${BASE}/album/${live}` },
    });
    expect(body.albums.items[0].external_ids).toBeUndefined();
  });

  it('finds nothing before live_at, and the release once it is live', async () => {
    const token = await tokenFor();
    const before = await get('/search?q=upc:4006381333931&type=album', token);
    expect(before.json().albums).toMatchObject({ items: [], total: 0 });
    expect((await get('/search?q=isrc:GBAYE2600001&type=track', token)).json().tracks.items).toEqual([]);
    expect((await get(`/albums/${future}`, token)).statusCode).toBe(404);
    clock += HOUR;
    const after = await get('/search?q=upc:4006381333931&type=album', await tokenFor());
    expect(after.json().albums.items.map((a: { id: string }) => a.id)).toEqual([future]);
    expect(after.json().albums.items[0].album_type).toBe('album');
  });

  it('finds tracks by ISRC, one per matching ISRC, with their album', async () => {
    const token = await tokenFor();
    const res = await get('/search?q=isrc:usrc17607840&type=track&limit=10', token);
    expect(res.statusCode).toBe(200);
    const { tracks } = res.json();
    expect(tracks).toMatchObject({ limit: 10, offset: 0, total: 1 });
    expect(tracks.items[0]).toMatchObject({
      id: `${live}-2`,
      uri: `sandbox:track:${live}-2`,
      external_ids: { isrc: 'USRC17607840' },
      album: { id: live, uri: `sandbox:album:${live}`, name: 'First <Light>' },
    });
    expect((await get('/search?q=isrc:USRC17607839&type=track', token)).json().tracks.items[0].id).toBe(`${live}-1`);
    expect((await get('/search?q=isrc:%25&type=track', token)).json().tracks.items).toEqual([]);
  });

  it('validates search parameters', async () => {
    const token = await tokenFor();
    for (const limit of ['0', '11', 'abc', '-1', '1.5', '']) {
      const res = await get(`/search?q=upc:012345678905&type=album&limit=${limit}`, token);
      expect(res.statusCode, limit).toBe(400);
      expect(res.json()).toEqual({ error: { status: 400, message: 'Invalid limit' } });
    }
    expect((await get('/search?q=upc:012345678905&type=album&limit=1', token)).statusCode).toBe(200);
    expect((await get('/search?q=upc:012345678905&type=album&limit=10', token)).statusCode).toBe(200);
    for (const query of [
      'type=album',
      'q=upc:012345678905',
      'q=upc:012345678905&type=artist',
      'q=isrc:USRC17607839&type=album',
      'q=hello&type=album',
      'q=upc:1&q=upc:2&type=album',
    ]) {
      const res = await get(`/search?${query}`, token);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.status).toBe(400);
    }
    expect((await app.inject({ method: 'GET', url: '/sandbox/v1/search?q=upc:012345678905&type=album' })).statusCode).toBe(401);
  });

  it('returns the full album with its UPC, and 404 for unknown ids', async () => {
    const token = await tokenFor();
    const res = await get(`/albums/${live}`, token);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: live, name: 'First <Light>', external_ids: { upc: '012345678905' }, tracks: { total: 2 } });
    for (const id of ['nope', encodeURIComponent("x' OR 1=1 --")]) {
      const missing = await get(`/albums/${id}`, token);
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ error: { status: 404, message: 'Non existing id' } });
    }
  });

  it('saves albums and artists idempotently and reports them with contains', async () => {
    const token = await tokenFor();
    const uris = `sandbox:album:${live},sandbox:artist:${artistId}`;
    const res = await save(uris, token);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    expect((await save(uris, token)).statusCode).toBe(200);
    expect((await save(`sandbox:album:${live},sandbox:album:${live}`, token)).statusCode).toBe(200);

    const check = await contains(`sandbox:album:${live},sandbox:album:${future},sandbox:artist:${artistId}`, token);
    expect(check.statusCode).toBe(200);
    expect(check.json()).toEqual([true, false, true]);
    // Another user's library is separate.
    expect((await contains(`sandbox:album:${live}`, await tokenFor('bo'))).json()).toEqual([false]);

    const lib = await libraryOf(tdb.db, 'ana');
    expect(lib).toHaveLength(2);
    expect(lib).toContainEqual({
      uri: `sandbox:album:${live}`,
      savedAt: clock,
      kind: 'album',
      title: 'First <Light>',
      artist: 'The Testers',
    });
    expect(lib).toContainEqual({ uri: `sandbox:artist:${artistId}`, savedAt: clock, kind: 'artist', artist: 'The Testers' });

    expect((await save(`sandbox:album:${live}`, token, 'DELETE')).statusCode).toBe(200);
    expect((await contains(`sandbox:album:${live},sandbox:artist:${artistId}`, token)).json()).toEqual([false, true]);
  });

  it('ignores a request body, as Spotify does', async () => {
    const token = await tokenFor();
    const res = await app.inject({
      method: 'PUT',
      url: `/sandbox/v1/me/library?uris=sandbox:album:${live}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '',
    });
    expect(res.statusCode).toBe(200);
    const garbage = await app.inject({
      method: 'PUT',
      url: `/sandbox/v1/me/library?uris=sandbox:album:${live}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(garbage.statusCode).toBe(200);
  });

  it('rejects invalid URIs with 400 and saves nothing', async () => {
    const token = await tokenFor();
    const bad = [
      `sandbox:album:${live},sandbox:album:doesnotexist`,
      `sandbox:album:${live},sandbox:album:${future}`,
      `sandbox:album:${live},spotify:album:${live}`,
      `sandbox:album:${live},sandbox:track:${live}-1`,
      `sandbox:album:${live},`,
      `sandbox:artist:nobody`,
    ];
    for (const uris of bad) {
      const res = await save(uris, token);
      expect(res.statusCode, uris).toBe(400);
      expect(res.json().error.status).toBe(400);
      expect(res.json().error.message).toMatch(/^Invalid uri: /);
    }
    expect((await save(`sandbox:album:${live},sandbox:album:nope`, token)).json().error.message).toBe('Invalid uri: sandbox:album:nope');
    expect(await libraryOf(tdb.db, 'ana')).toEqual([]);

    const tooMany = Array.from({ length: 41 }, () => `sandbox:album:${live}`).join(',');
    expect((await save(tooMany, token)).statusCode).toBe(400);
    expect((await contains(tooMany, token)).statusCode).toBe(400);
    const forty = Array.from({ length: 40 }, () => `sandbox:album:${live}`).join(',');
    expect((await save(forty, token)).statusCode).toBe(200);
    expect((await contains(forty, token)).json()).toHaveLength(40);
    const missing = await app.inject({ method: 'PUT', url: '/sandbox/v1/me/library', headers: { authorization: `Bearer ${token}` } });
    expect(missing.statusCode).toBe(400);
    const twice = await app.inject({
      method: 'PUT',
      url: `/sandbox/v1/me/library?uris=sandbox:album:${live}&uris=x`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(twice.statusCode).toBe(400);
    expect((await contains('bogus', token)).statusCode).toBe(400);
  });

  it('checks scopes', async () => {
    const readOnly = await tokenFor('ana', ['user-library-read']);
    const noFollow = await tokenFor('ana', ['user-library-modify', 'user-library-read']);
    const noRead = await tokenFor('ana', ['user-library-modify', 'user-follow-modify']);
    const forbidden = { error: { status: 403, message: 'Insufficient client scope' } };

    const r1 = await save(`sandbox:album:${live}`, readOnly);
    expect(r1.statusCode).toBe(403);
    expect(r1.json()).toEqual(forbidden);
    expect((await save(`sandbox:album:${live}`, noFollow)).statusCode).toBe(200);
    // One artist URI without user-follow-modify fails the whole request.
    expect((await save(`sandbox:album:${live},sandbox:artist:${artistId}`, noFollow)).json()).toEqual(forbidden);
    expect((await save(`sandbox:artist:${artistId}`, noRead)).statusCode).toBe(200);
    expect((await contains(`sandbox:album:${live}`, noRead)).json()).toEqual(forbidden);
    expect((await contains(`sandbox:album:${live},sandbox:artist:${artistId}`, readOnly)).json()).toEqual([true, true]);
    expect((await save(`sandbox:album:${live}`, readOnly, 'DELETE')).statusCode).toBe(403);
    // Search, albums and /me need no scope.
    const none = await tokenFor('cy', []);
    expect((await get('/me', none)).statusCode).toBe(200);
    expect((await get(`/albums/${live}`, none)).statusCode).toBe(200);
  });

  it('dates a release by the day its campaign names, not the UTC day of its first instant', async () => {
    // 00:00 on 7 March in Auckland is still 6 March in UTC.
    const firstInstant = Date.UTC(2026, 2, 6, 11);
    await tdb.db
      .insertInto('campaigns')
      .values({
        slug: 'nz',
        artist_name: 'Kiwi',
        title: 'Early Bird',
        release_type: 'single',
        artwork_url: null,
        upc: '036000291452',
        isrcs: '[]',
        release_local: '2026-03-07T00:00',
        release_timezone: 'Pacific/Auckland',
        timing: 'local',
        first_release_at: firstInstant,
        last_release_at: firstInstant + 26 * HOUR,
        services: '["sandbox"]',
        follow_artist: 0,
        status: 'active',
        is_demo: 0,
        created_at: clock,
        updated_at: clock,
      })
      .execute();
    const campaign = await tdb.db.selectFrom('campaigns').select('id').where('slug', '=', 'nz').executeTakeFirstOrThrow();
    const id = await registerSandboxRelease(
      tdb.db,
      {
        id: Number(campaign.id),
        artist_name: 'Kiwi',
        title: 'Early Bird',
        release_type: 'single',
        upc: '036000291452',
        isrcs: [],
        first_release_at: firstInstant,
      },
      clock,
    );
    const res = await get(`/albums/${id}`, await tokenFor());
    expect(res.json().release_date).toBe('2026-03-07');
  });

  it('never answers 500 to bad input', async () => {
    const token = await tokenFor();
    expect((await get('/albums/%00', token)).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/sandbox/album/%00' })).statusCode).toBe(404);
    expect((await get('/search?q=upc:%00&type=album', token)).statusCode).toBe(400);
    expect((await contains('sandbox:album:%00', token)).statusCode).toBe(400);
    const form = await app.inject({
      method: 'POST',
      url: '/sandbox/authorize',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'request_id=%00&decision=allow',
    });
    expect(form.statusCode).toBe(400);
  });

  it('serves an album page for smart links, and JSON 404s under /v1', async () => {
    const page = await app.inject({ method: 'GET', url: `/sandbox/album/${live}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('First &lt;Light&gt;');
    expect(page.body).toContain('The Testers');
    expect((await app.inject({ method: 'GET', url: `/sandbox/album/${future}` })).statusCode).toBe(404);
    const unknown = await app.inject({ method: 'GET', url: '/sandbox/v1/me/albums' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: { status: 404, message: 'Service not found' } });
  });
});
