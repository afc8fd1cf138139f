import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../src/providers/types.js';
import { challengeS256, createVerifier } from '../src/util/pkce.js';
import { startTidalFake, type TidalFake } from './fakes/tidal/index.js';
import { adapterFor, authorizeCode, TEST_REDIRECT_URI, tokensFor } from './fakes/tidal/oauth.js';

/** The TIDAL adapter against the fake TIDAL: OAuth, account, saving, verifying, and how each answer is classified. */

async function kindOf(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ProviderError) return err;
    throw err;
  }
  throw new Error('expected a ProviderError');
}

describe('TIDAL adapter', () => {
  let fake: TidalFake;
  beforeEach(async () => {
    fake = await startTidalFake();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('asks for the collection scopes only and builds an OAuth 2.1 PKCE authorize URL', () => {
    const adapter = adapterFor(fake);
    expect(adapter.id).toBe('tidal');
    expect(adapter.authKind).toBe('oauth');
    expect(adapter.canFollowArtists).toBe(true);
    expect(adapter.grantLifetimeMs).toBeNull();
    expect(adapter.scopesFor({ followArtist: false })).toEqual(['collection.read', 'collection.write']);
    expect(adapter.scopesFor({ followArtist: true })).toEqual(['collection.read', 'collection.write']);
    const url = new URL(
      adapter.authorizationUrl({
        state: 's',
        codeChallenge: 'c'.repeat(43),
        redirectUri: TEST_REDIRECT_URI,
        scopes: ['collection.read', 'collection.write'],
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(`${fake.loginUrl}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: fake.state.clientId,
      redirect_uri: TEST_REDIRECT_URI,
      scope: 'collection.read collection.write',
      code_challenge_method: 'S256',
      code_challenge: 'c'.repeat(43),
      state: 's',
    });
  });

  it('exchanges a code with PKCE, identifies the fan, and refuses a replayed code (revoking its tokens)', async () => {
    const adapter = adapterFor(fake);
    const { code, verifier } = await authorizeCode(adapter, 'ana');
    const tokens = await adapter.exchangeCode(code, verifier, TEST_REDIRECT_URI);
    expect(tokens.scopes).toEqual(['collection.read', 'collection.write']);
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.expiresAt).toBeGreaterThan(Date.now());
    const tokenCall = fake.requests.find((r) => r.path.endsWith('/token'))!;
    expect(tokenCall.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(tokenCall.body))).toMatchObject({
      grant_type: 'authorization_code',
      client_id: fake.state.clientId,
      code,
      redirect_uri: TEST_REDIRECT_URI,
      code_verifier: verifier,
    });
    expect(tokenCall.headers.authorization).toBeUndefined(); // public client: no secret to send

    const account = await adapter.currentAccount(tokens.accessToken);
    expect(account.accountId).toBe(fake.state.findUser('ana')!.id);

    const replay = await kindOf(adapter.exchangeCode(code, verifier, TEST_REDIRECT_URI));
    expect(replay.kind).toBe('grant_dead');
    expect((await kindOf(adapter.currentAccount(tokens.accessToken))).kind).toBe('unauthorized');
  });

  it('a wrong PKCE verifier or redirect URI is invalid_grant', async () => {
    const adapter = adapterFor(fake);
    const a = await authorizeCode(adapter, 'bo');
    expect((await kindOf(adapter.exchangeCode(a.code, createVerifier(), TEST_REDIRECT_URI))).kind).toBe('grant_dead');
    const b = await authorizeCode(adapter, 'bo');
    expect((await kindOf(adapter.exchangeCode(b.code, b.verifier, 'http://127.0.0.1:9/elsewhere'))).kind).toBe('grant_dead');
  });

  it('the consent page refuses an unregistered redirect URI and an unknown scope', async () => {
    const adapter = adapterFor(fake);
    const challenge = challengeS256(createVerifier());
    const bad = await fetch(
      adapter.authorizationUrl({
        state: 's',
        codeChallenge: challenge,
        redirectUri: 'http://127.0.0.1:9/other',
        scopes: ['collection.read'],
      }),
    );
    expect(bad.status).toBe(400);
    const scope = await fetch(
      adapter.authorizationUrl({ state: 's', codeChallenge: challenge, redirectUri: TEST_REDIRECT_URI, scopes: ['w_usr'] }),
      {
        redirect: 'manual',
      },
    );
    expect(new URL(scope.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope');
  });

  it('refresh rotates the refresh token; the old one is then invalid_grant (grant_dead)', async () => {
    const adapter = adapterFor(fake);
    const first = await tokensFor(adapter, 'chen');
    const second = await adapter.refresh(first.refreshToken!);
    expect(second.refreshToken).toBeTruthy();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await adapter.currentAccount(second.accessToken);
    const again = await kindOf(adapter.refresh(first.refreshToken!));
    expect(again.kind).toBe('grant_dead');
    expect(again.message).toMatch(/withdrew Dropday’s access on TIDAL or the TIDAL authorization expired/);
  });

  it('without rotation the refresh answer has no refresh token, so the old one is kept', async () => {
    fake.state.rotateRefreshTokens = false;
    const adapter = adapterFor(fake);
    const first = await tokensFor(adapter, 'dee');
    const second = await adapter.refresh(first.refreshToken!);
    expect(second.refreshToken).toBeUndefined();
    expect((await adapter.refresh(first.refreshToken!)).accessToken).toBeTruthy();
  });

  it('a confidential client sends its secret with HTTP Basic; a wrong secret is bad_config', async () => {
    fake.state.clientSecret = 's3cret';
    const adapter = adapterFor(fake, { clientSecret: 's3cret' });
    await tokensFor(adapter, 'eve');
    const call = fake.requests.filter((r) => r.path.endsWith('/token')).at(-1)!;
    expect(call.headers.authorization).toBe(`Basic ${Buffer.from(`${fake.state.clientId}:s3cret`).toString('base64')}`);
    const wrong = adapterFor(fake, { clientSecret: 'nope' });
    const { code, verifier } = await authorizeCode(wrong, 'eve');
    const err = await kindOf(wrong.exchangeCode(code, verifier, TEST_REDIRECT_URI));
    expect(err.kind).toBe('bad_config');
    expect(err.message).toMatch(/TIDAL_CLIENT_SECRET/);
  });

  it('checks artist and album ids with an app token (client credentials) when a client secret is set', async () => {
    fake.state.clientSecret = 's3cret';
    const adapter = adapterFor(fake, { clientSecret: 's3cret' });
    const { album, artists } = fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water', upc: '036000291452' });
    expect(await adapter.lookupArtist(`tidal:artist:${artists[0]!.id}`)).toBe('found');
    expect(await adapter.lookupArtist('tidal:artist:999999999')).toBe('unknown');
    expect(await adapter.lookupRelease(`tidal:album:${album.id}`)).toBe('found');
    expect(await adapter.lookupRelease('tidal:album:999999999')).toBe('unknown');
    expect(await adapter.lookupArtist('tidal:artist:nova')).toBe('unknown');
    expect(fake.requests.filter((r) => r.path.endsWith('/token'))).toHaveLength(1);
    // Without a secret there are no app credentials: the id is saved unchecked, with a warning.
    expect(await adapterFor(fake, { clientSecret: null }).lookupArtist(`tidal:artist:${artists[0]!.id}`)).toBe('unchecked');
  });

  it('saves an album and its artist to My Collection and verifies both by reading the collection back', async () => {
    const { album, artists } = fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water', upc: '036000291452' });
    const adapter = adapterFor(fake);
    const t = await tokensFor(adapter, 'fay');
    const uris = [`tidal:album:${album.id}`, `tidal:artist:${artists[0]!.id}`];
    expect(await adapter.libraryContains(t.accessToken, uris)).toEqual([false, false]);
    await adapter.saveToLibrary(t.accessToken, uris);
    expect(fake.state.collectionOf('fay')).toEqual({ albums: [album.id], artists: [artists[0]!.id] });
    expect(await adapter.libraryContains(t.accessToken, uris)).toEqual([true, true]);

    const post = fake.apiRequests().find((r) => r.method === 'POST' && r.path === '/v2/userCollectionAlbums/me/relationships/items')!;
    expect(post.headers['content-type']).toBe('application/vnd.api+json');
    expect(JSON.parse(post.body!)).toEqual({ data: [{ type: 'albums', id: album.id }] });

    // Saving again is harmless, whether TIDAL skips the duplicate or answers 409.
    await adapter.saveToLibrary(t.accessToken, uris);
    fake.state.duplicateAnswer = 'conflict';
    await adapter.saveToLibrary(t.accessToken, uris);
    expect(fake.state.collectionOf('fay').albums).toEqual([album.id]);
  });

  it('adds at most 50 items per request and verifies across collection pages', async () => {
    fake.state.pageSize = 7;
    const albums = Array.from(
      { length: 60 },
      (_, i) => fake.state.addRelease({ artist: 'Many', title: `Song ${i}`, upc: `1000000000${String(i).padStart(2, '0')}` }).album,
    );
    const adapter = adapterFor(fake);
    const t = await tokensFor(adapter, 'gus');
    const uris = albums.map((a) => `tidal:album:${a.id}`);
    await adapter.saveToLibrary(t.accessToken, uris);
    const posts = fake.apiRequests().filter((r) => r.method === 'POST');
    expect(posts.map((p) => (JSON.parse(p.body!) as { data: unknown[] }).data.length)).toEqual([50, 10]);
    expect(await adapter.libraryContains(t.accessToken, uris)).toEqual(uris.map(() => true));
    const reads = fake.apiRequests().filter((r) => r.method === 'GET' && r.path.endsWith('/relationships/items'));
    expect(reads.length).toBe(Math.ceil(60 / 7));
    expect(reads.slice(1).every((r) => typeof r.query['page[cursor]'] === 'string')).toBe(true);
    expect(await adapter.libraryContains(t.accessToken, ['tidal:album:999'])).toEqual([false]);
  });

  it('a duplicate 409 on a batch falls back to adding one by one', async () => {
    const a = fake.state.addRelease({ artist: 'X', title: 'A', upc: '036000291452' }).album;
    const b = fake.state.addRelease({ artist: 'X', title: 'B', upc: '4006381333931' }).album;
    const adapter = adapterFor(fake);
    const t = await tokensFor(adapter, 'hal');
    await adapter.saveToLibrary(t.accessToken, [`tidal:album:${a.id}`]);
    fake.state.duplicateAnswer = 'conflict';
    await adapter.saveToLibrary(t.accessToken, [`tidal:album:${a.id}`, `tidal:album:${b.id}`]);
    expect(fake.state.collectionOf('hal').albums.sort()).toEqual([a.id, b.id].sort());
  });

  it('classifies every kind of TIDAL answer', async () => {
    const { album } = fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water', upc: '036000291452' });
    const adapter = adapterFor(fake, {}, { timeoutMs: 400 });
    const t = await tokensFor(adapter, 'ivy');
    const save = () => adapter.saveToLibrary(t.accessToken, [`tidal:album:${album.id}`]);

    fake.faults.add({ kind: 'rate_limit', retryAfterSeconds: 7, target: 'library' });
    const before = Date.now();
    const limited = await kindOf(save());
    expect(limited.kind).toBe('retry_after');
    expect(limited.details.retryAt).toBeGreaterThanOrEqual(before + 7000);

    fake.faults.add({ kind: 'server_error', statusCode: 502, target: 'library' });
    expect((await kindOf(save())).kind).toBe('transient');
    fake.faults.add({ kind: 'reset', target: 'library' });
    expect((await kindOf(save())).kind).toBe('transient');
    fake.faults.add({ kind: 'slow', delayMs: 1500, target: 'library' });
    const slow = await kindOf(save());
    expect(slow.kind).toBe('transient');
    expect(slow.message).toMatch(/timed out/);

    fake.faults.add({ kind: 'rate_limit', retryAfterSeconds: 3, target: 'token' });
    expect((await kindOf(adapter.refresh(t.refreshToken!))).kind).toBe('retry_after');
    fake.faults.add({ kind: 'server_error', target: 'token' });
    expect((await kindOf(adapter.refresh(t.refreshToken!))).kind).toBe('transient');

    expect((await kindOf(adapter.saveToLibrary(t.accessToken, ['spotify:album:1']))).kind).toBe('bad_config');
    expect((await kindOf(adapter.currentAccount('not-a-token'))).kind).toBe('unauthorized');

    fake.state.collectionLimit = 0;
    const full = await kindOf(save());
    expect(full.kind).toBe('bad_config');
    expect(full.message).toMatch(/collection of albums is full/);
    fake.state.collectionLimit = 10_000;

    fake.state.expireAccessTokens('ivy');
    expect((await kindOf(save())).kind).toBe('unauthorized');
    const fresh = await adapter.refresh(t.refreshToken!);

    fake.state.approved = false;
    const refused = await kindOf(adapter.saveToLibrary(fresh.accessToken, [`tidal:album:${album.id}`]));
    expect(refused.kind).toBe('grant_dead');
    expect(refused.message).toMatch(/not approved by TIDAL for anyone but its developer/);
    fake.state.approved = true;

    fake.revoke('ivy');
    expect((await kindOf(save())).kind).toBe('unauthorized');
    expect((await kindOf(adapter.refresh(fresh.refreshToken!))).kind).toBe('grant_dead');
  });

  it('while the app is not approved, only its developer can use it', async () => {
    fake.state.approved = false;
    fake.state.developer = 'dev';
    const adapter = adapterFor(fake);
    const dev = await tokensFor(adapter, 'dev');
    expect((await adapter.currentAccount(dev.accessToken)).accountId).toBe(fake.state.findUser('dev')!.id);
    const fan = await tokensFor(adapter, 'fan');
    const err = await kindOf(adapter.currentAccount(fan.accessToken));
    expect(err.kind).toBe('grant_dead');
    expect(err.details.status).toBe(403);
  });
});
