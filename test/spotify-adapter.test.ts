import { afterEach, describe, expect, it } from 'vitest';
import { SpotifyAdapter } from '../src/providers/spotify/adapter.js';
import type { SpotifyConfig } from '../src/providers/spotify/config.js';
import { GRANT_EXPIRED_REASON, NOT_ALLOW_LISTED_REASON } from '../src/providers/spotify/errors.js';
import { SPOTIFY_GRANT_LIFETIME_MS, spotifyGrantExpiresAt, spotifyGrantExpiresBefore } from '../src/providers/spotify/grant-lifetime.js';
import { ProviderError } from '../src/providers/types.js';
import { challengeS256, createVerifier } from '../src/util/pkce.js';
import { startSpotifyFake, type SpotifyFake, type SpotifyFakeOptions } from './fakes/spotify/index.js';
import { consentAs, TEST_REDIRECT_URI } from './fakes/spotify/simulate.js';

const DAY = 86_400_000;

let fake: SpotifyFake | undefined;
let adapters: SpotifyAdapter[] = [];
let clock = Date.UTC(2026, 10, 1, 12);

async function setup(opts: SpotifyFakeOptions = {}, config: Partial<SpotifyConfig> = {}, timeoutMs = 5000) {
  clock = Date.UTC(2026, 10, 1, 12);
  fake = await startSpotifyFake({ now: () => clock, ...opts });
  const adapter = makeAdapter(config, timeoutMs);
  return { fake, adapter };
}

function makeAdapter(config: Partial<SpotifyConfig> = {}, timeoutMs = 5000): SpotifyAdapter {
  const a = new SpotifyAdapter(
    {
      clientId: fake!.clientId,
      clientSecret: null,
      redirectUri: TEST_REDIRECT_URI,
      accountsBaseUrl: fake!.url,
      apiBaseUrl: fake!.apiUrl,
      legacyFollowFallback: false,
      ...config,
    },
    { timeoutMs, now: () => clock },
  );
  adapters.push(a);
  return a;
}

async function caught(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProviderError) return err;
    throw err;
  }
  throw new Error('expected a ProviderError');
}

afterEach(async () => {
  for (const a of adapters) await a.close();
  adapters = [];
  await fake?.close();
  fake = undefined;
});

