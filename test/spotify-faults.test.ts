import { afterEach, describe, expect, it } from 'vitest';
import { getCampaignBySlug } from '../src/campaigns/repo.js';
import { createCampaign } from '../src/campaigns/service.js';
import type { AppContext } from '../src/context.js';
import { campaignStatusCounts } from '../src/presaves/repo.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { spotifyPresave } from './fakes/spotify/fan.js';
import { startSpotifyFake, type FakeAlbum, type SpotifyFake, type SpotifyFakeOptions } from './fakes/spotify/index.js';

const UPC = '036000291452';
const DAY = 86_400_000;

async function counts(ctx: AppContext) {
  const c = await getCampaignBySlug(ctx.db, 'ff');
  return campaignStatusCounts(ctx.db, c.id, ctx.now());
}

async function presaveOf(ctx: AppContext, accountId: string) {
  return ctx.db.selectFrom('presaves').selectAll().where('account_id', '=', accountId).executeTakeFirstOrThrow();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testDialects())('Spotify faults and outcomes (%s)', (dialect) => {
  let server: TestServer | undefined;
  let fake: SpotifyFake | undefined;
  afterEach(async () => {
    await server?.close();
    await fake?.close();
    server = undefined;
    fake = undefined;
  });

  /** Dropday + fake Spotify, a campaign "ff" released `releaseInMs` from now, the album live from then. */
  async function setup(
    o: { fake?: SpotifyFakeOptions; env?: Record<string, string>; clock?: () => number; follow?: boolean; releaseInMs?: number } = {},
  ): Promise<{ s: TestServer; f: SpotifyFake; album: FakeAlbum; releaseAt: number }> {
    const f = (fake = await startSpotifyFake({ ...(o.clock ? { now: o.clock } : {}), ...o.fake }));
    const s = (server = await startTestServer(dialect, { WORKER_RETRY_BASE_MS: '200', ...f.env(o.env) }, o.clock));
    f.state.registerRedirectUri(`${s.url}/callback/spotify`, f.clientId);
    const campaign = await createCampaign(
      { db: s.ctx.db, now: s.ctx.now, enabledServices: s.ctx.providers.enabled() },
      {
        slug: 'ff',
        artistName: 'Fault Artist',
        title: 'Faults',
        upc: UPC,
        releaseAt: new Date(s.ctx.now() + (o.releaseInMs ?? 1000)).toISOString(),
        timezone: 'UTC',
        timing: 'global',
        services: ['spotify'],
        followArtist: o.follow ?? false,
      },
    );
    const album = f.state.addAlbum({ name: 'Faults', artists: ['Fault Artist'], upc: UPC, liveAt: campaign.first_release_at });
    return { s, f, album, releaseAt: campaign.first_release_at };
  }

  it('a fan who revoked access ends failed with a precise reason after one refresh attempt, and is not retried', async () => {
    const { s, f } = await setup();
    await spotifyPresave(s.url, 'ff', 'gone');
    await spotifyPresave(s.url, 'ff', 'stays');
    f.faults.revoke('gone');
    await sleep(1100);
    s.worker.start();
    await waitFor(
      async () => {
        const c = await counts(s.ctx);
        return c.saved === 1 && c.failed === 1;
      },
      { what: 'one saved, one failed' },
    );
    const failed = await s.ctx.db.selectFrom('presaves').selectAll().where('status', '=', 'failed').executeTakeFirstOrThrow();
    expect(failed.account_id).toBe(f.state.user('gone').accountId);
    expect(failed.failure_reason).toBe(
      'Spotify authorization no longer valid: the fan revoked access or the 6-month Spotify authorization expired; the fan needs to pre-save again',
    );
    expect(failed.attempts).toBe(1);
    const grant = await s.ctx.db.selectFrom('grants').selectAll().where('account_id', '=', failed.account_id).executeTakeFirstOrThrow();
    expect(grant.status).toBe('dead');
    // One 401 on the Web API, one refresh refused with invalid_grant, and nothing more.
    const gone = f.state.requests.filter((r) => r.username === 'gone' && r.target !== 'me');
    expect(gone.map((r) => [r.target === 'token' ? 'token' : 'api', r.status])).toEqual([
      ['api', 401],
      ['token', 400],
    ]);
    expect(f.state.libraryOf('stays')).toHaveLength(1);
  });

  it('the 6-month limit: a release due after it is flagged on the thank-you page and ends failed, saying why', async () => {
    let clock = Date.now();
    const { s, f, releaseAt } = await setup({ clock: () => clock, releaseInMs: 200 * DAY });
    const thanks = await spotifyPresave(s.url, 'ff', 'patient');
    expect(await (await fetch(thanks)).text()).toContain('data-reauth');
    s.worker.start();
    clock = releaseAt + 60_000;
    s.worker.nudge();
    await waitFor(async () => (await counts(s.ctx)).failed === 1, { what: 'failed at release' });
    const p = await presaveOf(s.ctx, f.state.user('patient').accountId);
    expect(p.failure_reason).toMatch(/the 6-month Spotify authorization expired/);
    expect(p.attempts).toBe(1);
    expect(f.state.requests.filter((r) => r.target === 'token' && r.status === 400)).toHaveLength(1);
    expect(f.state.apiRequests('library')).toEqual([]);
  });

  it('Development Mode allow-list: a fan who is not on it cannot pre-save; one removed from it fails with a plain reason', async () => {
    const { s, f } = await setup();
    f.state.allowUser('ana');
    f.state.allowUser('bo');
    await spotifyPresave(s.url, 'ff', 'ana');
    await spotifyPresave(s.url, 'ff', 'bo');

    // Spotify lets an outsider consent, then refuses every Web API call: nothing is stored.
    const outsider = new FanBrowser();
    const { consentUrl, requestId } = await outsider.startPresave(s.url, 'ff', 'UTC', 'spotify');
    const back = await outsider.get(await outsider.decide(consentUrl, requestId, 'zed', 'allow'));
    expect(back.status).toBeGreaterThanOrEqual(400);
    expect(f.state.requests.filter((r) => r.username === 'zed').map((r) => r.status)).toEqual([403]);
    expect(await s.ctx.db.selectFrom('presaves').select('id').execute()).toHaveLength(2);

    f.state.disallowUser('bo');
    await sleep(1100);
    s.worker.start();
    await waitFor(
      async () => {
        const c = await counts(s.ctx);
        return c.saved === 1 && c.failed === 1;
      },
      { what: 'ana saved, bo failed' },
    );
    const bo = await presaveOf(s.ctx, f.state.user('bo').accountId);
    expect(bo.failure_reason).toMatch(/not on the allow-list of this server's Spotify app/);
    expect(bo.failure_reason).toMatch(/only the 5 listeners its owner has added/);
    expect(bo.attempts).toBe(1);
    expect(f.state.libraryOf('ana')).toHaveLength(1);
    expect(f.state.libraryOf('bo')).toEqual([]);
  });

  it('429 with Retry-After: the worker waits the whole window, sends nothing inside it, and then saves', async () => {
    const { s, f } = await setup();
    await spotifyPresave(s.url, 'ff', 'patient');
    await sleep(1100);
    f.faults.add({ kind: 'rate_limit', retryAfterSeconds: 2, target: 'library' });
    const started = Date.now();
    s.worker.start();
    await waitFor(async () => (await counts(s.ctx)).saved === 1, { what: 'saved after Retry-After' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    const limited = f.state.apiRequests().filter((r) => r.status === 429);
    expect(limited).toHaveLength(1);
    expect(limited[0]!.retryAfterUntil! - limited[0]!.respondedAt!).toBe(2000);
    expect(f.state.requestsInsideRetryAfter()).toEqual([]);
    const next = f.state.apiRequests().find((r) => r.seq > limited[0]!.seq)!;
    expect(next.at).toBeGreaterThanOrEqual(limited[0]!.retryAfterUntil!);
    expect((await presaveOf(s.ctx, f.state.user('patient').accountId)).attempts).toBe(1);
  });

  it('a rolling per-app window: fans are saved and no request lands inside a Retry-After wait', async () => {
    const { s, f } = await setup({ env: { WORKER_CONCURRENCY: '1' } });
    for (const u of ['a1', 'a2', 'a3']) await spotifyPresave(s.url, 'ff', u);
    f.faults.rollingWindow({ maxRequests: 4, windowSeconds: 2 });
    await sleep(1100);
    s.worker.start();
    await waitFor(async () => (await counts(s.ctx)).saved === 3, { what: 'three saved', timeoutMs: 40_000 });
    expect(f.state.apiRequests().some((r) => r.status === 429)).toBe(true);
    expect(f.state.requestsInsideRetryAfter()).toEqual([]);
    for (const u of ['a1', 'a2', 'a3']) expect(f.state.libraryOf(u)).toHaveLength(1);
  });

  it('429 QUOTA_EXCEEDED pauses Spotify: the pre-save waits with a reason and nothing more is sent', async () => {
    const { s, f } = await setup({ env: { WORKER_CONCURRENCY: '1' } });
    await spotifyPresave(s.url, 'ff', 'q1');
    await spotifyPresave(s.url, 'ff', 'q2');
    await sleep(1100);
    f.faults.add({ kind: 'quota', target: 'library', count: Infinity });
    s.worker.start();
    await waitFor(
      async () => {
        const rows = await s.ctx.db.selectFrom('presaves').selectAll().execute();
        return rows.some((p) => p.last_error?.includes('quota exhausted'));
      },
      { what: 'parked for quota' },
    );
    await sleep(1500);
    const puts = f.state.apiRequests('library');
    expect(puts.map((r) => r.status)).toEqual([429]);
    // Spotify is paused for the whole app: nothing more went out, for this fan or the other.
    expect(f.state.apiRequests().filter((r) => r.seq > puts[0]!.seq)).toEqual([]);
    expect(f.state.apiRequests().filter((r) => r.username === 'q2' && r.target !== 'me')).toEqual([]);
    const q1 = await presaveOf(s.ctx, f.state.user('q1').accountId);
    expect(q1.status).toBe('pending');
    expect(q1.last_error).toMatch(/^Spotify quota exhausted: paused/);
    expect(q1.next_attempt_at).toBeGreaterThan(Date.now() + 30 * 60_000);
    expect(q1.attempts).toBe(0); // the pause is not held against the fan's attempts
    expect((await presaveOf(s.ctx, f.state.user('q2').accountId)).status).toBe('pending');
  });

  it('5xx answers are retried with backoff and then the save succeeds', async () => {
    const { s, f } = await setup();
    await spotifyPresave(s.url, 'ff', 'retry');
    await sleep(1100);
    f.faults.add({ kind: 'server_error', statusCode: 503, target: 'library', count: 2 });
    s.worker.start();
    await waitFor(async () => (await counts(s.ctx)).saved === 1, { what: 'saved after 5xx', timeoutMs: 40_000 });
    expect(f.state.apiRequests('library').map((r) => r.status)).toEqual([503, 503, 200]);
    expect((await presaveOf(s.ctx, f.state.user('retry').accountId)).attempts).toBe(3);
    expect(f.state.libraryOf('retry')).toHaveLength(1);
  });

  it('a timed-out call and a reset connection are retried, then saved', async () => {
    const { s, f } = await setup({ env: { OUTBOUND_TIMEOUT_MS: '500' } });
    await spotifyPresave(s.url, 'ff', 'slow');
    await sleep(1100);
    f.faults.add({ kind: 'slow', delayMs: 1500, target: 'library' });
    f.faults.add({ kind: 'reset', target: 'contains' });
    s.worker.start();
    await waitFor(async () => (await counts(s.ctx)).saved === 1, { what: 'saved after timeout and reset', timeoutMs: 40_000 });
    const p = await presaveOf(s.ctx, f.state.user('slow').accountId);
    expect(p.attempts).toBe(3);
    // A retried pre-save looks in the library before writing again: the reset check, then that look, then the verify.
    expect(f.state.apiRequests('contains').map((r) => r.status)).toEqual([undefined, 200, 200]);
  });

  it('Extended Quota app with SPOTIFY_LEGACY_FOLLOW: artists /me/library refuses are followed via PUT /me/following', async () => {
    const { s, f, album } = await setup({
      fake: { artistUrisInLibrary: 'reject', clients: [{ clientId: 'extendedquotaclient0000000000001', mode: 'extended' }] },
      env: { SPOTIFY_LEGACY_FOLLOW: 'true' },
      follow: true,
    });
    await spotifyPresave(s.url, 'ff', 'fan');
    await sleep(1100);
    s.worker.start();
    await waitFor(async () => (await counts(s.ctx)).saved === 1, { what: 'saved with legacy follow' });
    expect(f.state.libraryOf('fan').sort()).toEqual([`spotify:album:${album.id}`, `spotify:artist:${album.artists[0]!.id}`].sort());
    expect(f.state.apiRequests('following').map((r) => [r.method, r.status])).toEqual([['PUT', 204]]);
    expect(f.state.apiRequests('legacy')).toEqual([]);
  });
});
