import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../src/campaigns/identifiers.js';
import { DeezerAdapter } from '../src/providers/deezer/adapter.js';
import { ProviderError, type ProviderErrorKind, type ReleaseQuery } from '../src/providers/types.js';
import { startDeezerFake, type DeezerFake } from './fakes/deezer/index.js';

/**
 * DeezerAdapter against the Deezer fake over real HTTP: OAuth without PKCE, release resolution
 * (UPC → ISRC → artist + exact title, each verified), saving and verifying favourites, and the
 * classification of every kind of Deezer answer. No database is involved.
 */
const REDIRECT = 'http://127.0.0.1:9/callback/deezer';
const UPC = withCheckDigit('19028800001');
const ISRC = 'GBAYE2600001';

let fake: DeezerFake;
let clock: number;
let adapter: DeezerAdapter;

function makeAdapter(timeoutMs = 5000): DeezerAdapter {
  return new DeezerAdapter(
    { appId: fake.appId, secret: fake.secret, redirectUri: REDIRECT, connectBaseUrl: fake.connectUrl, apiBaseUrl: fake.apiUrl },
    { timeoutMs, now: () => clock },
  );
}

/** Walks the consent page like a fan and returns the authorization code from the redirect. */
async function consent(username: string, opts: { perms?: string; state?: string } = {}): Promise<URL> {
  const url = new URL(
    adapter.authorizationUrl({
      state: opts.state ?? 'state-abc',
      codeChallenge: 'c'.repeat(43),
      redirectUri: REDIRECT,
      scopes: adapter.scopesFor({ followArtist: true }),
    }),
  );
  if (opts.perms) url.searchParams.set('perms', opts.perms);
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const requestId = /name="request_id" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(new URL('./authorize', url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request_id: requestId, username, decision: 'allow' }).toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

async function tokenFor(username: string): Promise<string> {
  const code = (await consent(username)).searchParams.get('code')!;
  return (await adapter.exchangeCode(code, 'unused-verifier', REDIRECT)).accessToken;
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProviderError) return err;
    throw err;
  }
  throw new Error('expected a ProviderError');
}

async function expectKind(p: Promise<unknown>, kind: ProviderErrorKind): Promise<ProviderError> {
  const err = await failure(p);
  expect(err.kind, err.message).toBe(kind);
  return err;
}

const query = (q: Partial<ReleaseQuery>): ReleaseQuery => ({
  upc: null,
  isrcs: [],
  artistName: 'Nadia Vale',
  title: 'Midnight Drive',
  ...q,
});

beforeEach(async () => {
  clock = Date.parse('2026-11-20T12:00:00Z');
  fake = await startDeezerFake({ now: () => clock });
  fake.state.addRedirectUri(REDIRECT);
  adapter = makeAdapter();
});
afterEach(async () => {
  await fake.close();
});