describe('SpotifyAdapter: identity and authorization', () => {
  it('declares what it is and asks for the least scopes', async () => {
    const { adapter } = await setup();
    expect(adapter.id).toBe('spotify');
    expect(adapter.authKind).toBe('oauth');
    expect(adapter.canFollowArtists).toBe(true);
    expect(adapter.grantLifetimeMs).toBe(183 * DAY);
    expect(adapter.scopesFor({ followArtist: false })).toEqual(['user-library-modify', 'user-library-read']);
    expect(adapter.scopesFor({ followArtist: true })).toEqual([
      'user-library-modify',
      'user-library-read',
      'user-follow-modify',
      'user-follow-read',
    ]);
  });

  it('builds the authorize URL with PKCE S256 and space-separated scopes', async () => {
    const { adapter, fake } = await setup();
    const challenge = challengeS256(createVerifier());
    const url = new URL(
      adapter.authorizationUrl({ state: 'st4te', codeChallenge: challenge, redirectUri: TEST_REDIRECT_URI, scopes: ['a-b', 'c-d'] }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(`${fake.url}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: fake.clientId,
      response_type: 'code',
      redirect_uri: TEST_REDIRECT_URI,
      state: 'st4te',
      scope: 'a-b c-d',
      code_challenge_method: 'S256',
      code_challenge: challenge,
    });
  });

  it('exchanges the code (form-encoded, with client_id and code_verifier) and reads account_id from /me', async () => {
    const { adapter, fake } = await setup();
    const tokens = await consentAs(fake, adapter, 'ana', { followArtist: true });
    expect(tokens.accessToken).toMatch(/^BQ/);
    expect(tokens.refreshToken).toMatch(/^AQ/);
    expect(tokens.expiresAt).toBe(clock + 3600_000);
    expect(tokens.scopes.sort()).toEqual(['user-follow-modify', 'user-follow-read', 'user-library-modify', 'user-library-read']);
    const exchange = fake.state.requests.find((r) => r.target === 'token')!;
    expect(exchange.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(exchange.headers.authorization).toBeUndefined();
    const form = Object.fromEntries(new URLSearchParams(exchange.body));
    expect(Object.keys(form).sort()).toEqual(['client_id', 'code', 'code_verifier', 'grant_type', 'redirect_uri']);
    expect(form.grant_type).toBe('authorization_code');

    const account = await adapter.currentAccount(tokens.accessToken);
    expect(account).toEqual({ accountId: fake.state.user('ana').accountId, displayName: 'ana' });
    expect(account.accountId).not.toBe('ana'); // the stable pseudonymous account_id, not the username
  });

  it('a replayed code is refused (grant_dead) and the tokens it gave are revoked', async () => {
    const { adapter, fake } = await setup();
    fake.state.registerRedirectUri(TEST_REDIRECT_URI);
    const tokens = await consentAs(fake, adapter, 'ana');
    const first = fake.state.requests.find((r) => r.target === 'token')!;
    const form = new URLSearchParams(first.body);
    const err = await caught(adapter.exchangeCode(form.get('code')!, form.get('code_verifier')!, TEST_REDIRECT_URI));
    expect(err.kind).toBe('grant_dead');
    expect(err.message).toMatch(/already used or has expired/);
    expect((await caught(adapter.currentAccount(tokens.accessToken))).kind).toBe('unauthorized');
  });

  it('a wrong code_verifier is refused', async () => {
    const { adapter, fake } = await setup();
    fake.state.registerRedirectUri(TEST_REDIRECT_URI);
    const verifier = createVerifier();
    const url = adapter.authorizationUrl({
      state: 's',
      codeChallenge: challengeS256(verifier),
      redirectUri: TEST_REDIRECT_URI,
      scopes: adapter.scopesFor({ followArtist: false }),
    });
    const html = await (await fetch(url)).text();
    const requestId = /name="request_id" value="([^"]+)"/.exec(html)![1]!;
    const res = await fetch(`${fake.url}/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request_id: requestId, username: 'bo', decision: 'allow' }).toString(),
    });
    const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
    expect((await caught(adapter.exchangeCode(code, createVerifier(), TEST_REDIRECT_URI))).kind).toBe('grant_dead');
  });

  it('sends HTTP Basic client auth when a client secret is configured; a wrong secret is bad_config', async () => {
    const { fake } = await setup({ clients: [{ clientId: 'confidentialclient00000000000001', clientSecret: 's3cret' }] });
    const good = makeAdapter({ clientId: 'confidentialclient00000000000001', clientSecret: 's3cret' });
    const tokens = await consentAs(fake, good, 'ana');
    const exchange = fake.state.requests.find((r) => r.target === 'token')!;
    expect(exchange.headers.authorization).toBe(`Basic ${Buffer.from('confidentialclient00000000000001:s3cret').toString('base64')}`);
    await good.refresh(tokens.refreshToken!);

    const bad = makeAdapter({ clientId: 'confidentialclient00000000000001', clientSecret: 'wrong' });
    const err = await caught(bad.refresh(tokens.refreshToken!));
    expect(err.kind).toBe('bad_config');
    expect(err.message).toMatch(/SPOTIFY_CLIENT_SECRET/);
  });
});

