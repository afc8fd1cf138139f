import { afterEach, describe, expect, it } from 'vitest';
import { FanBrowser } from './helpers/fan.js';
import { testDialects } from './helpers/db.js';
import type { TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { counts, presaveOnTidal, startDropdayWithTidal, tidalCampaign } from './fakes/tidal/dropday.js';
import { startTidalFake, type TidalFake } from './fakes/tidal/index.js';

/** Every fault TIDAL can throw at a pre-save, each with the outcome the artist sees and no hot retry loop. */

const UPC = '036000291452';

describe.each(testDialects())('TIDAL faults and outcomes (%s)', (dialect) => {
  let server: TestServer | undefined;
  let fake: TidalFake | undefined;
  afterEach(async () => {
    await server?.close();
    await fake?.close();
    server = undefined;
    fake = undefined;
  });

  /** A live release, a campaign released a second from now, and Dropday pointed at the fake. */
  async function setup(env: Record<string, string> = {}, fakeOpts: Parameters<typeof startTidalFake>[0] = {}) {
    fake = await startTidalFake(fakeOpts);
    server = await startDropdayWithTidal(dialect, fake, env);
    fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water', upc: UPC });
    await tidalCampaign(server.ctx, { slug: 'ff', releaseAt: new Date(Date.now() + 1000).toISOString() });
    return { fake, server };
  }
  const afterRelease = () => new Promise((r) => setTimeout(r, 1100));
  const presave = (s: TestServer, user: string) =>
    s.ctx.db.selectFrom('presaves').selectAll().where('account_id', '=', fake!.state.findUser(user)!.id).executeTakeFirstOrThrow();

  it('429 with Retry-After: nothing is sent to TIDAL inside the window, then the save goes through', async () => {
    const { fake, server } = await setup();
    await presaveOnTidal(server.url, 'ff', 'patient');
    await afterRelease();
    fake.faults.add({ kind: 'rate_limit', target: 'library', method: 'POST', retryAfterSeconds: 3, count: 1 });
    const started = Date.now();
    server.worker.start();
    await waitFor(async () => (await counts(server.ctx, 'ff')).saved === 1, { what: 'saved after Retry-After', timeoutMs: 30_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);

    const limited = fake.requests.find((r) => r.status === 429)!;
    const inWindow = fake.requests.filter((r) => r.at > limited.at && r.at < limited.at + 3000);
    expect(inWindow).toEqual([]);
    const p = await presave(server, 'patient');
    expect(p.attempts).toBe(1); // the wait was TIDAL's doing, not a failed attempt
    expect(fake.state.collectionOf('patient').albums).toHaveLength(1);
  });

  it('5xx answers are retried with backoff, then the save goes through', async () => {
    const { fake, server } = await setup();
    await presaveOnTidal(server.url, 'ff', 'retry');
    await afterRelease();
    fake.faults.add({ kind: 'server_error', target: 'library', method: 'POST', statusCode: 503, count: 2 });
    server.worker.start();
    await waitFor(async () => (await counts(server.ctx, 'ff')).saved === 1, { what: 'saved after 5xx', timeoutMs: 40_000 });
    const p = await presave(server, 'retry');
    expect(p.attempts).toBe(3);
    const posts = fake.apiRequests().filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.status)).toEqual([503, 503, 200]);
    // Not a hot loop: one write per attempt, each attempt counted; the two retried attempts look in the
    // collection before writing again, and the last one verifies.
    expect(fake.apiRequests().filter((r) => r.path.endsWith('/relationships/items') && r.method === 'GET')).toHaveLength(3);
  });

  it('a TIDAL that does not answer in time is a transient failure, retried', async () => {
    const { fake, server } = await setup({ OUTBOUND_TIMEOUT_MS: '500' });
    await presaveOnTidal(server.url, 'ff', 'slowpoke');
    await afterRelease();
    fake.faults.add({ kind: 'slow', target: 'catalog', delayMs: 2000, count: 1 });
    server.worker.start();
    await waitFor(async () => (await counts(server.ctx, 'ff')).saved === 1, { what: 'saved after a timeout', timeoutMs: 30_000 });
    const p = await presave(server, 'slowpoke');
    expect(p.attempts).toBe(2);
  });

  it('a dropped connection is a transient failure, retried', async () => {
    const { fake, server } = await setup();
    await presaveOnTidal(server.url, 'ff', 'reset');
    await afterRelease();
    fake.faults.add({ kind: 'reset', target: 'library', method: 'POST', count: 1 });
    server.worker.start();
    await waitFor(async () => (await counts(server.ctx, 'ff')).saved === 1, { what: 'saved after a reset', timeoutMs: 30_000 });
    expect((await presave(server, 'reset')).attempts).toBe(2);
    expect(fake.requests.some((r) => r.fault === 'reset')).toBe(true);
  });

  it('a fan who removed Dropday on TIDAL ends failed with a plain reason, after one refresh attempt, never retried', async () => {
    const { fake, server } = await setup();
    await presaveOnTidal(server.url, 'ff', 'gone');
    await presaveOnTidal(server.url, 'ff', 'stays');
    fake.revoke('gone');
    await afterRelease();
    server.worker.start();
    await waitFor(
      async () => {
        const c = await counts(server.ctx, 'ff');
        return c.saved === 1 && c.failed === 1;
      },
      { what: 'one saved, one failed' },
    );
    const failed = await presave(server, 'gone');
    expect(failed.status).toBe('failed');
    expect(failed.failure_reason).toBe(
      'TIDAL authorization no longer valid: the fan withdrew Dropday’s access on TIDAL or the TIDAL authorization expired; the fan needs to pre-save again',
    );
    expect(failed.attempts).toBe(1);
    const grant = await server.ctx.db
      .selectFrom('grants')
      .selectAll()
      .where('account_id', '=', failed.account_id)
      .executeTakeFirstOrThrow();
    expect(grant.status).toBe('dead');
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.requests.filter((r) => r.path.endsWith('/token') && r.body?.includes('grant_type=refresh_token'))).toHaveLength(1);
  });

  it('an app TIDAL has not approved: only the developer is saved; other fans fail with the reason, once', async () => {
    const { fake, server } = await setup({}, { developer: 'dev' });
    await presaveOnTidal(server.url, 'ff', 'dev');
    await presaveOnTidal(server.url, 'ff', 'fan');
    fake.state.approved = false;
    await afterRelease();
    server.worker.start();
    await waitFor(
      async () => {
        const c = await counts(server.ctx, 'ff');
        return c.saved === 1 && c.failed === 1;
      },
      { what: 'developer saved, fan failed' },
    );
    const fan = await presave(server, 'fan');
    expect(fan.failure_reason).toMatch(
      /^TIDAL authorization no longer valid: TIDAL refused access to this account: the Dropday app is not approved by TIDAL/,
    );
    expect(fan.attempts).toBe(1);
    expect(fake.state.collectionOf('dev').albums).toHaveLength(1);
    expect(fake.state.collectionOf('fan').albums).toEqual([]);
    const forbidden = fake.apiRequests().filter((r) => r.status === 403);
    expect(forbidden).toHaveLength(1);
  });

  it('an app TIDAL has not approved: a fan who is not the developer is told at sign-in, and nothing is recorded', async () => {
    const { fake, server } = await setup({}, { developer: 'dev' });
    fake.state.approved = false;
    const browser = new FanBrowser();
    const { consentUrl, requestId } = await browser.startPresave(server.url, 'ff', 'UTC', 'tidal');
    const callback = await browser.decide(consentUrl, requestId, 'outsider', 'allow');
    const res = await browser.get(callback);
    expect(res.status).toBe(502);
    // The page is Dropday's sign-in error (its wording for a refused sign-in lives in src/web/routes/oauth.ts).
    expect(res.headers.get('x-dropday-error')).toBe('DROPDAY_ERR_PROVIDER_ERROR');
    expect(fake.apiRequests().map((r) => r.status)).toEqual([403]);
    expect(await server.ctx.db.selectFrom('presaves').selectAll().execute()).toEqual([]);
    expect(await server.ctx.db.selectFrom('grants').selectAll().execute()).toEqual([]);
  });

  it('a fan who denies on TIDAL’s page is told nothing was saved', async () => {
    const { server } = await setup();
    const browser = new FanBrowser();
    const { consentUrl, requestId } = await browser.startPresave(server.url, 'ff', 'UTC', 'tidal');
    const callback = await browser.decide(consentUrl, requestId, 'nope', 'deny');
    expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
    const res = await browser.get(callback);
    expect(res.status).toBe(403);
    expect(await server.ctx.db.selectFrom('presaves').selectAll().execute()).toEqual([]);
  });

  it('a release that never reaches TIDAL ends failed "release not found on TIDAL" after the search window, polled politely', async () => {
    let clock = Date.now();
    fake = await startTidalFake({ now: () => clock });
    server = await startDropdayWithTidal(dialect, fake, {}, () => clock);
    const s = server;
    await tidalCampaign(s.ctx, { slug: 'ff', releaseAt: new Date(clock + 1000).toISOString() });
    await presaveOnTidal(s.url, 'ff', 'waiting');
    clock += 2000;
    s.worker.start();
    const p1 = await waitFor(
      async () => {
        const p = await s.ctx.db.selectFrom('presaves').selectAll().executeTakeFirstOrThrow();
        return p.last_error?.includes('not yet found') ? p : null;
      },
      { what: 'first not-found' },
    );
    expect(p1!.status).toBe('pending');
    expect(p1!.next_attempt_at - clock).toBeGreaterThanOrEqual(20_000);
    const lookups = fake.apiRequests().length;
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.apiRequests().length).toBe(lookups); // no hot loop while waiting
    clock += 49 * 3_600_000;
    s.worker.nudge();
    await waitFor(async () => (await counts(s.ctx, 'ff')).failed === 1, { what: 'failed after the search window' });
    const p2 = await s.ctx.db.selectFrom('presaves').selectAll().executeTakeFirstOrThrow();
    expect(p2.failure_reason).toBe('release not found on TIDAL');
  });
});
