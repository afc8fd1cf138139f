import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalytics } from '../src/analytics/capture.js';
import { GeoResolver } from '../src/analytics/geo.js';
import * as rollup from '../src/analytics/queries.js';
import * as raw from '../src/analytics/raw-queries.js';
import { rebuildRollups, ROLLUPS } from '../src/analytics/rollups.js';
import { DAY, HOUR, MINUTE } from '../src/analytics/time.js';
import type { EventName, Range } from '../src/analytics/types.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

const silent = pino({ level: 'silent' });
const START = Date.UTC(2026, 4, 1, 0);

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A difference between two answers, or null. Coordinates (float means) may differ in the last digits. */
function difference(a: unknown, b: unknown, path = '$'): string | null {
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || (!Number.isInteger(a) && Math.abs(a - b) < 0.002) ? null : `${path}: ${a} ≠ ${b}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} ≠ ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = difference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = difference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
}

describe.each(testDialects())('rollups answer exactly what raw events answer (%s)', (dialect) => {
  let t: TestDb;
  let events = 0;
  const campaigns = [11, 12, 13];

  beforeAll(async () => {
    t = await createTestDb(dialect);
    const rand = prng(20260501);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    let clock = START;
    // Small batches and several days: visitor state, visits and first-seen hours cross batch and day boundaries.
    const analytics = createAnalytics(
      { db: t.db, dialect: t.dialect, config: t.config, log: silent, now: () => clock },
      { batchSize: 97, flushIntervalMs: 60_000, geo: new GeoResolver({ log: silent }) },
    );
    const ips = [
      '81.2.69.160',
      '8.8.8.8',
      '1.1.1.1',
      '193.0.6.139',
      '131.111.150.25',
      '2.16.0.1',
      '2a00:1450:4001:82b::200e',
      '10.0.0.7',
      '127.0.0.1',
    ];
    const uas = [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/125.0.0.0 Mobile Safari/537.36',
      'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/125.0.0.0 Safari/537.36',
      'Twitterbot/1.0',
    ];
    const referers = [null, 'https://www.instagram.com/x', 'https://t.co/y', 'https://blog.example/post', 'http://localhost/own'];
    const utms = ['', '?utm_source=ig&utm_medium=social&utm_campaign=launch', '?utm_source=newsletter&utm_medium=email', '?utm_campaign=x'];
    const services = ['spotify', 'apple-music', 'deezer', 'tidal'];
    const kinds: EventName[] = ['page_view', 'page_view', 'page_view', 'service_click', 'listen_click', 'authorization', 'cancellation'];
    for (let i = 0; i < 3000; i++) {
      clock += Math.floor(rand() * 6 * MINUTE);
      const event = pick(kinds);
      const campaignId = pick(campaigns);
      const service = event === 'page_view' ? null : pick(services);
      if (event === 'cancellation' && rand() < 0.5) {
        analytics.trackServer({ event, campaignId, service });
      } else {
        analytics.capture({
          campaignId,
          event,
          service,
          at: clock,
          ip: pick(ips),
          userAgent: pick(uas),
          referer: pick(referers),
          url: `/song${pick(utms)}`,
          host: 'localhost',
        });
      }
      events++;
    }
    await analytics.close();
    expect(analytics.stats().failed).toBe(0);
  });
  afterAll(() => t.drop());

  const ranges: [string, Range][] = [
    ['all days', { from: START - DAY, to: START + 30 * DAY }],
    ['day-aligned part', { from: START + DAY, to: START + 5 * DAY }],
    ['hours within days', { from: START + DAY + 5 * HOUR + 17 * MINUTE, to: START + 4 * DAY + 3 * HOUR }],
  ];

  it.each(ranges)('every dashboard query over %s', async (_name, range) => {
    for (const id of campaigns) {
      const pairs: [string, unknown, unknown][] = [
        ['funnel', await rollup.funnel(t.db, id, range), await raw.rawFunnel(t.db, id, range)],
        ['timeseries hour', await rollup.timeseries(t.db, id, range, 'hour'), await raw.rawTimeseries(t.db, id, range, 'hour')],
        ['timeseries day', await rollup.timeseries(t.db, id, range, 'day'), await raw.rawTimeseries(t.db, id, range, 'day')],
        ['perService', await rollup.perService(t.db, id, range), await raw.rawPerService(t.db, id, range)],
        ['geo', await rollup.geo(t.db, id, range, { topCities: 5 }), await raw.rawGeo(t.db, id, range, { topCities: 5 })],
        ['referrers', await rollup.referrers(t.db, id, range, { limit: 3 }), await raw.rawReferrers(t.db, id, range, { limit: 3 })],
        ['utm', await rollup.utm(t.db, id, range), await raw.rawUtm(t.db, id, range)],
        ['devices', await rollup.devices(t.db, id, range), await raw.rawDevices(t.db, id, range)],
      ];
      for (const [name, a, b] of pairs) expect(difference(a, b), `${name} of campaign ${id}`).toBeNull();
    }
    expect(
      difference(await rollup.workspaceOverview(t.db, campaigns, range), await raw.rawWorkspaceOverview(t.db, campaigns, range)),
    ).toBeNull();
  });

  it('the answers are not trivially empty', async () => {
    const all = ranges[0]![1];
    const overview = await rollup.workspaceOverview(t.db, campaigns);
    const f = await rollup.funnel(t.db, campaigns[0]!, all);
    expect(f.views).toBeGreaterThan(100);
    expect(f.uniqueVisitors).toBeGreaterThan(5);
    expect(f.visits).toBeGreaterThan(f.uniqueVisitors - 1);
    expect(f.visits).toBeLessThanOrEqual(f.views);
    expect(Object.keys(f.byService).sort()).toEqual(['apple-music', 'deezer', 'spotify', 'tidal']);
    const g = await rollup.geo(t.db, campaigns[0]!, all);
    expect(g.countries.map((c) => c.country)).toEqual(expect.arrayContaining(['GB', 'US', 'AU', 'NL', 'DE', 'BR']));
    expect(g.cities.find((c) => c.city === 'London')).toMatchObject({
      country: 'GB',
      lat: expect.closeTo(51.5, 0),
      lon: expect.closeTo(-0.1, 0),
    });
    expect(g.unknown.views).toBeGreaterThan(0); // private addresses
    const r = await rollup.referrers(t.db, campaigns[0]!, all);
    expect(r.rows.map((x) => x.referrer).sort()).toEqual(['', 'blog.example', 'instagram.com', 'x.com']);
    const d = await rollup.devices(t.db, campaigns[0]!, all);
    expect(d.bots).toBeGreaterThan(0);
    expect(d.rows.map((x) => x.device).sort()).toEqual(['desktop', 'mobile', 'tablet', 'unknown']);
    // Pre-saves on the dashboard are pre-save records (none here): count the authorizations analytics stored.
    let stored = overview.totals.views + overview.totals.serviceClicks;
    for (const id of campaigns) for (const row of (await rollup.devices(t.db, id, all)).rows) stored += row.counts.presaves;
    expect(stored).toBeGreaterThan(events / 2);
    const ts = await rollup.timeseries(t.db, campaigns[0]!, all, 'day');
    expect(ts.points).toHaveLength(31);
    expect(ts.points.reduce((s, p) => s + p.views, 0)).toBe(f.views);
  });

  it('rebuildRollups recomputes the same rollups from raw events', async () => {
    const snapshot = async () => {
      const out: Record<string, unknown[]> = {};
      for (const spec of Object.values(ROLLUPS)) {
        if (spec.table === 'analytics_bots_daily') continue;
        const order = sql.join(spec.keys.map((k) => sql.ref(k)));
        const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(spec.table)} ORDER BY ${order}`.execute(t.db)).rows;
        out[spec.table] = rows
          .filter((r) => Number(r.n) !== 0 || Number(r.visitors ?? 0) !== 0)
          .map((r) =>
            Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' || /^\d+$/.test(String(v)) ? Number(v) : v])),
          );
      }
      return out;
    };
    const before = await snapshot();
    await t.db.deleteFrom('analytics_daily').execute();
    await t.db.updateTable('analytics_geo_daily').set({ n: 999 }).execute();
    await rebuildRollups(t.db, campaigns[0]);
    await rebuildRollups(t.db);
    const after = await snapshot();
    expect(difference(after, before)).toBeNull();
    expect(before.analytics_hourly!.length).toBeGreaterThan(50);
  });
});
