import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpotifyAdapter } from '../src/providers/spotify/adapter.js';
import { startSpotifyFake, type FakeAlbum, type SpotifyFake } from './fakes/spotify/index.js';
import { consentAs, TEST_REDIRECT_URI } from './fakes/spotify/simulate.js';

/** The fake itself answers like Spotify: limits, error shapes, query-only URIs, Development Mode. */
let fake: SpotifyFake;
let adapter: SpotifyAdapter;
let token: string;
let album: FakeAlbum;

beforeEach(async () => {
  fake = await startSpotifyFake();
  adapter = new SpotifyAdapter(
    {
      clientId: fake.clientId,
      clientSecret: null,
      redirectUri: TEST_REDIRECT_URI,
      accountsBaseUrl: fake.url,
      apiBaseUrl: fake.apiUrl,
      legacyFollowFallback: false,
    },
    { timeoutMs: 5000, now: Date.now },
  );
  token = (await consentAs(fake, adapter, 'ana', { followArtist: true })).accessToken;
  album = fake.state.addAlbum({
    name: 'Tracks',
    upc: '036000291452',
    tracks: Array.from({ length: 41 }, (_, i) => ({ name: `T${i}` })),
  });
});
afterEach(async () => {
  await adapter.close();
  await fake.close();
});

const call = (method: string, p: string, init: { body?: string; headers?: Record<string, string>; auth?: string | null } = {}) =>
  fetch(`${fake.apiUrl}${p}`, {
    method,
    headers: { ...(init.auth === null ? {} : { authorization: `Bearer ${init.auth ?? token}` }), ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });

describe('the fake Spotify', () => {
  it('search: limit above 10 is a 400 in Spotify’s error shape; albums carry no external_ids in search', async () => {
    const bad = await call('GET', '/search?q=upc:036000291452&type=album&limit=11');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { status: 400, message: 'Invalid limit' } });
    const ok = (await (await call('GET', '/search?q=upc:036000291452&type=album&limit=10')).json()) as {
      albums: { items: Record<string, unknown>[] };
    };
    expect(ok.albums.items.map((a) => a.id)).toEqual([album.id]);
    expect(ok.albums.items[0]).not.toHaveProperty('external_ids');
    const full = (await (await call('GET', `/albums/${album.id}`)).json()) as Record<string, unknown>;
    expect(full).toMatchObject({ external_ids: { upc: '036000291452' }, release_date_precision: 'day', tracks: { total: 41 } });
  });

  it('PUT /me/library: URIs in the query only (a JSON body is ignored), at most 40, 200 with an empty body', async () => {
    const uris = album.tracks.map((t) => `spotify:track:${t.id}`);
    const viaBody = await call('PUT', '/me/library', {
      body: JSON.stringify({ uris: uris.slice(0, 1) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(viaBody.status).toBe(400);
    expect(((await viaBody.json()) as { error: { message: string } }).error.message).toBe('Missing required parameter: uris');
    const tooMany = await call('PUT', `/me/library?uris=${encodeURIComponent(uris.join(','))}`);
    expect(tooMany.status).toBe(400);
    const ok = await call('PUT', `/me/library?uris=${encodeURIComponent(uris.slice(0, 40).join(','))}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('');
    const contains = await call('GET', `/me/library/contains?uris=${encodeURIComponent([uris[0], uris[40]].join(','))}`);
    expect(await contains.json()).toEqual([true, false]);
  });

  it('401 shapes: no token, unknown token (expiry: see spotify-adapter.test.ts)', async () => {
    expect(await (await call('GET', '/me', { auth: null })).json()).toEqual({ error: { status: 401, message: 'No token provided' } });
    expect(await (await call('GET', '/me', { auth: 'nope' })).json()).toEqual({ error: { status: 401, message: 'Invalid access token' } });
  });

  it('Development Mode: legacy /me/albums and batch /albums are 403; outsiders are 403 on every call', async () => {
    expect((await call('GET', `/me/albums/contains?ids=${album.id}`)).status).toBe(403);
    expect((await call('GET', `/albums?ids=${album.id}`)).status).toBe(403);
    fake.state.allowUser('someone');
    expect(await (await call('GET', '/me')).json()).toEqual({
      error: { status: 403, message: 'User not registered in the Developer Dashboard' },
    });
    expect(() => ['a', 'b', 'c', 'd', 'e'].forEach((u) => fake.state.allowUser(u))).toThrow(/at most 5/);
  });

  it('429 faults carry Retry-After; quota carries reason QUOTA_EXCEEDED; the request log records the wait', async () => {
    fake.faults.add({ kind: 'rate_limit', retryAfterSeconds: 3, target: 'me' });
    const limited = await call('GET', '/me');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    const rec = fake.state.apiRequests('me').at(-1)!;
    expect(rec.retryAfterUntil! - rec.respondedAt!).toBe(3000);
    await call('GET', '/me');
    expect(fake.state.requestsInsideRetryAfter()).toHaveLength(1);
    fake.faults.add({ kind: 'quota', target: 'search' });
    expect(await (await call('GET', '/search?q=x&type=album')).json()).toEqual({
      error: { status: 429, message: 'API rate limit exceeded', reason: 'QUOTA_EXCEEDED' },
    });
  });

  it('the consent page rejects an unregistered redirect URI and unknown scopes', async () => {
    const base = `${fake.url}/authorize?client_id=${fake.clientId}&response_type=code&code_challenge_method=S256&code_challenge=${'a'.repeat(43)}`;
    const wrongUri = await fetch(`${base}&redirect_uri=${encodeURIComponent('http://127.0.0.1:9/elsewhere')}&scope=user-library-read`);
    expect(wrongUri.status).toBe(400);
    expect(await wrongUri.text()).toContain('INVALID_CLIENT: Invalid redirect URI');
    const badScope = await fetch(`${base}&redirect_uri=${encodeURIComponent(TEST_REDIRECT_URI)}&scope=user-everything&state=s`, {
      redirect: 'manual',
    });
    const back = new URL(badScope.headers.get('location')!);
    expect(back.searchParams.get('error')).toBe('invalid_scope');
    expect(back.searchParams.get('state')).toBe('s');
  });
});
