import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import type { AnalyticsTables } from '../db/schema-analytics.js';
import { bulkInsert, type BulkTarget, type PgType } from './bulk.js';
import { rawEventsFrom } from './retention.js';
import { DAY, HOUR, floorTo } from './time.js';

/**
 * Rollup tables: counts kept up to date as batches are written (upserts that add), so the
 * dashboard never reads raw events. Each table is small by construction:
 *
 * - analytics_hourly / analytics_daily: (campaign, hour|day, event, service) → n, visits, visitors
 * - analytics_geo_daily: (campaign, day, event, country, region, city) → n, ll_n, lat_sum, lon_sum
 * - analytics_geo_total: (campaign, event, country, region, city) → the same, all time
 * - analytics_referrer_daily: (campaign, day, event, referrer) → n
 * - analytics_referrer_total: (campaign, event, referrer) → n, all time
 * - analytics_utm_daily: (campaign, day, event, utm_source, utm_medium, utm_campaign) → n
 * - analytics_device_daily: (campaign, day, event, device) → n
 * - analytics_bots_daily: (campaign, day, event) → n
 */
export type RollupTable = Exclude<
  keyof AnalyticsTables,
  'analytics_events' | 'analytics_visitors' | 'analytics_salts' | 'analytics_retention'
>;

interface RollupSpec {
  table: RollupTable;
  keys: readonly string[];
  sums: readonly string[];
}

export const ROLLUPS = {
  hourly: { table: 'analytics_hourly', keys: ['campaign_id', 'hour', 'event', 'service'], sums: ['n', 'visits', 'visitors'] },
  daily: { table: 'analytics_daily', keys: ['campaign_id', 'day', 'event', 'service'], sums: ['n', 'visits', 'visitors'] },
  geo: {
    table: 'analytics_geo_daily',
    keys: ['campaign_id', 'day', 'event', 'country', 'region', 'city'],
    sums: ['n', 'll_n', 'lat_sum', 'lon_sum'],
  },
  geoTotal: {
    table: 'analytics_geo_total',
    keys: ['campaign_id', 'event', 'country', 'region', 'city'],
    sums: ['n', 'll_n', 'lat_sum', 'lon_sum'],
  },
  referrer: { table: 'analytics_referrer_daily', keys: ['campaign_id', 'day', 'event', 'referrer'], sums: ['n'] },
  referrerTotal: { table: 'analytics_referrer_total', keys: ['campaign_id', 'event', 'referrer'], sums: ['n'] },
  utm: {
    table: 'analytics_utm_daily',
    keys: ['campaign_id', 'day', 'event', 'utm_source', 'utm_medium', 'utm_campaign'],
    sums: ['n'],
  },
  device: { table: 'analytics_device_daily', keys: ['campaign_id', 'day', 'event', 'device'], sums: ['n'] },
  bots: { table: 'analytics_bots_daily', keys: ['campaign_id', 'day', 'event'], sums: ['n'] },
} as const satisfies Record<string, RollupSpec>;

export type RollupName = keyof typeof ROLLUPS;

/** A written event as the rollups see it (a row of analytics_events). */
export interface RollupInput {
  campaign_id: number;
  at: number;
  event: string;
  service: string;
  is_visit: number;
  country: string;
  region: string;
  city: string;
  lat: number | null;
  lon: number | null;
  referrer: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  device: string;
}

export interface BotCount {
  campaign_id: number;
  at: number;
  event: string;
}

const SEP = '\u0001';

/** Sums per key for one rollup table, built in memory for a batch, then upserted in one go. */
export class Accumulator {
  private readonly rows = new Map<string, { keys: (string | number)[]; sums: number[] }>();
  constructor(readonly spec: RollupSpec) {}

  /** `key` identifies the row (the key values joined); `keys` builds them only for a new row. */
  add(key: string, keys: () => (string | number)[], s0: number, s1 = 0, s2 = 0, s3 = 0): void {
    const row = this.rows.get(key);
    if (!row) {
      this.rows.set(key, { keys: keys(), sums: [s0, s1, s2, s3].slice(0, this.spec.sums.length) });
      return;
    }
    const sums = row.sums;
    sums[0]! += s0;
    if (sums.length > 1) {
      sums[1]! += s1;
      sums[2]! += s2;
      if (sums.length > 3) sums[3]! += s3;
    }
  }

  get size(): number {
    return this.rows.size;
  }

  /** Rows in key order, so concurrent writers lock rows in the same order (no deadlocks on PostgreSQL). */
  sorted(): Record<string, string | number>[] {
    return [...this.rows.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, r]) => {
        const o: Record<string, string | number> = {};
        this.spec.keys.forEach((c, i) => (o[c] = r.keys[i]!));
        this.spec.sums.forEach((c, i) => (o[c] = r.sums[i]!));
        return o;
      });
  }
}

