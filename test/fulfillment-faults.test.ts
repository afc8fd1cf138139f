import { afterEach, describe, expect, it } from 'vitest';
import { getCampaignBySlug } from '../src/campaigns/repo.js';
import { createCampaign } from '../src/campaigns/service.js';
import type { AppContext } from '../src/context.js';
import { campaignStatusCounts } from '../src/presaves/repo.js';
import { addFault, libraryOf, revokeUser } from '../src/providers/sandbox/admin.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

async function counts(ctx: AppContext, slug: string) {
  const c = await getCampaignBySlug(ctx.db, slug);
  return campaignStatusCounts(ctx.db, c.id, ctx.now());
}

describe.each(testDialects())('fulfillment outcomes and faults (%s)', (dialect) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function setup(clock?: () => number, upc = '036000291452') {
    server = await startTestServer(dialect, { WORKER_RETRY_BASE_MS: '200' }, clock);
    const { ctx } = server;
    const now = ctx.now();
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'ff',
        artistName: 'Fault Artist',
        title: 'Faults',
        upc,
        releaseAt: new Date(now + 1000).toISOString(),
        timing: 'global',
        services: ['sandbox'],
      },
    );
    return server;
  }

  it('a fan who revoked access ends failed with a precise reason, and is not retried', async () => {
    const s = await setup();
    await new FanBrowser().presave(s.url, 'ff', 'gone', 'UTC');
    await new FanBrowser().presave(s.url, 'ff', 'stays', 'UTC');
    await revokeUser(s.ctx.db, 'gone');
    await new Promise((r) => setTimeout(r, 1100));
    s.worker.start();
    await waitFor(
      async () => {
        const c = await counts(s.ctx, 'ff');
        return c.saved === 1 && c.failed === 1;
      },
      { what: 'one saved, one failed' },
    );
    const failed = await s.ctx.db.selectFrom('presaves').selectAll().where('status', '=', 'failed').executeTakeFirstOrThrow();
    expect(failed.account_id).toBe('gone');
    expect(failed.failure_reason).toMatch(/Sandbox authorization no longer valid.*pre-save again/);
    expect(failed.attempts).toBe(1);
    const grant = await s.ctx.db.selectFrom('grants').selectAll().where('account_id', '=', 'gone').executeTakeFirstOrThrow();
    expect(grant.status).toBe('dead');
  });

  it('429 with Retry-After: the worker waits the whole window and then saves', async () => {
    const s = await setup();
    await new FanBrowser().presave(s.url, 'ff', 'patient', 'UTC');
    await new Promise((r) => setTimeout(r, 1100));
    await addFault(s.ctx.db, { kind: 'rate_limit', target: 'library', retryAfterSeconds: 2, count: 1 }, Date.now());
    const started = Date.now();
    s.worker.start();
    await waitFor(async () => (await counts(s.ctx, 'ff')).saved === 1, { what: 'saved after Retry-After' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    const p = await s.ctx.db.selectFrom('presaves').selectAll().executeTakeFirstOrThrow();
    // The wait was the service's doing, not a failed attempt of this pre-save.
    expect(p.attempts).toBe(1);
  });

  it('5xx errors are retried with backoff and then succeed', async () => {
    const s = await setup();
    await new FanBrowser().presave(s.url, 'ff', 'retry', 'UTC');
    await new Promise((r) => setTimeout(r, 1100));
    await addFault(s.ctx.db, { kind: 'server_error', target: 'library', statusCode: 503, count: 2 }, Date.now());
    s.worker.start();
    await waitFor(async () => (await counts(s.ctx, 'ff')).saved === 1, { what: 'saved after 5xx', timeoutMs: 40_000 });
    const p = await s.ctx.db.selectFrom('presaves').selectAll().executeTakeFirstOrThrow();
    expect(p.attempts).toBeGreaterThanOrEqual(2);
    expect(await libraryOf(s.ctx.db, 'retry')).toHaveLength(1);
  });

  it('a release that never appears ends failed "release not found on Sandbox" after the search window', async () => {
    let clock = Date.now();
    // The Sandbox catalog has this campaign under another UPC, so the release is never found.
    const s = await setup(() => clock);
    await s.ctx.db.updateTable('sandbox_releases').set({ upc: '4006381333931', isrcs: '[]' }).execute();
    await new FanBrowser().presave(s.url, 'ff', 'waiting', 'UTC');
    clock += 2000;
    s.worker.start();
    await waitFor(
      async () => {
        const p = await s.ctx.db.selectFrom('presaves').selectAll().executeTakeFirstOrThrow();
        return p.last_error?.includes('not yet found') ? p : null;
      },
      { what: 'first not-found' },
    );
    const p1 = await s.ctx.db.selectFrom('presaves').selectAll().executeTakeFirstOrThrow();
    expect(p1.status).toBe('pending');
    expect(p1.next_attempt_at - clock).toBeGreaterThanOrEqual(20_000); // polite polling, no hot loop
    clock += 49 * 3600_000;
    await waitFor(async () => (await counts(s.ctx, 'ff')).failed === 1, { what: 'failed after 48 h' });
    const p2 = await s.ctx.db.selectFrom('presaves').selectAll().executeTakeFirstOrThrow();
    expect(p2.failure_reason).toBe('release not found on Sandbox');
  });
});