describe('SpotifyAdapter: id look-ups (checking what an artist enters)', () => {
  it('with a client secret, asks the catalog with an app token: known ids found, others unknown', async () => {
    const { fake } = await setup({ clients: [{ clientId: 'confidentialclient00000000000001', clientSecret: 's3cret' }] });
    const adapter = makeAdapter({ clientId: 'confidentialclient00000000000001', clientSecret: 's3cret' });
    const album = fake.state.addAlbum({ name: 'Together', artists: ['One'], upc: '036000291452' });
    const artist = album.artists[0]!;
    expect(await adapter.lookupArtist(`spotify:artist:${artist.id}`)).toBe('found');
    expect(await adapter.lookupArtist('spotify:artist:0000000000000000000000')).toBe('unknown');
    expect(await adapter.lookupRelease(`spotify:album:${album.id}`)).toBe('found');
    expect(await adapter.lookupRelease('spotify:album:0000000000000000000000')).toBe('unknown');
    expect(await adapter.lookupArtist('spotify:artist:nova-lights')).toBe('unknown');
    // One app token for all of them.
    expect(fake.state.requests.filter((r) => r.target === 'token')).toHaveLength(1);
  });

  it('without a client secret the id cannot be checked (saved with a warning); a wrong secret is an error', async () => {
    const { fake } = await setup({ clients: [{ clientId: 'confidentialclient00000000000001', clientSecret: 's3cret' }] });
    const album = fake.state.addAlbum({ name: 'Together', artists: ['One'], upc: '036000291452' });
    expect(await makeAdapter().lookupArtist(`spotify:artist:${album.artists[0]!.id}`)).toBe('unchecked');
    const wrong = makeAdapter({ clientId: 'confidentialclient00000000000001', clientSecret: 'wrong' });
    expect((await caught(wrong.lookupArtist(`spotify:artist:${album.artists[0]!.id}`))).kind).toBe('bad_config');
  });
});

describe('SpotifyAdapter: refresh tokens', () => {
  it('rotating refresh tokens are single-use: the new one is returned, the old one is then dead', async () => {
    const { adapter, fake } = await setup();
    const tokens = await consentAs(fake, adapter, 'ana');
    const next = await adapter.refresh(tokens.refreshToken!);
    expect(next.refreshToken).toBeDefined();
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    const form = Object.fromEntries(new URLSearchParams(fake.state.requests.filter((r) => r.target === 'token').at(-1)!.body));
    expect(form).toEqual({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken, client_id: fake.clientId });
    const reuse = await caught(adapter.refresh(tokens.refreshToken!));
    expect(reuse.kind).toBe('grant_dead');
    expect(reuse.message).toBe(GRANT_EXPIRED_REASON);
    await adapter.refresh(next.refreshToken!);
  });

  it('a refresh answer without refresh_token keeps the old one (no refreshToken in the TokenSet)', async () => {
    const { adapter, fake } = await setup({ rotateRefreshTokens: false });
    const tokens = await consentAs(fake, adapter, 'ana');
    const next = await adapter.refresh(tokens.refreshToken!);
    expect(next).not.toHaveProperty('refreshToken');
    expect(next.accessToken).not.toBe(tokens.accessToken);
    await adapter.refresh(tokens.refreshToken!); // still valid
  });

  it('the grant dies 6 months after consent however often it was refreshed', async () => {
    const { adapter, fake } = await setup();
    let t = await consentAs(fake, adapter, 'ana');
    const consentAt = clock;
    for (let day = 30; day <= 180; day += 30) {
      clock = consentAt + day * DAY;
      t = { ...t, ...(await adapter.refresh(t.refreshToken!)) };
    }
    clock = consentAt + 183 * DAY;
    const err = await caught(adapter.refresh(t.refreshToken!));
    expect(err.kind).toBe('grant_dead');
    expect(err.message).toBe('the fan revoked access or the 6-month Spotify authorization expired');
    expect(fake.state.requests.at(-1)!.status).toBe(400);
  });

  it('helps flag pre-saves due after the 6-month lifetime', () => {
    const at = Date.UTC(2026, 0, 1);
    expect(SPOTIFY_GRANT_LIFETIME_MS).toBe(183 * DAY);
    expect(spotifyGrantExpiresAt(at)).toBe(at + 183 * DAY);
    expect(spotifyGrantExpiresBefore(at, at + 182 * DAY)).toBe(false);
    expect(spotifyGrantExpiresBefore(at, at + 200 * DAY)).toBe(true);
  });
});

