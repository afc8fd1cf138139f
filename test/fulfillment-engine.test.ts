import { afterEach, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { redriveFailed, resumeServices } from '../src/fulfillment/admin.js';
import { addFault, clearFaults, libraryOf } from '../src/providers/sandbox/admin.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

describe.each(testDialects())('the fulfillment engine (%s)', (dialect) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function setup(env: Record<string, string> = {}, fans = ['one']) {
    server = await startTestServer(dialect, { WORKER_RETRY_BASE_MS: '100', ...env });
    const { ctx, url } = server;
    const c = await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'engine',
        artistName: 'Engine',
        title: 'Room',
        upc: '036000291452',
        releaseAt: new Date(Date.now() + 1000).toISOString(),
        timing: 'global',
        services: ['sandbox'],
      },
    );
    for (const f of fans) await new FanBrowser().presave(url, 'engine', f, 'UTC');
    await new Promise((r) => setTimeout(r, 1100));
    return { ...server, campaign: c };
  }
  const presave = (s: TestServer) => s.ctx.db.selectFrom('presaves').selectAll().executeTakeFirstOrThrow();

  it('QUOTA_EXCEEDED parks every pre-save of the service until an operator resumes, without spending attempts', async () => {
    const s = await setup({}, ['q1', 'q2']);
    await addFault(s.ctx.db, { kind: 'quota', target: 'search', count: 1 }, Date.now());
    s.worker.start();
    // The Sandbox's row: the loop also keeps rows for the message channels (`mail:smtp`).
    const sandbox = () => s.ctx.db.selectFrom('service_governors').selectAll().where('service', '=', 'sandbox').executeTakeFirst();
    await waitFor(async () => (await sandbox())?.breaker_open === 1, {
      what: 'breaker open',
    });
    await new Promise((r) => setTimeout(r, 500));
    const parked = await s.ctx.db.selectFrom('presaves').selectAll().execute();
    expect(parked.every((p) => p.status === 'pending')).toBe(true);
    expect(await libraryOf(s.ctx.db, 'q1')).toEqual([]);
    const r = await resumeServices(s.ctx.db, Date.now());
    expect(r.services).toEqual(['sandbox']);
    s.worker.nudge();
    await waitFor(
      async () => (await s.ctx.db.selectFrom('presaves').select('status').where('status', '=', 'saved').execute()).length === 2,
      { what: 'saved after resume' },
    );
  });

  it('a pre-save cancelled while in flight is never saved', async () => {
    const s = await setup();
    await addFault(s.ctx.db, { kind: 'slow', target: 'search', delayMs: 1500, count: 1 }, Date.now());
    s.worker.start();
    await waitFor(async () => (await presave(s)).lease_owner !== null, { what: 'claimed' });
    await s.ctx.db.updateTable('presaves').set({ status: 'cancelled', failure_reason: 'cancelled by the fan' }).execute();
    await new Promise((r) => setTimeout(r, 2500));
    expect((await presave(s)).status).toBe('cancelled');
    expect(await libraryOf(s.ctx.db, 'one')).toEqual([]);
  });

  it('a stopping worker finishes what it started and hands back, untouched, what it claimed but never started', async () => {
    const s = await setup({ WORKER_CONCURRENCY: '1', WORKER_BATCH_SIZE: '1' }, ['first', 'second']);
    await addFault(s.ctx.db, { kind: 'slow', target: 'search', delayMs: 1500, count: 1 }, Date.now());
    s.worker.start();
    // One pre-save in flight (held up by the slow search), the next one claimed ahead of the free slot.
    await waitFor(async () => (await s.ctx.db.selectFrom('presaves').selectAll().execute()).every((p) => p.lease_owner !== null), {
      what: 'both claimed',
    });
    await s.worker.stop();
    const rows = await s.ctx.db.selectFrom('presaves').selectAll().orderBy('id').execute();
    expect(rows[0]).toMatchObject({ status: 'saved', lease_owner: null });
    expect(rows[1]).toMatchObject({ status: 'pending', lease_owner: null, lease_token: null, attempts: 0 });
    expect(await libraryOf(s.ctx.db, 'second')).toEqual([]);
  });

  it('claims cut short by crashes do not use up attempts; a pre-save interrupted over and over is given up', async () => {
    const s = await setup({ WORKER_MAX_ATTEMPTS: '2' }, ['survivor', 'poison']);
    // As if workers had died holding these rows: 5 and 6 claims, none of which reached a result.
    const ids = (await s.ctx.db.selectFrom('presaves').select(['id', 'account_id']).orderBy('id').execute()).map((r) => r.id);
    await s.ctx.db.updateTable('presaves').set({ attempts: 5 }).where('id', '=', ids[0]!).execute();
    await s.ctx.db.updateTable('presaves').set({ attempts: 6 }).where('id', '=', ids[1]!).execute();
    // One real failure for the survivor: 1 of its 2 allowed, however many claims came before.
    await addFault(s.ctx.db, { kind: 'server_error', target: 'library', statusCode: 503, count: 1 }, Date.now());
    s.worker.start();
    await waitFor(
      async () => (await s.ctx.db.selectFrom('presaves').select('status').where('status', '=', 'pending').execute()).length === 0,
      { what: 'both settled' },
    );
    const rows = await s.ctx.db.selectFrom('presaves').selectAll().orderBy('id').execute();
    expect(rows[0]).toMatchObject({ status: 'saved', failures: 1 });
    expect(rows[1]).toMatchObject({ status: 'failed' });
    expect(rows[1]!.failure_reason).toMatch(/interrupted 6 times/);
    expect(await libraryOf(s.ctx.db, 'poison')).toEqual([]);
  });

  it('re-driving failed pre-saves is idempotent and ends saved', async () => {
    const s = await setup({ WORKER_MAX_ATTEMPTS: '1' });
    await addFault(s.ctx.db, { kind: 'server_error', target: 'library', statusCode: 503 }, Date.now());
    s.worker.start();
    await waitFor(async () => (await presave(s)).status === 'failed', { what: 'failed' });
    expect((await presave(s)).failure_reason).toMatch(/gave up after 1 attempts/);
    await clearFaults(s.ctx.db);
    expect(await redriveFailed(s.ctx.db, s.campaign.id, { reason: 'gave up' }, Date.now())).toBe(1);
    expect(await redriveFailed(s.ctx.db, s.campaign.id, {}, Date.now())).toBe(0);
    s.worker.nudge();
    await waitFor(async () => (await presave(s)).status === 'saved', { what: 'saved after re-drive' });
    expect(await libraryOf(s.ctx.db, 'one')).toHaveLength(1);
  });
});