describe('Deezer OAuth (no PKCE, no refresh token)', () => {
  it('sends fans to auth.php with app_id, the exact redirect URI, the three perms and the state, and no PKCE or secret', () => {
    const url = new URL(
      adapter.authorizationUrl({
        state: 's-1',
        codeChallenge: 'x'.repeat(43),
        redirectUri: REDIRECT,
        scopes: adapter.scopesFor({ followArtist: false }),
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(`${fake.connectUrl}/oauth/auth.php`);
    expect(url.search).toContain('&perms=basic_access,offline_access,manage_library&'); // literal commas, as documented
    expect(Object.fromEntries(url.searchParams)).toEqual({
      app_id: fake.appId,
      redirect_uri: REDIRECT,
      perms: 'basic_access,offline_access,manage_library',
      state: 's-1',
    });
    // manage_library covers following artists on Deezer: nothing more is asked when a campaign follows.
    expect(adapter.scopesFor({ followArtist: true })).toEqual(adapter.scopesFor({ followArtist: false }));
    expect(adapter.canFollowArtists).toBe(true);
    expect(adapter.grantLifetimeMs).toBeNull();
  });

  it('exchanges a code for a token that never expires (offline_access) and names the fan', async () => {
    const back = await consent('ana', { state: 'xyz' });
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('xyz');
    const tokens = await adapter.exchangeCode(back.searchParams.get('code')!, 'verifier', REDIRECT);
    expect(tokens.expiresAt).toBeNull();
    expect(tokens.refreshToken).toBeUndefined();
    expect(tokens.scopes).toEqual(['basic_access', 'offline_access', 'manage_library']);
    const me = await adapter.currentAccount(tokens.accessToken);
    expect(me).toEqual({ accountId: String(fake.state.users.get('ana')!.id), displayName: 'ana' });

    const exchange = fake.requests.find((r) => r.path === '/oauth/access_token.php')!;
    expect(exchange.method).toBe('GET');
    expect(exchange.query).toEqual({ app_id: fake.appId, secret: fake.secret, code: back.searchParams.get('code'), output: 'json' });
  });

  it('a code used twice answers "wrong code", which ends the round trip (grant_dead)', async () => {
    const code = (await consent('bo')).searchParams.get('code')!;
    await adapter.exchangeCode(code, 'v', REDIRECT);
    const err = await expectKind(adapter.exchangeCode(code, 'v', REDIRECT), 'grant_dead');
    expect(err.message).toMatch(/wrong code/);
  });

  it('a wrong secret is the operator’s to fix (bad_config), and the secret is not in the message', async () => {
    const code = (await consent('cy')).searchParams.get('code')!;
    const wrong = new DeezerAdapter(
      { appId: fake.appId, secret: 'not-the-secret', redirectUri: REDIRECT, connectBaseUrl: fake.connectUrl, apiBaseUrl: fake.apiUrl },
      { timeoutMs: 5000, now: () => clock },
    );
    const err = await expectKind(wrong.exchangeCode(code, 'v', REDIRECT), 'bad_config');
    expect(err.message).toMatch(/DEEZER_SECRET/);
    expect(err.message).not.toContain('not-the-secret');
  });

  it('without offline_access the token expires, and refresh() says the fan must pre-save again', async () => {
    const code = (await consent('dee', { perms: 'basic_access,manage_library' })).searchParams.get('code')!;
    const tokens = await adapter.exchangeCode(code, 'v', REDIRECT);
    expect(tokens.expiresAt).toBe(clock + 3600_000);
    const err = await expectKind(adapter.refresh('anything'), 'grant_dead');
    expect(err.message).toBe('Deezer gives no refresh token; the fan must pre-save again');
  });

  it('the consent page checks app_id and the exact redirect URI; a refusal comes back as error_reason=user_denied', async () => {
    const base = new URL(
      adapter.authorizationUrl({
        state: 's',
        codeChallenge: 'x'.repeat(43),
        redirectUri: REDIRECT,
        scopes: adapter.scopesFor({ followArtist: false }),
      }),
    );
    const wrongApp = new URL(base);
    wrongApp.searchParams.set('app_id', '999');
    expect((await fetch(wrongApp)).status).toBe(400);
    const wrongUri = new URL(base);
    wrongUri.searchParams.set('redirect_uri', `${REDIRECT}/`);
    expect((await fetch(wrongUri)).status).toBe(400);

    const page = await fetch(base);
    const requestId = /name="request_id" value="([^"]+)"/.exec(await page.text())![1]!;
    const deny = await fetch(new URL('./authorize', base), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request_id: requestId, username: '', decision: 'deny' }).toString(),
      redirect: 'manual',
    });
    const back = new URL(deny.headers.get('location')!);
    expect(Object.fromEntries(back.searchParams)).toEqual({ error_reason: 'user_denied', state: 's' });
  });
});