describe('SpotifyAdapter: classifying Web API answers', () => {
  it('401 expired token → unauthorized', async () => {
    const { adapter, fake } = await setup();
    const t = await consentAs(fake, adapter, 'ana');
    clock += 3601_000;
    const err = await caught(adapter.currentAccount(t.accessToken));
    expect(err.kind).toBe('unauthorized');
    expect(err.message).toMatch(/The access token expired/);
  });

  it('403 "User not registered in the Developer Dashboard" → grant_dead saying the fan is not on the allow-list', async () => {
    const { adapter, fake } = await setup();
    const t = await consentAs(fake, adapter, 'outsider');
    fake.state.allowUser('insider');
    const err = await caught(adapter.currentAccount(t.accessToken));
    expect(err.kind).toBe('grant_dead');
    expect(err.message).toBe(NOT_ALLOW_LISTED_REASON);
    expect(err.message).toMatch(/not on the allow-list/);
    expect(err.message).toMatch(/only the 5 listeners/);
  });

  it('other 403 → grant_dead with Spotify’s message', async () => {
    const { adapter, fake } = await setup();
    const album = fake.state.addAlbum({ name: 'X', upc: '036000291452' });
    const t = await consentAs(fake, adapter, 'ana'); // no follow scopes
    const err = await caught(adapter.saveToLibrary(t.accessToken, [`spotify:artist:${album.artists[0]!.id}`]));
    expect(err.kind).toBe('grant_dead');
    expect(err.message).toBe('Spotify refused access (Insufficient client scope)');
  });

  it('429 with Retry-After → retry_after at now + the seconds given; 429 QUOTA_EXCEEDED → quota', async () => {
    const { adapter, fake } = await setup();
    const t = await consentAs(fake, adapter, 'ana');
    fake.faults.add({ kind: 'rate_limit', retryAfterSeconds: 7, target: 'me' });
    const limited = await caught(adapter.currentAccount(t.accessToken));
    expect(limited.kind).toBe('retry_after');
    expect(limited.details.retryAt).toBe(clock + 7000);
    fake.faults.add({ kind: 'quota', target: 'me' });
    expect((await caught(adapter.currentAccount(t.accessToken))).kind).toBe('quota');
  });

  it('5xx, a reset connection and a timeout → transient', async () => {
    const { adapter, fake } = await setup({}, {}, 400);
    const t = await consentAs(fake, adapter, 'ana');
    fake.faults.add({ kind: 'server_error', statusCode: 502, target: 'me' });
    expect((await caught(adapter.currentAccount(t.accessToken))).kind).toBe('transient');
    fake.faults.add({ kind: 'reset', target: 'me' });
    expect((await caught(adapter.currentAccount(t.accessToken))).kind).toBe('transient');
    fake.faults.add({ kind: 'slow', delayMs: 1500, target: 'me' });
    const slow = await caught(adapter.currentAccount(t.accessToken));
    expect(slow.kind).toBe('transient');
    expect(slow.message).toMatch(/timed out/);
    fake.faults.add({ kind: 'server_error', statusCode: 500, target: 'token' });
    expect((await caught(adapter.refresh(t.refreshToken!))).kind).toBe('transient');
  });

  it('400 → bad_config carrying Spotify’s message', async () => {
    const { adapter, fake } = await setup();
    const t = await consentAs(fake, adapter, 'ana');
    const err = await caught(adapter.saveToLibrary(t.accessToken, ['spotify:album:not-an-id!']));
    expect(err.kind).toBe('bad_config');
    expect(err.message).toMatch(/400.*Invalid URI/);
  });
});

