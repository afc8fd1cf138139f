import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateGovernor } from '../src/fulfillment/governor.js';
import { parseRateLimits } from '../src/fulfillment/rate-spec.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

describe('rate limit specs', () => {
  it('turns rolling windows into a safe per-second budget', () => {
    const { limits, problems } = parseRateLimits('spotify=100/30s, tidal=5/s,deezer=50/5s, sandbox=0/s');
    expect(problems).toEqual([]);
    expect(limits.spotify).toBeCloseTo(100 / 31);
    expect(limits.tidal).toBe(5);
    expect(limits.deezer).toBeCloseTo(50 / 6);
    expect(limits.sandbox).toBe(0);
    expect(parseRateLimits('spotify=fast').problems[0]).toMatch(/spotify=100\/30s/);
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