describe('Deezer release resolution', () => {
  it('finds the album by UPC and verifies the barcode, in either GTIN form', async () => {
    const token = await tokenFor('ana');
    const album = fake.state.addAlbum({ title: 'Midnight Drive', artist: 'Nadia Vale', contributors: ['Omar K'], upc: `0${UPC}` });
    const found = await adapter.resolveRelease(token, query({ upc: UPC }));
    expect(found).toEqual({
      albumUri: `deezer:album:${album.id}`,
      albumUrl: `https://www.deezer.com/album/${album.id}`,
      artistUris: album.contributors.map((a) => `deezer:artist:${a.id}`),
      title: 'Midnight Drive',
      matchedBy: 'upc',
    });
    expect(album.contributors).toHaveLength(2);
    // 12-digit form first (no data), then the EAN-13 the label delivered.
    expect(fake.apiRequests(/^\/album\/upc:/).map((r) => r.path)).toEqual([`/album/upc:${UPC}`, `/album/upc:0${UPC}`]);
  });

  it('rejects a UPC lookup that answers with another barcode, and falls through to the ISRC', async () => {
    const token = await tokenFor('ana');
    const other = fake.state.addAlbum({ title: 'Something Else', artist: 'Nadia Vale', upc: withCheckDigit('19028800002') });
    fake.state.lookupOverrides.set(`upc:${UPC}`, other.id);
    const real = fake.state.addAlbum({ title: 'Midnight Drive', artist: 'Nadia Vale', tracks: [{ title: 'Midnight Drive', isrc: ISRC }] });
    const found = await adapter.resolveRelease(token, query({ upc: UPC, isrcs: [ISRC] }));
    expect(found?.albumUri).toBe(`deezer:album:${real.id}`);
    expect(found?.matchedBy).toBe('isrc');
  });

  it('finds the album by ISRC through the track, verifying the ISRC', async () => {
    const token = await tokenFor('ana');
    const wrong = fake.state.addAlbum({ title: 'Other', artist: 'Nadia Vale', tracks: [{ title: 'Other', isrc: 'GBAYE2600099' }] });
    fake.state.lookupOverrides.set('isrc:GBAYE2600002', wrong.tracks[0]!.id); // answers with a track of another ISRC
    const album = fake.state.addAlbum({
      title: 'Midnight Drive',
      artist: 'Nadia Vale',
      tracks: [
        { title: 'Intro', isrc: 'GBAYE2600003' },
        { title: 'Midnight Drive', isrc: ISRC },
      ],
    });
    const found = await adapter.resolveRelease(token, query({ isrcs: ['GBAYE2600002', ISRC] }));
    expect(found).toMatchObject({
      albumUri: `deezer:album:${album.id}`,
      matchedBy: 'isrc',
      artistUris: [`deezer:artist:${album.artist.id}`],
    });
  });

  it('falls back to artist + exact title, rejecting sped-up, live, karaoke and other artists’ albums', async () => {
    const token = await tokenFor('ana');
    fake.state.addAlbum({ title: 'Midnight Drive (Sped Up)', artist: 'Nadia Vale' });
    fake.state.addAlbum({ title: 'Midnight Drive - Live', artist: 'Nadia Vale' });
    fake.state.addAlbum({ title: 'Midnight Drive (Karaoke Version)', artist: 'Nadia Vale' });
    fake.state.addAlbum({ title: 'Midnight Drive', artist: 'Nadia Valentine' });
    expect(await adapter.resolveRelease(token, query({ upc: UPC, isrcs: [ISRC] }))).toBeNull();

    const real = fake.state.addAlbum({ title: 'Midnight Drive', artist: 'Nadia Vale', recordType: 'single' });
    const found = await adapter.resolveRelease(token, query({ upc: UPC, isrcs: [ISRC] }));
    expect(found).toMatchObject({ albumUri: `deezer:album:${real.id}`, matchedBy: 'title', title: 'Midnight Drive' });
    const search = fake.apiRequests('/search/album').at(-1)!;
    expect(search.query.q).toBe('artist:"Nadia Vale" album:"Midnight Drive"');
  });

  it('a release that goes live later is "not found" (code 800) until it does', async () => {
    const token = await tokenFor('ana');
    const album = fake.state.addAlbum({ title: 'Midnight Drive', artist: 'Nadia Vale', upc: UPC, availableAt: clock + 3600_000 });
    expect(await adapter.resolveRelease(token, query({ upc: UPC }))).toBeNull();
    clock += 3600_000;
    expect((await adapter.resolveRelease(token, query({ upc: UPC })))?.albumUri).toBe(`deezer:album:${album.id}`);
  });
});

