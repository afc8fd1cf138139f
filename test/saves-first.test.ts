import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliveryReport } from '../src/analytics/delivery.js';
import { deliveryStateText } from '../src/analytics/delivery-words.js';
import type { Db } from '../src/db/index.js';
import { envFor, startCli, stop } from './helpers/cli.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { seedDueRelease } from './helpers/due-release.js';
import { albumUri, artistUri, startFanoutFake, type FanoutFake, type LibraryCall } from './fakes/fanout/server.js';

/**
 * Saves first, verification after: when the service's rate budget is the bottleneck, the engine
 * spends it on album saves and verifies with what is left; every save is verified before it counts.
 * The fan-out fake keeps every library call in order, so the tests read what was done when from
 * the service's side, not from the engine's own account.
 */
describe.each(testDialects())('saves first under a rate limit (%s)', (dialect) => {
  let fake: FanoutFake;
  let server: TestServer | undefined;
  beforeEach(async () => {
    fake = await startFanoutFake({ log: true });
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await fake.close();
  });

  /** A server whose worker talks to the fake (as `/engine`), and `fans` pre-saves all due now. */
  async function setup(env: Record<string, string>, fans: number, opts: { follow?: boolean } = {}) {
    server = await startTestServer(dialect, { SANDBOX_BASE_URL: `${fake.url}/engine/sandbox`, WORKER_RETRY_BASE_MS: '100', ...env });
    const { accounts } = await seedDueRelease(server.ctx.db, server.ctx.cipher, fake, {
      slug: 'saves-first',
      prefix: 'sf',
      count: fans,
      follow: opts.follow ?? false,
    });
    return { s: server, accounts };
  }

  const rows = (db: Db) => db.selectFrom('presaves').selectAll().orderBy('id').execute();
  const albumCalls = (route: LibraryCall['route']) => fake.calls.filter((c) => c.album && c.route === route);

  it('under a tight budget every album is saved before any is verified, and each counts as saved only once verified', async () => {
    const { s, accounts } = await setup({ RATE_LIMITS: 'sandbox=4/s' }, 12);
    s.worker.start();

    // In between: saves the service accepted, waiting for their verification, shown as such.
    const seen = await waitFor(
      async () => {
        const r = await deliveryReport(s.ctx.db, (await rows(s.ctx.db))[0]!.campaign_id, Date.now());
        return r.verifying > 0 ? r : null;
      },
      { what: 'a save waiting for its verification' },
    );
    expect(deliveryStateText(seen!)).toMatch(/saved, verifying/);
    const waiting = (await rows(s.ctx.db)).filter((p) => p.save_accepted_at !== null && p.status === 'pending');
    expect(waiting.length).toBeGreaterThan(0);
    for (const p of waiting) expect(fake.libraryOf(p.account_id)?.uris).toContain(albumUri());

    await waitFor(async () => (await rows(s.ctx.db)).every((p) => p.status === 'saved'), { what: 'every pre-save saved' });
    const puts = albumCalls('put');
    const checks = albumCalls('contains');
    // One write per fan, every one of them before the first verification.
    expect(puts.map((c) => c.account).sort()).toEqual([...accounts].sort());
    expect(fake.calls.indexOf(puts.at(-1)!)).toBeLessThan(fake.calls.indexOf(checks[0]!));
    // Every save verified, and counted saved only after the service showed it in the library.
    for (const p of await rows(s.ctx.db)) {
      const verified = checks.find((c) => c.account === p.account_id && c.present);
      expect(verified, p.account_id).toBeDefined();
      expect(Number(p.saved_at)).toBeGreaterThanOrEqual(verified!.at);
    }
    const report = await deliveryReport(s.ctx.db, (await rows(s.ctx.db))[0]!.campaign_id, Date.now());
    expect(report).toMatchObject({ saved: 12, verifying: 0, due: 0 });
  });

  it('with budget to spare it saves and verifies in one pass, as before', async () => {
    const { s } = await setup({ RATE_LIMITS: 'sandbox=500/s' }, 6);
    s.worker.start();
    await waitFor(async () => (await rows(s.ctx.db)).every((p) => p.status === 'saved'), { what: 'every pre-save saved' });
    for (const p of await rows(s.ctx.db)) {
      // Never through the verify queue; for each fan, the save then its verification, nothing else.
      expect(p.save_accepted_at).toBeNull();
      expect(fake.calls.filter((c) => c.account === p.account_id).map((c) => c.route)).toEqual(['put', 'contains']);
    }
  });

  it('follows come after the album saves when the budget is short, and every follow is still done', async () => {
    const { s } = await setup({ RATE_LIMITS: 'sandbox=4/s' }, 8, { follow: true });
    s.worker.start();
    await waitFor(async () => (await rows(s.ctx.db)).every((p) => p.status === 'saved' && p.follow_status === 'done'), {
      what: 'every album saved and every artist followed',
      timeoutMs: 30_000,
    });
    const albumPuts = albumCalls('put');
    const followPuts = fake.calls.filter((c) => c.route === 'put' && !c.album);
    expect(albumPuts).toHaveLength(8);
    expect(followPuts).toHaveLength(8);
    expect(fake.calls.indexOf(albumPuts.at(-1)!)).toBeLessThan(fake.calls.indexOf(followPuts[0]!));
    for (const p of await rows(s.ctx.db)) expect(fake.libraryOf(p.account_id)?.uris).toEqual([albumUri(), artistUri()]);
  });

  it('a worker killed between a save and its verification loses nothing: the next worker verifies it', async () => {
    const { s, accounts } = await setup({}, 10);
    // Worker A, a real process under a tight budget, is killed once some saves wait for verification.
    const a = await startCli(
      ['worker'],
      envFor(s.testDb, { SANDBOX_BASE_URL: `${fake.url}/killed/sandbox`, RATE_LIMITS: 'sandbox=3/s', WORKER_LEASE_MS: '2000' }),
      /fulfillment worker .* running/i,
    );
    try {
      await waitFor(async () => (await rows(s.ctx.db)).some((p) => p.save_accepted_at !== null), {
        what: 'a save waiting for its verification',
        timeoutMs: 30_000,
      });
    } finally {
      await stop(a.child, 'SIGKILL');
    }
    const atKill = (await rows(s.ctx.db)).filter((p) => p.status === 'pending' && p.save_accepted_at !== null);
    expect(atKill.length).toBeGreaterThan(0);
    const campaignId = atKill[0]!.campaign_id;
    const mid = await deliveryReport(s.ctx.db, campaignId, Date.now());
    // Not counted saved, but not lost either: shown as saved, verifying.
    expect(mid.verifying).toBe(atKill.length);
    expect(mid.saved).toBe((await rows(s.ctx.db)).filter((p) => p.status === 'saved').length);
    expect(deliveryStateText(mid)).toMatch(/saved, verifying/);

    // Worker B (in this process, budget to spare) finishes: what A saved is verified, not saved again.
    s.worker.start();
    await waitFor(async () => (await rows(s.ctx.db)).every((p) => p.status === 'saved'), { what: 'every pre-save saved' });
    for (const p of atKill) {
      const byB = fake.calls.filter((c) => c.account === p.account_id && c.tag === '/engine/sandbox');
      expect(byB.map((c) => [c.route, c.present])).toEqual([['contains', true]]);
    }
    for (const acc of accounts) expect(fake.libraryOf(acc)?.uris).toEqual([albumUri()]);
    expect(await deliveryReport(s.ctx.db, campaignId, Date.now())).toMatchObject({ saved: 10, verifying: 0 });
  });
});