describe('SpotifyAdapter: saving and verifying', () => {
  it('saves album and artists in one PUT /me/library with the URIs in the query, then verifies', async () => {
    const { adapter, fake } = await setup();
    const album = fake.state.addAlbum({ name: 'Together', artists: ['One', 'Two'], upc: '036000291452' });
    const t = await consentAs(fake, adapter, 'ana', { followArtist: true });
    const uris = [`spotify:album:${album.id}`, ...album.artists.map((a) => `spotify:artist:${a.id}`)];
    expect(await adapter.libraryContains(t.accessToken, uris)).toEqual([false, false, false]);
    await adapter.saveToLibrary(t.accessToken, uris);
    expect(await adapter.libraryContains(t.accessToken, uris)).toEqual([true, true, true]);
    expect(fake.state.libraryOf('ana')).toEqual(uris);
    const puts = fake.state.apiRequests('library');
    expect(puts).toHaveLength(1);
    expect(puts[0]!.method).toBe('PUT');
    expect(puts[0]!.query).toEqual({ uris: uris.join(',') });
    expect(puts[0]!.body).toBe('');
    expect(puts[0]!.status).toBe(200);
    expect(fake.state.apiRequests('legacy')).toEqual([]);
  });

  it('splits more than 40 URIs into calls of at most 40', async () => {
    const { adapter, fake } = await setup();
    const album = fake.state.addAlbum({ name: 'Long', tracks: Array.from({ length: 45 }, (_, i) => ({ name: `T${i}` })) });
    const t = await consentAs(fake, adapter, 'ana');
    const uris = album.tracks.map((tr) => `spotify:track:${tr.id}`);
    await adapter.saveToLibrary(t.accessToken, uris);
    expect((await adapter.libraryContains(t.accessToken, uris)).every(Boolean)).toBe(true);
    expect(fake.state.apiRequests('library').map((r) => String(r.query.uris).split(',').length)).toEqual([40, 5]);
    expect(fake.state.apiRequests('contains').map((r) => String(r.query.uris).split(',').length)).toEqual([40, 5]);
  });

  it('when /me/library refuses artist URIs: legacy follow fallback (opt-in) follows them via PUT /me/following', async () => {
    const { fake } = await setup({
      artistUrisInLibrary: 'reject',
      clients: [{ clientId: 'extendedquotaclient0000000000001', mode: 'extended' }],
    });
    const album = fake.state.addAlbum({ name: 'Follow Me', artists: ['Lead'], upc: '036000291452' });
    const uris = [`spotify:album:${album.id}`, `spotify:artist:${album.artists[0]!.id}`];

    const plain = makeAdapter({ clientId: 'extendedquotaclient0000000000001' });
    const t1 = await consentAs(fake, plain, 'ana', { followArtist: true });
    const err = await caught(plain.saveToLibrary(t1.accessToken, uris));
    expect(err.kind).toBe('bad_config');
    expect(err.message).toMatch(/Unsupported URI type/);

    const legacy = makeAdapter({ clientId: 'extendedquotaclient0000000000001', legacyFollowFallback: true });
    const t2 = await consentAs(fake, legacy, 'bo', { followArtist: true });
    await legacy.saveToLibrary(t2.accessToken, uris);
    expect(await legacy.libraryContains(t2.accessToken, uris)).toEqual([true, true]);
    const following = fake.state.apiRequests('following').filter((r) => r.username === 'bo');
    expect(following.map((r) => [r.method, r.query, r.status])).toEqual([['PUT', { type: 'artist', ids: album.artists[0]!.id }, 204]]);
    expect(fake.state.libraryOf('bo').sort()).toEqual([...uris].sort());
  });

  it('the fake refuses legacy PUT /me/albums to a Development Mode app (the adapter never uses it)', async () => {
    const { adapter, fake } = await setup();
    const album = fake.state.addAlbum({ name: 'Legacy', upc: '036000291452' });
    const t = await consentAs(fake, adapter, 'ana');
    const res = await fetch(`${fake.apiUrl}/me/albums?ids=${album.id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${t.accessToken}` },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { status: 403, message: 'Forbidden' } });
  });
});