describe('Deezer favourites: save and verify', () => {
  it('saves the album and follows its artists, then finds them in the fan’s favourites', async () => {
    const token = await tokenFor('ana');
    const album = fake.state.addAlbum({ title: 'Midnight Drive', artist: 'Nadia Vale', contributors: ['Omar K'] });
    const uris = [`deezer:album:${album.id}`, ...album.contributors.map((a) => `deezer:artist:${a.id}`)];
    expect(await adapter.libraryContains(token, uris)).toEqual([false, false, false]);
    await adapter.saveToLibrary(token, uris);
    expect(fake.state.library('ana')).toEqual({ albums: [album.id], artists: album.contributors.map((a) => a.id) });
    expect(await adapter.libraryContains(token, uris)).toEqual([true, true, true]);
    // Saving again: Deezer answers `false` for an existing favourite; that is not an error.
    await adapter.saveToLibrary(token, uris);
    const posts = fake.apiRequests(/^\/user\/me\/(albums|artists)$/).filter((r) => r.method === 'POST');
    expect(posts.map((r) => [r.path, r.query.album_id ?? r.query.artist_id])).toEqual([
      ['/user/me/albums', String(album.id)],
      ['/user/me/artists', String(album.contributors[0]!.id)],
      ['/user/me/artists', String(album.contributors[1]!.id)],
      ['/user/me/albums', String(album.id)],
      ['/user/me/artists', String(album.contributors[0]!.id)],
      ['/user/me/artists', String(album.contributors[1]!.id)],
    ]);
  });

  it('verifies in a large library with two requests: the first page, then the last (newest) one', async () => {
    const token = await tokenFor('ana');
    for (let i = 0; i < 350; i++) fake.state.addFavourite('ana', 'album', fake.state.addAlbum({ title: `Old ${i}`, artist: 'Someone' }).id);
    const album = fake.state.addAlbum({ title: 'Midnight Drive', artist: 'Nadia Vale' });
    const missing = fake.state.addAlbum({ title: 'Never Saved', artist: 'Nadia Vale' });
    await adapter.saveToLibrary(token, [`deezer:album:${album.id}`]);
    const before = fake.apiRequests('/user/me/albums').length;
    expect(await adapter.libraryContains(token, [`deezer:album:${album.id}`])).toEqual([true]);
    const reads = fake.apiRequests('/user/me/albums').slice(before);
    expect(reads.map((r) => [r.query.index, r.query.limit])).toEqual([
      ['0', '100'],
      ['251', '100'],
    ]);
    // Something not there is looked for in every page, and reported missing.
    expect(await adapter.libraryContains(token, [`deezer:album:${missing.id}`, `deezer:album:${album.id}`])).toEqual([false, true]);
  });

  it('verifies when Deezer grants smaller pages than asked, walking back with its page size', async () => {
    await fake.close();
    fake = await startDeezerFake({ now: () => clock, maxLimit: 40 });
    fake.state.addRedirectUri(REDIRECT);
    adapter = makeAdapter();
    const token = await tokenFor('ana');
    for (let i = 0; i < 130; i++) fake.state.addFavourite('ana', 'artist', fake.state.addArtist({ name: `Artist ${i}` }).id);
    const album = fake.state.addAlbum({ title: 'Midnight Drive', artist: 'Nadia Vale' });
    const uris = [`deezer:album:${album.id}`, `deezer:artist:${album.artist.id}`];
    await adapter.saveToLibrary(token, uris);
    const before = fake.apiRequests('/user/me/artists').length;
    expect(await adapter.libraryContains(token, uris)).toEqual([true, true]);
    const reads = fake.apiRequests('/user/me/artists').slice(before);
    expect(reads.map((r) => [r.query.index, r.query.limit])).toEqual([
      ['0', '100'],
      ['91', '40'],
    ]);
  });

  it('rejects URIs that are not Deezer albums or artists', async () => {
    const token = await tokenFor('ana');
    await expectKind(adapter.saveToLibrary(token, ['spotify:album:abc']), 'bad_config');
    await expectKind(adapter.libraryContains(token, ['deezer:track:1']), 'bad_config');
  });
});

