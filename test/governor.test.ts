import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateGovernor, slotBudget } from '../src/delivery/governor.js';
import { GOVERNOR_TUNING } from '../src/delivery/governor-tuning.js';
import { parseRateLimits } from '../src/fulfillment/rate-spec.js';
import { PRESAVE_PRIORITY } from '../src/fulfillment/presave/service-session.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

describe('rate limit specs', () => {
  it('turns rolling windows into a safe per-second budget', () => {
    const { limits, problems } = parseRateLimits('spotify=100/30s, tidal=5/s,deezer=50/5s, sandbox=0/s');
    expect(problems).toEqual([]);
    // R/(W+1), with 1 % left for the drift between a grant and its arrival at the service.
    expect(limits.spotify).toBeCloseTo((100 / 31) * 0.99);
    expect(limits.tidal).toBe(5);
    expect(limits.deezer).toBeCloseTo((50 / 6) * 0.99);
    expect(limits.sandbox).toBe(0);
    expect(parseRateLimits('spotify=fast').problems[0]).toMatch(/spotify=100\/30s/);
  });

  it('spreads a fractional rate exactly over the slots: no token wasted, no window over the limit', () => {
    for (const [r, w] of [
      [1200, 30],
      [100, 30],
      [10, 30],
      [6000, 30],
    ] as const) {
      const rate = parseRateLimits(`spotify=${r}/${w}s`).limits.spotify!;
      const start = 1_900_000_123;
      const budgets = Array.from({ length: 40 * (w + 1) }, (_, i) => slotBudget(start + i, rate));
      // Any W+1 consecutive one-second slots (what a rolling W-second window can touch) hold at most R…
      for (let i = 0; i + w + 1 <= budgets.length; i++)
        expect(budgets.slice(i, i + w + 1).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(r);
      // …and over time the budget is the whole rate, not the rate rounded down each second.
      const total = budgets.reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThanOrEqual(Math.floor(rate * budgets.length) - 1);
    }
    expect(slotBudget(1_900_000_000, 20)).toBe(20);
  });
});

describe.each(testDialects())('the rate governor, shared through the database (%s)', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(() => t.drop());

  it('two processes together never get more than the budget in one second', async () => {
    let clock = 1_900_000_000_000;
    const a = new RateGovernor(t.db, () => clock, { spotify: 20 });
    const b = new RateGovernor(t.db, () => clock, { spotify: 20 });
    let granted = 0;
    for (let i = 0; i < 30; i++) {
      if ((await a.acquire('spotify')).ok) granted++;
      if ((await b.acquire('spotify')).ok) granted++;
    }
    expect(granted).toBe(20);
    const denied = await a.acquire('spotify');
    expect(denied).toMatchObject({ ok: false, reason: 'rate', until: 1_900_000_001_000 });
    clock += 1000;
    expect((await b.acquire('spotify')).ok).toBe(true);
  });

  it('concurrent requests share refills: two busy processes use the whole budget and no token is wasted', async () => {
    const clock = 1_900_000_050_000;
    const a = new RateGovernor(t.db, () => clock, { 'apple-music': 50 });
    const b = new RateGovernor(t.db, () => clock, { 'apple-music': 50 });
    const results = await Promise.all([
      ...Array.from({ length: 40 }, () => a.acquire('apple-music')),
      ...Array.from({ length: 40 }, () => b.acquire('apple-music')),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(50);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'rate' && r.until === 1_900_000_051_000)).toBe(true);
    // What the processes took from the shared slot is exactly what they handed out.
    const row = await t.db.selectFrom('service_governors').selectAll().where('service', '=', 'apple-music').executeTakeFirstOrThrow();
    expect(row.slot_used).toBe(50);
    expect(a.stats.get('apple-music')!.granted + b.stats.get('apple-music')!.granted).toBe(50);
  });

  it('a Retry-After seen by one process pauses the service for every process; repeated 429s slow the rate', async () => {
    let clock = 1_900_000_100_000;
    const a = new RateGovernor(t.db, () => clock, {}, 0);
    const b = new RateGovernor(t.db, () => clock, {}, 0);
    expect((await b.acquire('tidal')).ok).toBe(true);
    await a.onRetryAfter('tidal', clock + 5000);
    expect(await b.acquire('tidal')).toMatchObject({ ok: false, reason: 'paused', until: clock + 5000 });
    expect(await b.blockedServices(['tidal', 'deezer'])).toEqual(new Set(['tidal']));
    clock += 5001;
    expect((await b.acquire('tidal')).ok).toBe(true);
    // One stray 429 is no reason to slow down…
    let row = await t.db.selectFrom('service_governors').selectAll().where('service', '=', 'tidal').executeTakeFirstOrThrow();
    expect(row.rate_per_s).toBe(0);
    // …but 429s as a real share of what is sent are: the governor learns a rate.
    for (let i = 0; i < 4; i++) {
      expect((await a.acquire('tidal')).ok).toBe(true);
      await a.onRetryAfter('tidal', clock + 1);
      clock += 1001;
    }
    row = await t.db.selectFrom('service_governors').selectAll().where('service', '=', 'tidal').executeTakeFirstOrThrow();
    expect(row.rate_per_s).toBeGreaterThan(0);
  });

  it('when tokens are short, album saves are served before verifications, and verifications before follows', async () => {
    const clock = 1_900_000_300_000;
    const g = new RateGovernor(t.db, () => clock, { sandbox: 5 });
    expect(g.contended('sandbox')).toBe(false);
    // Asked in the worst order, all in one tick: follows first, then verifications, then saves.
    const order: string[] = [];
    const ask = (p: 'save' | 'verify' | 'follow', i: number) =>
      g.acquire('sandbox', PRESAVE_PRIORITY[p]).then((permit) => {
        if (permit.ok) order.push(`${p}${i}`);
        return permit;
      });
    const permits = await Promise.all([
      ...[1, 2, 3].map((i) => ask('follow', i)),
      ...[1, 2, 3].map((i) => ask('verify', i)),
      ...[1, 2, 3].map((i) => ask('save', i)),
    ]);
    expect(order).toEqual(['save1', 'save2', 'save3', 'verify1', 'verify2']);
    expect(permits.filter((p) => !p.ok).every((p) => !p.ok && p.reason === 'rate' && p.until === clock + 1000)).toBe(true);
    // The budget is the bottleneck: the engine leaves verifications to the verify queue.
    expect(g.contended('sandbox')).toBe(true);
  });

  it('requests that may wait stay in line across slots, and the line keeps its priority order', async () => {
    let clock = 1_900_000_500_000;
    const g = new RateGovernor(t.db, () => clock, { sandbox: 2 });
    expect((await Promise.all([g.acquire('sandbox'), g.acquire('sandbox')])).every((p) => p.ok)).toBe(true);
    // The slot is spent. A verification asks first, a save after it; one that may not wait is refused.
    const order: string[] = [];
    const verify = g.acquire('sandbox', PRESAVE_PRIORITY.verify, { maxWaitMs: 5000 }).then((p) => (order.push('verify'), p));
    await new Promise((r) => setImmediate(r));
    const save = g.acquire('sandbox', PRESAVE_PRIORITY.save, { maxWaitMs: 5000 }).then((p) => (order.push('save'), p));
    expect(await g.acquire('sandbox', PRESAVE_PRIORITY.follow)).toMatchObject({ ok: false, reason: 'rate', until: clock + 1000 });
    clock += 1000; // the next slot: the line is served by priority, not by arrival
    expect((await save).ok).toBe(true);
    expect((await verify).ok).toBe(true);
    expect(order).toEqual(['save', 'verify']);
  });

  it('an ample budget is never contended, and a short one stops counting as such once it has caught up', async () => {
    let clock = 1_900_000_400_000;
    const g = new RateGovernor(t.db, () => clock, { sandbox: 50 });
    for (let i = 0; i < 3; i++) {
      const permits = await Promise.all(Array.from({ length: 20 }, () => g.acquire('sandbox', PRESAVE_PRIORITY.verify)));
      expect(permits.every((p) => p.ok)).toBe(true);
      expect(g.contended('sandbox')).toBe(false);
      clock += 1000;
    }
    await Promise.all(Array.from({ length: 60 }, () => g.acquire('sandbox')));
    expect(g.contended('sandbox')).toBe(true);
    clock += GOVERNOR_TUNING.contendedForMs;
    expect((await g.acquire('sandbox')).ok).toBe(true);
    expect(g.contended('sandbox')).toBe(false);
    // No rate limit at all: never the bottleneck.
    expect(g.contended('tidal')).toBe(false);
  });

  it('QUOTA_EXCEEDED opens a breaker that holds until an operator resumes', async () => {
    const clock = 1_900_000_200_000;
    const a = new RateGovernor(t.db, () => clock, {}, 0);
    await a.openBreaker('deezer', 'Deezer: app quota exceeded');
    const b = new RateGovernor(t.db, () => clock + 3_600_000, {}, 0);
    expect(await b.acquire('deezer')).toMatchObject({ ok: false, reason: 'breaker' });
    const { resumeServices } = await import('../src/fulfillment/admin.js');
    expect((await resumeServices(t.db, clock, 'deezer')).services).toEqual(['deezer']);
    expect((await b.acquire('deezer')).ok).toBe(true);
  });
});
