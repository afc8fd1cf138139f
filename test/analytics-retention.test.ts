import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalytics } from '../src/analytics/capture.js';
import { GeoResolver } from '../src/analytics/geo.js';
import * as rollup from '../src/analytics/queries.js';
import * as raw from '../src/analytics/raw-queries.js';
import { deleteExpiredEvents, retentionCutoff, type RetentionRun } from '../src/analytics/retention.js';
import { rebuildRollups, ROLLUPS } from '../src/analytics/rollups.js';
import { DAY, HOUR, MINUTE } from '../src/analytics/time.js';
import type { EventName, Range } from '../src/analytics/types.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { housekeep } from '../src/web/housekeeping.js';
import { Rng } from './fuzz/random.js';
import { envFor } from './helpers/cli.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

const silent = pino({ level: 'silent' });
const START = Date.UTC(2026, 2, 1, 0);
const RETENTION_DAYS = 5;
const DAYS = 12;

/** Runs test/helpers/retention-child.ts in its own process. */
function deleteInChildProcess(env: Record<string, string>, args: number[]): Promise<RetentionRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/retention-child.ts'), ...args.map(String)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as RetentionRun) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

/** Every rollup table, rows in key order, numbers as numbers. */
async function rollupSnapshot(db: TestDb['db']): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const spec of Object.values(ROLLUPS)) {
    const order = sql.join(spec.keys.map((k) => sql.ref(k)));
    const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(spec.table)} ORDER BY ${order}`.execute(db)).rows;
    out[spec.table] = rows
      .filter((r) => Number(r.n) !== 0 || Number(r.visitors ?? 0) !== 0)
      .map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v])),
      );
  }
  return out;
}

/** Float sums (coordinates) may differ in the last digits when re-added in another order. */
function roundFloats<T>(x: T): T {
  return JSON.parse(JSON.stringify(x), (_k, v: unknown) =>
    typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v,
  ) as T;
}

describe.each(testDialects())('raw analytics events are kept for ANALYTICS_RETENTION_DAYS, rollups for ever (%s)', (dialect) => {
  let t: TestDb;
  const campaigns = [21, 22, 23];
  let clock = START;
  const ctx = () => ({ db: t.db, dialect: t.dialect, config: t.config, now: () => clock });
  const all: Range = { from: START - DAY, to: START + (DAYS + 2) * DAY };
  let cutoff = 0;

  /** What the artist sees: every dashboard answer, over the whole campaign, an old stretch and the kept window. */
  const dashboard = async () => {
    const ranges: Range[] = [all, { from: START + DAY, to: START + 4 * DAY }, { from: cutoff, to: all.to }];
    const out: unknown[] = [];
    for (const range of ranges) {
      for (const id of campaigns) {
        out.push(
          await rollup.funnel(t.db, id, range),
          await rollup.timeseries(t.db, id, range, 'hour'),
          await rollup.timeseries(t.db, id, range, 'day'),
          await rollup.perService(t.db, id, range),
          await rollup.geo(t.db, id, range),
          await rollup.referrers(t.db, id, range),
          await rollup.utm(t.db, id, range),
          await rollup.devices(t.db, id, range),
        );
      }
      out.push(await rollup.workspaceOverview(t.db, campaigns, range));
    }
    return roundFloats(out);
  };
  const keptRows = async () =>
    (
      await sql<Record<string, unknown>>`SELECT * FROM analytics_events WHERE at >= ${cutoff}
      ORDER BY campaign_id, at, visitor, event, service`.execute(t.db)
    ).rows;
  const count = async (where: 'old' | 'kept') =>
    Number(
      (
        await t.db
          .selectFrom('analytics_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('at', where === 'old' ? '<' : '>=', cutoff)
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await createTestDb(dialect, { ANALYTICS_RETENTION_DAYS: String(RETENTION_DAYS) });
    const rng = new Rng(20260301);
    const rand = () => rng.next();
    const pick = <T>(xs: readonly T[]) => rng.pick(xs);
    const analytics = createAnalytics(
      { db: t.db, dialect: t.dialect, config: t.config, log: silent, now: () => clock },
      { batchSize: 53, flushIntervalMs: 60_000, geo: new GeoResolver({ log: silent }) },
    );
    const ips = ['81.2.69.160', '8.8.8.8', '1.1.1.1', '193.0.6.139', '131.111.150.25', '2.16.0.1', '10.0.0.7'];
    const uas = [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/125.0.0.0 Safari/537.36',
      'Twitterbot/1.0',
    ];
    const referers = [null, 'https://www.instagram.com/x', 'https://blog.example/post'];
    const kinds: EventName[] = ['page_view', 'page_view', 'service_click', 'listen_click', 'authorization'];
    // About 120 events a day for DAYS days, across UTC midnights.
    while (clock < START + DAYS * DAY) {
      clock += Math.floor(rand() * 24 * MINUTE);
      const event = pick(kinds);
      analytics.capture({
        campaignId: pick(campaigns),
        event,
        service: event === 'page_view' ? null : pick(['spotify', 'deezer']),
        at: clock,
        ip: pick(ips),
        userAgent: pick(uas),
        referer: pick(referers),
        url: `/song${rand() < 0.3 ? '?utm_source=ig&utm_medium=social' : ''}`,
        host: 'localhost',
      });
    }
    await analytics.close();
    expect(analytics.stats().failed).toBe(0);
    clock = START + DAYS * DAY + 7 * HOUR;
    cutoff = retentionCutoff(clock, RETENTION_DAYS);
  });
  afterAll(() => t.drop());

  it('deletes only events before the window, in chunks that resume; rollups and the dashboard do not change', async () => {
    expect(cutoff).toBe(START + (DAYS - RETENTION_DAYS) * DAY);
    const oldBefore = await count('old');
    const keptBefore = await keptRows();
    expect(oldBefore).toBeGreaterThan(500);
    expect(keptBefore.length).toBeGreaterThan(300);
    const rollups = await rollupSnapshot(t.db);
    const figures = await dashboard();

    // A run whose budget ends after a few chunks stops there and says so (each clock reading is 1 ms).
    let ms = 0;
    const first = await deleteExpiredEvents(t.db, t.dialect, {
      now: clock,
      retentionDays: RETENTION_DAYS,
      chunk: 40,
      budgetMs: 6,
      clock: () => ms++,
    });
    expect(first.done).toBe(false);
    expect(first.deleted).toBeGreaterThan(0);
    expect(first.deleted % 40).toBe(0);
    expect(await count('old')).toBe(oldBefore - first.deleted);

    // The housekeeping run (the config's window, the injected clock) finishes the job.
    const run = await housekeep(ctx());
    expect(run).toMatchObject({ analyticsEvents: oldBefore - first.deleted, analyticsCutoff: cutoff, analyticsDone: true });
    expect(await count('old')).toBe(0);
    expect(await keptRows()).toEqual(keptBefore);
    const mark = await t.db.selectFrom('analytics_retention').select('events_from').executeTakeFirstOrThrow();
    expect(Number(mark.events_from)).toBe(cutoff);

    expect(await rollupSnapshot(t.db)).toEqual(rollups);
    expect(await dashboard()).toEqual(figures);
    // Nothing left to do until the window moves on.
    expect(await housekeep(ctx(), { skipAnalyticsBefore: cutoff })).toMatchObject({ analyticsEvents: 0, analyticsDone: true });
    expect((await housekeep(ctx())).analyticsEvents).toBe(0);
  });

  it('a rebuild after the deletion recomputes only the kept window and gives the same figures', async () => {
    const rollups = await rollupSnapshot(t.db);
    const figures = await dashboard();
    const oldDays = rollups.analytics_daily!.filter((r) => Number(r.day) < cutoff).length;
    expect(oldDays).toBeGreaterThan(10);
    // Damage the kept window's rollups: the rebuild must restore them from the raw events.
    await t.db.deleteFrom('analytics_daily').where('day', '>=', cutoff).execute();
    await t.db.updateTable('analytics_geo_daily').set({ n: 999 }).where('day', '>=', cutoff).execute();
    await t.db.deleteFrom('analytics_referrer_total').execute();
    await rebuildRollups(t.db, campaigns[0]);
    await rebuildRollups(t.db);
    expect(roundFloats(await rollupSnapshot(t.db))).toEqual(roundFloats(rollups));
    expect(await dashboard()).toEqual(figures);
    // Within the kept window the rollups still answer exactly what the raw events answer.
    const kept = { from: cutoff, to: all.to };
    for (const id of campaigns) {
      expect(roundFloats(await rollup.funnel(t.db, id, kept))).toEqual(roundFloats(await raw.rawFunnel(t.db, id, kept)));
      expect(await rollup.timeseries(t.db, id, kept, 'hour')).toEqual(await raw.rawTimeseries(t.db, id, kept, 'hour'));
    }
  });

  it('several processes deleting at once delete each old event once, and never a kept one', async () => {
    // Ten more days pass: five more days of events fall out of the window.
    clock += 2 * DAY;
    cutoff = retentionCutoff(clock, RETENTION_DAYS);
    const old = await count('old');
    const kept = await keptRows();
    expect(old).toBeGreaterThan(100);
    // Separate processes, as in production (two SQLite connections in one process would wait on
    // each other inside one event loop).
    const runs = await Promise.all([1, 2, 3].map(() => deleteInChildProcess(envFor(t), [clock, RETENTION_DAYS, 25])));
    expect(runs.every((r) => r.done && r.cutoff === cutoff)).toBe(true);
    expect(await count('old')).toBe(0);
    expect(runs.reduce((s, r) => s + r.deleted, 0)).toBe(old);
    expect(await keptRows()).toEqual(kept);
  });
});

describe('ANALYTICS_RETENTION_DAYS', () => {
  it('defaults to 90 days and refuses what is not a whole number of days from 1', () => {
    const base = { NODE_ENV: 'test', DATA_DIR: '/tmp/dropday-retention-config' };
    expect(loadConfig(base).analyticsRetentionDays).toBe(90);
    expect(loadConfig({ ...base, ANALYTICS_RETENTION_DAYS: '400' }).analyticsRetentionDays).toBe(400);
    for (const bad of ['0', '-3', '30d', '1.5', 'forever']) {
      expect(() => loadConfig({ ...base, ANALYTICS_RETENTION_DAYS: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, ANALYTICS_RETENTION_DAYS: bad })).toThrow(
        /ANALYTICS_RETENTION_DAYS must be a whole number from 1 to 36500/,
      );
    }
  });
});
