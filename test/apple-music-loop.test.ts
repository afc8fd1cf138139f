import { afterEach, describe, expect, it } from 'vitest';
import { getCampaignBySlug } from '../src/campaigns/repo.js';
import type { AppContext } from '../src/context.js';
import { campaignStatusCounts } from '../src/presaves/repo.js';
import { overrideMatch } from '../src/releases/matches.js';
import { accountIdFor } from '../src/providers/apple-music/adapter.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { appleCampaign, appleMusicEnv, connectApple, postCallback, startApple, startFakeWithKeys } from './fakes/apple-music/dropday.js';
import type { AppleMusicFake } from './fakes/apple-music/index.js';

const UPC = '036000291452';

async function counts(ctx: AppContext, slug: string) {
  const c = await getCampaignBySlug(ctx.db, slug);
  return campaignStatusCounts(ctx.db, c.id, ctx.now());
}

async function stored(ctx: AppContext) {
  return {
    grants: await ctx.db.selectFrom('grants').selectAll().execute(),
    presaves: await ctx.db.selectFrom('presaves').selectAll().execute(),
  };
}

describe.each(testDialects())('Apple Music: MusicKit connect and fulfillment over real HTTP (%s)', (dialect) => {
  let server: TestServer | undefined;
  let fake: AppleMusicFake | undefined;
  afterEach(async () => {
    await server?.close();
    await fake?.close();
    server = undefined;
    fake = undefined;
  });

  async function setup(env: Record<string, string> = {}, o: { releaseInMs?: number; keyPem?: string } = {}) {
    const f = await startFakeWithKeys();
    fake = f.fake;
    const s = await startTestServer(dialect, appleMusicEnv(f.fake, o.keyPem ?? f.privateKeyPem, { WORKER_RETRY_BASE_MS: '200', ...env }));
    server = s;
    const campaign = await appleCampaign(s.ctx, { slug: 'orchard', releaseAt: Date.now() + (o.releaseInMs ?? 1500), upc: UPC });
    // The store makes it live at the campaign's release instant (stored to the second).
    const releaseAt = campaign.first_release_at;
    const album = f.fake.addAlbum({ name: 'Orchard', artistName: 'Apple Artist', upc: UPC, liveAt: releaseAt });
    return { s, fake: f.fake, album, releaseAt };
  }

  const waitUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now() + 100)));

  it('full loop: fans connect with MusicKit, the release passes, the worker saves, every library holds it, verified', async () => {
    const { s, fake, album } = await setup({}, { releaseInMs: 3000 });

    // The MusicKit page: developer token, state, the fake's musickit.js, and a CSP that allows it.
    const fan0 = new FanBrowser();
    const page = await fan0.get(`${s.url}/connect/apple-music?campaign=orchard&tz=Asia%2FTokyo`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const csp = page.headers.get('content-security-policy')!;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1]!;
    expect(csp).toMatch(new RegExp(`script-src 'nonce-[^']+' ${fake.url}`));
    expect(csp).toContain(`connect-src 'self' ${fake.url}`);
    expect(html).toContain(`<script src="${fake.url}/musickit.js" nonce="${nonce}"></script>`);
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const devToken = /data-developer-token="([^"]+)"/.exec(html)![1]!;
    expect(/data-app-name="Dropday Test"/.test(html)).toBe(true);
    expect(fake.checkDeveloperToken(devToken)).toMatchObject({ ok: true, claims: { iss: 'TEAMID1234' } });
    expect(fan0.cookies.get('dropday_oauth')).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    const thanks: string[] = [];
    for (const [user, tz, json] of [
      ['ana', 'Asia/Tokyo', false],
      ['bo', 'Europe/Berlin', true],
      ['chen', 'America/New_York', false],
    ] as const) {
      const res = await connectApple(new FanBrowser(), s.url, 'orchard', fake.tokenOf(user), { tz, json });
      if (json) {
        expect(res.status).toBe(200);
        const body = (await res.json()) as { redirect: string };
        expect(body.redirect).toMatch(/^\/p\/[A-Za-z0-9_-]+$/);
        thanks.push(body.redirect);
      } else {
        expect(res.status).toBe(303);
        thanks.push(res.headers.get('location')!);
      }
    }
    const before = await (await fetch(`${s.url}${thanks[0]}`)).text();
    expect(before).toContain('will save');
    expect(before).toContain('Apple Music');

    const { grants, presaves } = await stored(s.ctx);
    expect(presaves.map((p) => p.account_id).sort()).toEqual(['ana', 'bo', 'chen'].map((u) => accountIdFor(fake.tokenOf(u))).sort());
    expect(presaves.map((p) => p.timezone).sort()).toEqual(['America/New_York', 'Asia/Tokyo', 'Europe/Berlin']);
    for (const g of grants) {
      expect(g.service).toBe('apple-music');
      expect(g.access_token_enc).toMatch(/^v1\.test\./); // the Music User Token, encrypted at rest
      expect(g.refresh_token_enc).toBeNull();
      expect(g.access_expires_at).toBeNull();
    }

    s.worker.start();
    expect(fake.requests.some((r) => r.method === 'POST')).toBe(false); // nothing saved before release
    await waitFor(async () => (await counts(s.ctx, 'orchard')).saved === 3, { what: 'three saves', timeoutMs: 30_000 });
    for (const user of ['ana', 'bo', 'chen']) expect(fake.libraryOf(user)).toEqual([album.id]);
    // Each save was verified against the fan's library, not trusted from the 202.
    const saves = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/me/library');
    expect(saves.map((r) => r.status)).toEqual([202, 202, 202]);
    expect(fake.requests.filter((r) => r.target === 'verify' && r.status === 200)).toHaveLength(3);
    // Found by UPC in the fans' storefront (all three are in the US one).
    expect(fake.requests.filter((r) => r.path === '/v1/catalog/us/albums').every((r) => r.query['filter[upc]'] === UPC)).toBe(true);
    expect(fake.requests.some((r) => r.path.endsWith('/search'))).toBe(false);

    const after = await (await fetch(`${s.url}${thanks[1]}`)).text();
    expect(after).toContain('data-status="saved"');
    const released = await s.ctx.db.selectFrom('grants').select(['status', 'access_token_enc']).execute();
    expect(released).toEqual(Array(3).fill({ status: 'released', access_token_enc: '' }));
    const campaignPage = await (await fetch(`${s.url}/orchard`)).text();
    expect(campaignPage).toContain('Listen on Apple Music');
    const listen = await fetch(`${s.url}/orchard/listen/apple-music`, { redirect: 'manual' });
    expect(listen.headers.get('location')).toBe(`https://music.apple.com/us/album/orchard/${album.id}`);
  });

  it('CSRF: a POST without the browser cookie, with a used state, or without a state is refused (400) and nothing is stored', async () => {
    const { s, fake } = await setup({}, { releaseInMs: 60_000 });
    const victim = new FanBrowser();
    const state = await startApple(victim, s.url, 'orchard');

    // A cross-site POST carries no SameSite=Lax cookie: the state is not this browser's.
    const attacker = new FanBrowser();
    const forged = await postCallback(attacker, s.url, { state, musicUserToken: fake.tokenOf('mallory') }, false);
    expect(forged.status).toBe(400);
    expect(forged.headers.get('x-dropday-error')).toBe('DROPDAY_ERR_STATE_BROWSER_MISMATCH');

    // The real fan completes with a fresh state; replaying it fails.
    const state2 = await startApple(victim, s.url, 'orchard');
    const ok = await postCallback(victim, s.url, { state: state2, musicUserToken: fake.tokenOf('ana') }, true);
    expect(ok.status).toBe(200);
    const replay = await postCallback(victim, s.url, { state: state2, musicUserToken: fake.tokenOf('mallory') }, true);
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('DROPDAY_ERR_STATE_INVALID');

    const missing = await postCallback(victim, s.url, { musicUserToken: fake.tokenOf('mallory') }, false);
    expect(missing.status).toBe(400);
    expect(missing.headers.get('x-dropday-error')).toBe('DROPDAY_ERR_STATE_MISSING');

    // A valid state but no token (MusicKit gave nothing): 400 with a way back, nothing stored.
    const state3 = await startApple(victim, s.url, 'orchard');
    const empty = await postCallback(victim, s.url, { state: state3, musicUserToken: '' }, false);
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('href="/orchard"');

    const { grants, presaves } = await stored(s.ctx);
    expect(presaves.map((p) => p.account_id)).toEqual([accountIdFor(fake.tokenOf('ana'))]);
    expect(grants).toHaveLength(1);
    // Apple was asked only about the real fan's token.
    const asked = fake.requests.filter((r) => r.path === '/v1/me/storefront').map((r) => r.headers['music-user-token']);
    expect(asked).toEqual([fake.tokenOf('ana')]);
  });

  it('silent 202: Apple accepts a save it cannot do; verification fails and the pre-save ends failed with the reason', async () => {
    const { s, fake, releaseAt } = await setup({ WORKER_MAX_ATTEMPTS: '2' });
    // The artist pinned the UK edition by hand; it is not available in the US storefront.
    const ukEdition = fake.addAlbum({ name: 'Orchard (UK Edition)', artistName: 'Apple Artist', storefronts: ['gb'] });
    const campaign = await getCampaignBySlug(s.ctx.db, 'orchard');
    await overrideMatch(
      s.ctx.db,
      campaign.id,
      'apple-music',
      { albumUri: `apple-music:album:${ukEdition.id}`, albumUrl: null, artistUris: [] },
      Date.now(),
    );
    fake.addUser('ana', { storefront: 'us' });
    fake.addUser('ben', { storefront: 'gb' });
    await connectApple(new FanBrowser(), s.url, 'orchard', fake.tokenOf('ana'));
    await connectApple(new FanBrowser(), s.url, 'orchard', fake.tokenOf('ben'), { tz: 'Europe/London' });
    const markets = await s.ctx.db.selectFrom('presaves').select(['account_id', 'market']).execute();
    expect(Object.fromEntries(markets.map((m) => [m.account_id, m.market]))).toEqual({
      [accountIdFor(fake.tokenOf('ana'))]: 'US',
      [accountIdFor(fake.tokenOf('ben'))]: 'GB',
    });
    await waitUntil(releaseAt);
    s.worker.start();
    await waitFor(
      async () => {
        const c = await counts(s.ctx, 'orchard');
        return c.saved === 1 && c.failed === 1;
      },
      { what: 'ben saved, ana failed', timeoutMs: 30_000 },
    );
    const failed = await s.ctx.db.selectFrom('presaves').selectAll().where('status', '=', 'failed').executeTakeFirstOrThrow();
    expect(failed.account_id).toBe(accountIdFor(fake.tokenOf('ana')));
    expect(failed.failure_reason).toBe(
      'Apple Music accepted the save but it is not in the library (verification failed) (gave up after 2 attempts)',
    );
    expect(failed.attempts).toBe(2);
    expect(fake.libraryOf('ana')).toEqual([]);
    expect(fake.libraryOf('ben')).toEqual([ukEdition.id]);
    const anaSaves = fake.requests.filter((r) => r.method === 'POST' && r.headers['music-user-token'] === fake.tokenOf('ana'));
    expect(anaSaves.map((r) => r.status)).toEqual([202, 202]);
  });

  it('a fan whose Music User Token was revoked (403, code 40300) ends failed with a precise reason, tried once', async () => {
    const { s, fake, releaseAt } = await setup();
    await connectApple(new FanBrowser(), s.url, 'orchard', fake.tokenOf('gone'));
    await connectApple(new FanBrowser(), s.url, 'orchard', fake.tokenOf('stays'));
    fake.revoke('gone');
    await waitUntil(releaseAt);
    s.worker.start();
    await waitFor(
      async () => {
        const c = await counts(s.ctx, 'orchard');
        return c.saved === 1 && c.failed === 1;
      },
      { what: 'one saved, one failed' },
    );
    const failed = await s.ctx.db.selectFrom('presaves').selectAll().where('status', '=', 'failed').executeTakeFirstOrThrow();
    expect(failed.account_id).toBe(accountIdFor(fake.tokenOf('gone')));
    expect(failed.failure_reason).toBe(
      "Apple Music authorization no longer valid: the fan's Apple Music authorization was revoked or expired; the fan needs to pre-save again",
    );
    expect(failed.attempts).toBe(1);
    const grant = await s.ctx.db.selectFrom('grants').selectAll().where('account_id', '=', failed.account_id).executeTakeFirstOrThrow();
    expect(grant.status).toBe('dead');
    expect(fake.requests.filter((r) => r.status === 403)).toHaveLength(1);
  });

  it('a refused developer token is reported clearly: on connect (nothing stored) and in the worker (failed, naming the settings)', async () => {
    const { s, fake, releaseAt } = await setup({ WORKER_MAX_ATTEMPTS: '2' });
    await connectApple(new FanBrowser(), s.url, 'orchard', fake.tokenOf('early'));
    fake.faults.revokeDeveloperKey(); // the operator's key was revoked in the Apple Developer account

    const res = await connectApple(new FanBrowser(), s.url, 'orchard', fake.tokenOf('late'));
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('Apple Music is not set up correctly on this Dropday server');
    expect((await stored(s.ctx)).presaves).toHaveLength(1);

    await waitUntil(releaseAt);
    s.worker.start();
    await waitFor(async () => (await counts(s.ctx, 'orchard')).failed === 1, { what: 'failed on bad config', timeoutMs: 30_000 });
    const p = await s.ctx.db.selectFrom('presaves').selectAll().executeTakeFirstOrThrow();
    expect(p.failure_reason).toMatch(
      /^Apple Music rejected Dropday's developer token \(HTTP 401\): check APPLE_MUSIC_TEAM_ID, APPLE_MUSIC_KEY_ID and the \.p8 key .*\(gave up after 2 attempts\)$/,
    );
    expect(p.attempts).toBe(2);
    // The fan is not blamed: the grant stays usable for when the operator fixes the key.
    const grant = await s.ctx.db.selectFrom('grants').selectAll().executeTakeFirstOrThrow();
    expect(grant.status).not.toBe('dead');
  });

  it('an unreadable private key: the connect page says Apple Music is not set up, and stores nothing', async () => {
    const { s } = await setup({}, { keyPem: 'not a key' });
    const res = await new FanBrowser().get(`${s.url}/connect/apple-music?campaign=orchard&tz=UTC`);
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(text).toContain('Apple Music is not set up correctly');
    expect(text).not.toContain('not a key');
    expect(await s.ctx.db.selectFrom('oauth_states').selectAll().execute()).toHaveLength(0);
  });

  it('429 with Retry-After: nothing is sent to Apple inside the window, then the save completes', async () => {
    const { s, fake, releaseAt } = await setup();
    await connectApple(new FanBrowser(), s.url, 'orchard', fake.tokenOf('patient'));
    await connectApple(new FanBrowser(), s.url, 'orchard', fake.tokenOf('patient2'));
    await waitUntil(releaseAt);
    fake.faults.add({ kind: 'rate_limit', target: 'save', retryAfterSeconds: 2, count: 1 });
    s.worker.start();
    await waitFor(async () => (await counts(s.ctx, 'orchard')).saved === 2, { what: 'saved after Retry-After' });
    const limited = fake.requests.find((r) => r.status === 429)!;
    // The whole service waits, not just this fan (a request already in flight when the 429 came back is not a new one).
    const inWindow = fake.requests.filter((r) => r.at > limited.at + 100 && r.at < limited.at + 1900);
    expect(inWindow.filter((r) => r.path.startsWith('/v1/'))).toEqual([]);
    const rows = await s.ctx.db.selectFrom('presaves').selectAll().execute();
    expect(rows.map((r) => r.attempts)).toEqual([1, 1]); // the wait was Apple's doing, not a failed attempt
  });

  it('5xx and timeouts are retried with backoff, then the save lands', async () => {
    const { s, fake, album, releaseAt } = await setup({ OUTBOUND_TIMEOUT_MS: '500' });
    await connectApple(new FanBrowser(), s.url, 'orchard', fake.tokenOf('retry'));
    await waitUntil(releaseAt);
    fake.faults.add({ kind: 'server_error', target: 'save', status: 503, count: 1 });
    fake.faults.add({ kind: 'slow', target: 'verify', delayMs: 1500, count: 1 });
    s.worker.start();
    await waitFor(async () => (await counts(s.ctx, 'orchard')).saved === 1, { what: 'saved after faults', timeoutMs: 40_000 });
    const p = await s.ctx.db.selectFrom('presaves').selectAll().executeTakeFirstOrThrow();
    expect(p.attempts).toBe(3);
    expect(fake.libraryOf('retry')).toEqual([album.id]);
  });
});