/**
 * Aggregates a batch into every rollup. `newVisitor[i]` is 1 when event i made a new visitor-day
 * (its first page view of the UTC day).
 */
export function aggregate(events: readonly RollupInput[], newVisitor: ArrayLike<number>, bots: readonly BotCount[] = []): Accumulator[] {
  const acc = Object.fromEntries(Object.entries(ROLLUPS).map(([name, spec]) => [name, new Accumulator(spec)])) as Record<
    RollupName,
    Accumulator
  >;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const hour = floorTo(e.at, HOUR);
    const day = floorTo(e.at, DAY);
    const c = e.campaign_id;
    const ev = e.event;
    const nv = newVisitor[i] ?? 0;
    const cde = `${c}${SEP}${day}${SEP}${ev}`;
    acc.hourly.add(`${c}${SEP}${hour}${SEP}${ev}${SEP}${e.service}`, () => [c, hour, ev, e.service], 1, e.is_visit, nv);
    acc.daily.add(`${cde}${SEP}${e.service}`, () => [c, day, ev, e.service], 1, e.is_visit, nv);
    const ll = e.lat !== null && e.lon !== null ? 1 : 0;
    const lat = ll ? e.lat! : 0;
    const lon = ll ? e.lon! : 0;
    const place = `${e.country}${SEP}${e.region}${SEP}${e.city}`;
    acc.geo.add(`${cde}${SEP}${place}`, () => [c, day, ev, e.country, e.region, e.city], 1, ll, lat, lon);
    acc.geoTotal.add(`${c}${SEP}${ev}${SEP}${place}`, () => [c, ev, e.country, e.region, e.city], 1, ll, lat, lon);
    acc.referrer.add(`${cde}${SEP}${e.referrer}`, () => [c, day, ev, e.referrer], 1);
    acc.referrerTotal.add(`${c}${SEP}${ev}${SEP}${e.referrer}`, () => [c, ev, e.referrer], 1);
    acc.utm.add(
      `${cde}${SEP}${e.utm_source}${SEP}${e.utm_medium}${SEP}${e.utm_campaign}`,
      () => [c, day, ev, e.utm_source, e.utm_medium, e.utm_campaign],
      1,
    );
    acc.device.add(`${cde}${SEP}${e.device}`, () => [c, day, ev, e.device], 1);
  }
  for (const b of bots) {
    const day = floorTo(b.at, DAY);
    acc.bots.add(`${b.campaign_id}${SEP}${day}${SEP}${b.event}`, () => [b.campaign_id, day, b.event], 1);
  }
  return Object.values(acc).filter((a) => a.size > 0);
}

const PG_TYPES: Record<string, PgType> = {
  campaign_id: 'bigint',
  hour: 'bigint',
  day: 'bigint',
  n: 'integer',
  visits: 'integer',
  visitors: 'integer',
  ll_n: 'integer',
  lat_sum: 'double precision',
  lon_sum: 'double precision',
};

/** `INSERT … ON CONFLICT (keys) DO UPDATE SET s = table.s + excluded.s`: the same upsert on both databases. */
export async function upsertRollup(target: BulkTarget, acc: Accumulator): Promise<void> {
  const { table, keys, sums } = acc.spec;
  await bulkInsert(target, { table, columns: [...keys, ...sums].map((c) => [c, PG_TYPES[c] ?? 'text'] as const) }, acc.sorted(), {
    keys,
    set: Object.fromEntries(sums.map((s) => [s, sql`${sql.ref(`${table}.${s}`)} + ${sql.ref(`excluded.${s}`)}`])),
  });
}

export async function applyRollups(
  target: BulkTarget,
  events: readonly RollupInput[],
  newVisitor: ArrayLike<number>,
  bots: readonly BotCount[] = [],
): Promise<void> {
  for (const acc of aggregate(events, newVisitor, bots)) await upsertRollup(target, acc);
}

/**
 * Recomputes the rollups from the raw events (for one campaign, or all), in one transaction —
 * only for the window the raw log still holds in full (see retention.ts): rollup rows of hours
 * and days before it are the only record of those days and stay as they are. The all-time tables
 * (places and referrers) are re-added from the daily ones, old days included, so they stay exact.
 * Bot counts are not stored as events, so analytics_bots_daily is kept as it is. `visitors` is
 * recomputed as each visitor-day's first page view, the same definition capture uses (the window
 * starts at a UTC day, so no visitor-day is cut).
 */