describe('Deezer answers classified (errors arrive as HTTP 200 with an error object)', () => {
  let token: string;
  let albumUri: string;
  beforeEach(async () => {
    token = await tokenFor('ana');
    albumUri = `deezer:album:${fake.state.addAlbum({ title: 'Midnight Drive', artist: 'Nadia Vale', upc: UPC }).id}`;
  });

  it('code 4 (quota) → retry_after one 5-second window, for the whole service', async () => {
    fake.faults.add({ kind: 'quota', target: 'save', count: 1 });
    const err = await expectKind(adapter.saveToLibrary(token, [albumUri]), 'retry_after');
    expect(err.details.retryAt).toBe(clock + 5000);
  });

  it('the fake’s own quota (N requests per 5 s) answers code 4 too', async () => {
    fake.faults.setQuota({ limit: 2, windowMs: 5000 });
    await adapter.currentAccount(token);
    await adapter.currentAccount(token);
    await expectKind(adapter.currentAccount(token), 'retry_after');
    expect(fake.requests.at(-1)!.fault).toBe('quota');
  });

  it('code 300 (token revoked) → grant_dead: there is no refresh token to try', async () => {
    fake.faults.revoke('ana');
    const err = await expectKind(adapter.saveToLibrary(token, [albumUri]), 'grant_dead');
    expect(err.message).toMatch(/no longer accepts the fan's access token/);
    await expectKind(adapter.currentAccount(token), 'grant_dead');
  });

  it('code 200 (permission) → grant_dead, naming the missing permission', async () => {
    fake.faults.restrictPermissions('ana', ['basic_access', 'offline_access']);
    const err = await expectKind(adapter.saveToLibrary(token, [albumUri]), 'grant_dead');
    expect(err.message).toMatch(/does not let Dropday manage their library/);
  });

  it('code 700 (busy) and unknown codes → transient; parameter errors → bad_config', async () => {
    fake.faults.add({ kind: 'error', code: 700, type: 'Exception', message: 'Service busy', count: 1 });
    await expectKind(adapter.libraryContains(token, [albumUri]), 'transient');
    fake.faults.add({ kind: 'error', code: 1234, count: 1 });
    await expectKind(adapter.libraryContains(token, [albumUri]), 'transient');
    fake.faults.add({ kind: 'error', code: 501, type: 'MissingParameterException', message: 'Missing parameters: album_id', count: 1 });
    await expectKind(adapter.saveToLibrary(token, [albumUri]), 'bad_config');
  });

  it('saving an album Deezer does not have (code 800) is bad_config, not silence', async () => {
    await expectKind(adapter.saveToLibrary(token, ['deezer:album:999999999']), 'bad_config');
  });

  it('real HTTP 5xx, a dropped connection and a timeout are transient', async () => {
    fake.faults.add({ kind: 'server_error', status: 502, target: 'lookup', count: 1 });
    const e5 = await expectKind(adapter.resolveRelease(token, query({ upc: UPC })), 'transient');
    expect(e5.details.status).toBe(502);
    fake.faults.add({ kind: 'reset', target: 'save', count: 1 });
    await expectKind(adapter.saveToLibrary(token, [albumUri]), 'transient');
    const impatient = makeAdapter(300);
    fake.faults.add({ kind: 'slow', delayMs: 1000, target: 'verify', count: 1 });
    const slow = await expectKind(impatient.libraryContains(token, [albumUri]), 'transient');
    expect(slow.message).toMatch(/timed out/);
  });

  it('the token endpoint’s errors: quota waits, JSON errors are configuration problems', async () => {
    const code = (await consent('eve')).searchParams.get('code')!;
    fake.faults.add({ kind: 'quota', target: 'token', count: 1 });
    await expectKind(adapter.exchangeCode(code, 'v', REDIRECT), 'retry_after');
    fake.faults.add({ kind: 'error', code: 300, type: 'OAuthException', message: 'Invalid app', target: 'token', count: 1 });
    await expectKind(adapter.exchangeCode(code, 'v', REDIRECT), 'bad_config');
    fake.faults.add({ kind: 'server_error', status: 503, target: 'token', count: 1 });
    await expectKind(adapter.exchangeCode(code, 'v', REDIRECT), 'transient');
    expect((await adapter.exchangeCode(code, 'v', REDIRECT)).accessToken).toMatch(/^fr/);
  });

  it('contract: the token travels only as the access_token query parameter, the secret only to access_token.php', async () => {
    await adapter.resolveRelease(token, query({ upc: UPC }));
    await adapter.saveToLibrary(token, [albumUri]);
    await adapter.libraryContains(token, [albumUri]);
    const api = fake.apiRequests();
    expect(api.map((r) => r.path)).toEqual([`/album/upc:${UPC}`, '/user/me/albums', '/user/me/albums']);
    for (const r of api) {
      expect(r.query.access_token).toBe(token);
      expect(r.headers.authorization).toBeUndefined();
      expect(JSON.stringify(r)).not.toContain(fake.secret);
    }
    const withSecret = fake.requests.filter((r) => JSON.stringify(r).includes(fake.secret));
    expect(new Set(withSecret.map((r) => r.path))).toEqual(new Set(['/oauth/access_token.php']));
  });
});

describe('Deezer id look-ups (checking what an artist enters)', () => {
  it('knows an artist and a live album through the public API, with no token sent; an unknown id is "unknown"', async () => {
    const album = fake.state.addAlbum({ title: 'Midnight Drive', artist: 'Nadia Vale' });
    const artistId = album.contributors[0]!.id;
    expect(await adapter.lookupArtist(`deezer:artist:${artistId}`)).toBe('found');
    expect(await adapter.lookupArtist('deezer:artist:999999999')).toBe('unknown');
    expect(await adapter.lookupArtist('spotify:artist:abc')).toBe('unknown');
    expect(await adapter.lookupRelease(`deezer:album:${album.id}`)).toBe('found');
    expect(await adapter.lookupRelease('deezer:album:999999999')).toBe('unknown');
    expect(fake.apiRequests(/^\/(artist|album)\//).every((r) => r.query.access_token === undefined)).toBe(true);
  });
});
