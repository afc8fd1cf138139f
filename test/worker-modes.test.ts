import { afterEach, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { IllegalWorkerMove, WorkerModes, type WorkerMode } from '../src/delivery/worker-modes.js';
import { claimLimit, claimQueueLow, claimRoom, CLAIM_BUDGET_SECONDS } from '../src/delivery/claim-size.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

describe('the worker loop modes', () => {
  it('allows the loop path and counts time in each mode by the injected clock', () => {
    let now = 0;
    const m = new WorkerModes(() => now);
    const path: [WorkerMode, number][] = [
      ['idle', 10],
      ['claiming', 5],
      ['running', 100],
      ['claiming', 5],
      ['waiting_for_budget', 1000],
      ['claiming', 5],
      ['idle', 0],
      ['stopping', 50],
      ['stopped', 0],
    ];
    for (const [mode, stay] of path) {
      m.to(mode);
      now += stay;
    }
    expect(m.mode).toBe('stopped');
    expect(m.timeIn).toMatchObject({ idle: 10, claiming: 15, running: 100, waiting_for_budget: 1000, stopping: 50 });
    expect(m.moves.get('running>claiming')).toBe(1);
  });

  it.each([
    ['stopped', 'claiming'],
    ['idle', 'running'],
    ['idle', 'waiting_for_budget'],
    ['running', 'waiting_for_budget'],
    ['stopping', 'claiming'],
  ] as [WorkerMode, WorkerMode][])('refuses %s → %s (throws outside production)', (from, to) => {
    const m = new WorkerModes(() => 0);
    const route: Record<WorkerMode, WorkerMode[]> = {
      stopped: [],
      idle: ['idle'],
      claiming: ['idle', 'claiming'],
      running: ['idle', 'claiming', 'running'],
      waiting_for_budget: ['idle', 'claiming', 'waiting_for_budget'],
      stopping: ['idle', 'stopping'],
    };
    for (const step of route[from]) m.to(step);
    expect(m.mode).toBe(from);
    expect(() => m.to(to)).toThrow(IllegalWorkerMove);
    expect(m.mode).toBe(from);
  });

  it('in production an illegal move is reported and ignored, and stopping still stops', () => {
    const seen: string[] = [];
    const m = new WorkerModes(
      () => 0,
      (err) => seen.push(err.message),
    );
    m.to('idle');
    m.to('running');
    expect(m.mode).toBe('idle');
    m.to('claiming');
    m.to('stopped');
    expect(m.mode).toBe('stopped');
    expect(seen).toEqual([
      'fulfillment worker: illegal move from idle to running',
      'fulfillment worker: illegal move from claiming to stopped',
    ]);
  });
});

describe('the claim-sizing rule', () => {
  const s = { concurrency: 128, batchSize: 64 };
  it('keeps one batch claimed ahead of the slots and claims again when half of it is used', () => {
    expect(claimRoom(s, 0, 0)).toBe(192);
    expect(claimRoom(s, 128, 64)).toBe(0);
    expect(claimQueueLow(s, 32)).toBe(false);
    expect(claimQueueLow(s, 31)).toBe(true);
    expect(claimRoom({ concurrency: 8, batchSize: 64 }, 0, 0)).toBe(16); // never more ahead than the slots
  });
  it('claims at most one batch, and at most a few seconds of the tightest rate budget', () => {
    expect(claimLimit(s, 192, null)).toEqual({ limit: 64, capped: false });
    expect(claimLimit(s, 10, null)).toEqual({ limit: 10, capped: false });
    expect(claimLimit(s, 192, 5)).toEqual({ limit: 5 * CLAIM_BUDGET_SECONDS, capped: true });
    expect(claimLimit(s, 192, 0.2)).toEqual({ limit: 1, capped: true });
    expect(claimLimit(s, 192, 1000)).toEqual({ limit: 64, capped: false });
  });
});

describe.each(testDialects())('a worker run through its modes (%s)', (dialect) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('idle → claiming → waiting for budget (a tight rate limit) → … → stopping → stopped, every pre-save saved', async () => {
    server = await startTestServer(dialect, { RATE_LIMITS: 'sandbox=1/s' });
    const { ctx, url, worker } = server;
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'modes',
        artistName: 'Modes',
        title: 'Loop',
        upc: '036000291452',
        releaseAt: new Date(Date.now() + 1000).toISOString(),
        timing: 'global',
        services: ['sandbox'],
      },
    );
    for (const f of ['m1', 'm2', 'm3']) await new FanBrowser().presave(url, 'modes', f, 'UTC');
    await new Promise((r) => setTimeout(r, 1100));
    expect(worker.modes.mode).toBe('stopped');
    worker.start();
    await waitFor(async () => (await ctx.db.selectFrom('presaves').select('status').where('status', '=', 'saved').execute()).length === 3, {
      timeoutMs: 30_000,
      what: 'all saved',
    });
    await worker.stop();
    expect(worker.modes.mode).toBe('stopped');
    // 1 request a second lets 2 rows be claimed at a time: the first claim of 3 due rows is capped.
    expect(worker.modes.moves.get('claiming>waiting_for_budget')).toBeGreaterThan(0);
    expect(worker.modes.moves.get('stopped>idle')).toBe(1);
    expect(worker.modes.moves.get('stopping>stopped')).toBe(1);
  });
});