export async function rebuildRollups(db: Db, campaignId?: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const from = await rawEventsFrom(trx);
    const only = campaignId === undefined ? sql`` : sql` AND campaign_id = ${campaignId}`;
    // Raw events in the window; the rollup rows they replace (by hour or by day).
    const events = sql` AND at >= ${from}${only}`;
    const totals = new Set<RollupName>(['geoTotal', 'referrerTotal']);
    for (const name of ['hourly', 'daily', 'geo', 'geoTotal', 'referrer', 'referrerTotal', 'utm', 'device'] as const) {
      const t = ROLLUPS[name].table;
      const window = totals.has(name) ? sql`` : sql` AND ${sql.ref(name === 'hourly' ? 'hour' : 'day')} >= ${from}`;
      await sql`DELETE FROM ${sql.table(t)} WHERE 1 = 1${window}${only}`.execute(trx);
    }
    for (const [t, unit] of [
      ['analytics_hourly', HOUR],
      ['analytics_daily', DAY],
    ] as const) {
      const col = sql.ref(t === 'analytics_hourly' ? 'hour' : 'day');
      const u = sql.lit(unit);
      await sql`INSERT INTO ${sql.table(t)} (campaign_id, ${col}, event, service, n, visits, visitors)
        SELECT campaign_id, (at / ${u}) * ${u}, event, service, COUNT(*), SUM(is_visit), 0
        FROM analytics_events WHERE 1 = 1${events}
        GROUP BY campaign_id, (at / ${u}) * ${u}, event, service`.execute(trx);
      await sql`INSERT INTO ${sql.table(t)} (campaign_id, ${col}, event, service, n, visits, visitors)
        SELECT campaign_id, (first_at / ${u}) * ${u}, 'page_view', '', 0, 0, COUNT(*)
        FROM (SELECT campaign_id, MIN(at) AS first_at FROM analytics_events
              WHERE event = 'page_view' AND visitor <> ''${events}
              GROUP BY campaign_id, at / ${sql.lit(DAY)}, visitor) firsts
        WHERE 1 = 1
        GROUP BY campaign_id, (first_at / ${u}) * ${u}
        ON CONFLICT (campaign_id, ${col}, event, service) DO UPDATE SET visitors = excluded.visitors`.execute(trx);
    }
    const day = sql`(at / ${sql.lit(DAY)}) * ${sql.lit(DAY)}`;
    await sql`INSERT INTO analytics_geo_daily (campaign_id, day, event, country, region, city, n, ll_n, lat_sum, lon_sum)
      SELECT campaign_id, ${day}, event, country, region, city, COUNT(*),
             SUM(CASE WHEN lat IS NULL OR lon IS NULL THEN 0 ELSE 1 END),
             COALESCE(SUM(CASE WHEN lat IS NULL OR lon IS NULL THEN 0 ELSE lat END), 0),
             COALESCE(SUM(CASE WHEN lat IS NULL OR lon IS NULL THEN 0 ELSE lon END), 0)
      FROM analytics_events WHERE 1 = 1${events}
      GROUP BY campaign_id, ${day}, event, country, region, city`.execute(trx);
    await sql`INSERT INTO analytics_geo_total (campaign_id, event, country, region, city, n, ll_n, lat_sum, lon_sum)
      SELECT campaign_id, event, country, region, city, SUM(n), SUM(ll_n), SUM(lat_sum), SUM(lon_sum)
      FROM analytics_geo_daily WHERE 1 = 1${only}
      GROUP BY campaign_id, event, country, region, city`.execute(trx);
    await sql`INSERT INTO analytics_referrer_daily (campaign_id, day, event, referrer, n)
      SELECT campaign_id, ${day}, event, referrer, COUNT(*) FROM analytics_events WHERE 1 = 1${events}
      GROUP BY campaign_id, ${day}, event, referrer`.execute(trx);
    await sql`INSERT INTO analytics_referrer_total (campaign_id, event, referrer, n)
      SELECT campaign_id, event, referrer, SUM(n) FROM analytics_referrer_daily WHERE 1 = 1${only}
      GROUP BY campaign_id, event, referrer`.execute(trx);
    await sql`INSERT INTO analytics_utm_daily (campaign_id, day, event, utm_source, utm_medium, utm_campaign, n)
      SELECT campaign_id, ${day}, event, utm_source, utm_medium, utm_campaign, COUNT(*) FROM analytics_events WHERE 1 = 1${events}
      GROUP BY campaign_id, ${day}, event, utm_source, utm_medium, utm_campaign`.execute(trx);
    await sql`INSERT INTO analytics_device_daily (campaign_id, day, event, device, n)
      SELECT campaign_id, ${day}, event, device, COUNT(*) FROM analytics_events WHERE 1 = 1${events}
      GROUP BY campaign_id, ${day}, event, device`.execute(trx);
  });
}
