import { sql, type Kysely } from 'kysely';
import type { Db } from '../db/index.js';
import type { AnalyticsTables } from '../db/schema-analytics.js';
import { DAY, HOUR, floorTo } from './time.js';

/**
 * Rollup tables: counts kept up to date as batches are written (upserts that add), so the
 * dashboard never reads raw events. Each table is small by construction:
 *
 * - analytics_hourly / analytics_daily: (campaign, hour|day, event, service) → n, visits, visitors
 * - analytics_geo_daily: (campaign, day, event, country, region, city) → n, ll_n, lat_sum, lon_sum
 * - analytics_referrer_daily: (campaign, day, event, referrer) → n
 * - analytics_utm_daily: (campaign, day, event, utm_source, utm_medium, utm_campaign) → n
 * - analytics_device_daily: (campaign, day, event, device) → n
 * - analytics_bots_daily: (campaign, day, event) → n
 */
export type RollupTable = Exclude<keyof AnalyticsTables, 'analytics_events' | 'analytics_visitors' | 'analytics_salts'>;

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
  referrer: { table: 'analytics_referrer_daily', keys: ['campaign_id', 'day', 'event', 'referrer'], sums: ['n'] },
  utm: {
    table: 'analytics_utm_daily',
    keys: ['campaign_id', 'day', 'event', 'utm_source', 'utm_medium', 'utm_campaign'],
    sums: ['n'],
  },
  device: { table: 'analytics_device_daily', keys: ['campaign_id', 'day', 'event', 'device'], sums: ['n'] },
  bots: { table: 'analytics_bots_daily', keys: ['campaign_id', 'day', 'event'], sums: ['n'] },
} as const satisfies Record<string, RollupSpec>;

export type RollupName = keyof typeof ROLLUPS;

/** A written event as the rollups see it: the row plus whether it made a new visitor-day. */
export interface RollupInput {
  campaign_id: number;
  at: number;
  event: string;
  service: string;
  is_visit: number;
  new_visitor: number;
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
class Accumulator {
  private readonly rows = new Map<string, { keys: (string | number)[]; sums: number[] }>();
  constructor(readonly spec: RollupSpec) {}

  add(keys: (string | number)[], sums: number[]): void {
    const k = keys.join(SEP);
    const row = this.rows.get(k);
    if (!row) {
      this.rows.set(k, { keys, sums: [...sums] });
      return;
    }
    for (let i = 0; i < sums.length; i++) row.sums[i]! += sums[i]!;
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

/** Aggregates a batch into every rollup. */
export function aggregate(events: readonly RollupInput[], bots: readonly BotCount[] = []): Accumulator[] {
  const acc = Object.fromEntries(Object.entries(ROLLUPS).map(([name, spec]) => [name, new Accumulator(spec)])) as Record<
    RollupName,
    Accumulator
  >;
  for (const e of events) {
    const hour = floorTo(e.at, HOUR);
    const day = floorTo(e.at, DAY);
    const c = e.campaign_id;
    acc.hourly.add([c, hour, e.event, e.service], [1, e.is_visit, e.new_visitor]);
    acc.daily.add([c, day, e.event, e.service], [1, e.is_visit, e.new_visitor]);
    const ll = e.lat !== null && e.lon !== null;
    acc.geo.add([c, day, e.event, e.country, e.region, e.city], [1, ll ? 1 : 0, ll ? e.lat! : 0, ll ? e.lon! : 0]);
    acc.referrer.add([c, day, e.event, e.referrer], [1]);
    acc.utm.add([c, day, e.event, e.utm_source, e.utm_medium, e.utm_campaign], [1]);
    acc.device.add([c, day, e.event, e.device], [1]);
  }
  for (const b of bots) acc.bots.add([b.campaign_id, floorTo(b.at, DAY), b.event], [1]);
  return Object.values(acc).filter((a) => a.size > 0);
}

// Well under SQLite's 32766 bound variables and PostgreSQL's 65535.
const MAX_PARAMS = 16_000;

/** `INSERT … ON CONFLICT (keys) DO UPDATE SET s = table.s + excluded.s`: the same SQL on both databases. */
export async function upsertRollup(db: Db, acc: Accumulator): Promise<void> {
  const { table, keys, sums } = acc.spec;
  const rows = acc.sorted();
  // Typed loosely on purpose: one generic upsert for seven tables of different shapes.
  const k = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const per = Math.max(1, Math.floor(MAX_PARAMS / (keys.length + sums.length)));
  for (let i = 0; i < rows.length; i += per) {
    await k
      .insertInto(table)
      .values(rows.slice(i, i + per))
      .onConflict((oc) =>
        oc.columns(keys as string[]).doUpdateSet(
          Object.fromEntries(sums.map((s) => [s, sql`${sql.ref(`${table}.${s}`)} + ${sql.ref(`excluded.${s}`)}`])),
        ),
      )
      .execute();
  }
}

export async function applyRollups(db: Db, events: readonly RollupInput[], bots: readonly BotCount[] = []): Promise<void> {
  for (const acc of aggregate(events, bots)) await upsertRollup(db, acc);
}

/**
 * Recomputes every rollup from the raw events (for one campaign, or all), in one transaction.
 * Bot counts are not stored as events, so analytics_bots_daily is kept as it is. `visitors` is
 * recomputed as each visitor-day's first page view, the same definition capture uses.
 */
export async function rebuildRollups(db: Db, campaignId?: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const only = campaignId === undefined ? sql`` : sql` AND campaign_id = ${campaignId}`;
    for (const name of ['hourly', 'daily', 'geo', 'referrer', 'utm', 'device'] as const) {
      const t = ROLLUPS[name].table;
      await sql`DELETE FROM ${sql.table(t)} WHERE 1 = 1${only}`.execute(trx);
    }
    for (const [t, unit] of [
      ['analytics_hourly', HOUR],
      ['analytics_daily', DAY],
    ] as const) {
      const col = sql.ref(t === 'analytics_hourly' ? 'hour' : 'day');
      const u = sql.lit(unit);
      await sql`INSERT INTO ${sql.table(t)} (campaign_id, ${col}, event, service, n, visits, visitors)
        SELECT campaign_id, (at / ${u}) * ${u}, event, service, COUNT(*), SUM(is_visit), 0
        FROM analytics_events WHERE 1 = 1${only}
        GROUP BY campaign_id, (at / ${u}) * ${u}, event, service`.execute(trx);
      await sql`INSERT INTO ${sql.table(t)} (campaign_id, ${col}, event, service, n, visits, visitors)
        SELECT campaign_id, (first_at / ${u}) * ${u}, 'page_view', '', 0, 0, COUNT(*)
        FROM (SELECT campaign_id, MIN(at) AS first_at FROM analytics_events
              WHERE event = 'page_view' AND visitor <> ''${only}
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
      FROM analytics_events WHERE 1 = 1${only}
      GROUP BY campaign_id, ${day}, event, country, region, city`.execute(trx);
    await sql`INSERT INTO analytics_referrer_daily (campaign_id, day, event, referrer, n)
      SELECT campaign_id, ${day}, event, referrer, COUNT(*) FROM analytics_events WHERE 1 = 1${only}
      GROUP BY campaign_id, ${day}, event, referrer`.execute(trx);
    await sql`INSERT INTO analytics_utm_daily (campaign_id, day, event, utm_source, utm_medium, utm_campaign, n)
      SELECT campaign_id, ${day}, event, utm_source, utm_medium, utm_campaign, COUNT(*) FROM analytics_events WHERE 1 = 1${only}
      GROUP BY campaign_id, ${day}, event, utm_source, utm_medium, utm_campaign`.execute(trx);
    await sql`INSERT INTO analytics_device_daily (campaign_id, day, event, device, n)
      SELECT campaign_id, ${day}, event, device, COUNT(*) FROM analytics_events WHERE 1 = 1${only}
      GROUP BY campaign_id, ${day}, event, device`.execute(trx);
  });
}
