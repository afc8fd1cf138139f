import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { dashboardQueries, DIMENSION_COLUMNS, type CountSource, type DimensionRow, type TotalsRow } from './dashboard.js';
import { DAY, HOUR, isAligned } from './time.js';
import type { Range } from './types.js';

export { deliveryReport } from './delivery.js';
export type * from './dashboard.js';
export type { DeliveryReport, ServiceDelivery } from './delivery.js';

const DIMENSION_TABLES = {
  geo: 'analytics_geo_daily',
  referrer: 'analytics_referrer_daily',
  utm: 'analytics_utm_daily',
  device: 'analytics_device_daily',
} as const;

/** All-time tables for the dimensions with many values (places, referring domains). */
const TOTAL_TABLES = { geo: 'analytics_geo_total', referrer: 'analytics_referrer_total' } as const;

/** True when the range holds every day the campaign has events on: the all-time totals answer it exactly. */
async function coversAllDays(db: Db, campaignId: number, range: Range): Promise<boolean> {
  const r = await db
    .selectFrom('analytics_daily')
    .select((eb) => [eb.fn.min<number>('day').as('first'), eb.fn.max<number>('day').as('last')])
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  if (!r || r.first === null || r.last === null) return true;
  return range.from <= Number(r.first) && range.to > Number(r.last);
}

/**
 * Reads only rollups: hourly rows for hour buckets or ranges that are not whole days, daily rows
 * otherwise, and the daily dimension tables — or, for places and referrers when the range covers
 * every day of the campaign, their all-time totals. A campaign's answer touches at most
 * (hours or days in range) × events × services rows, or days × distinct values of a dimension
 * (distinct values only, for a whole-campaign range of places or referrers).
 */
export const rollupSource: CountSource = {
  name: 'rollup',
  async totals(db, campaignIds, range, unit) {
    const hourly = unit === HOUR || (unit !== DAY && !isAligned(range, DAY));
    const table = sql.table(hourly ? 'analytics_hourly' : 'analytics_daily');
    const col = sql.ref(hourly ? 'hour' : 'day');
    // The rollup's own column is the bucket (hour rows for HOUR, day rows for DAY).
    const bucket = unit === 0 ? sql`0` : col;
    const groupBucket = unit === 0 ? sql`` : sql`${col}, `;
    const res = await sql<TotalsRow>`
      SELECT campaign_id, ${bucket} AS bucket, event, service,
             SUM(n) AS n, SUM(visits) AS visits, SUM(visitors) AS visitors
      FROM ${table}
      WHERE campaign_id IN (${sql.join(campaignIds)}) AND ${col} >= ${range.from} AND ${col} < ${range.to}
      GROUP BY campaign_id, ${groupBucket}event, service`.execute(db);
    return res.rows.map(numbers);
  },
  async dimension(db, campaignId, range, dim) {
    const cols = DIMENSION_COLUMNS[dim].map((c) => sql.ref(c));
    const geo = dim === 'geo';
    const total = dim in TOTAL_TABLES && (await coversAllDays(db, campaignId, range));
    const res = await sql<Record<string, string | number>>`
      SELECT ${sql.join(cols)}, event, SUM(n) AS n
             ${geo ? sql`, SUM(ll_n) AS ll_n, SUM(lat_sum) AS lat_sum, SUM(lon_sum) AS lon_sum` : sql``}
      FROM ${sql.table(total ? TOTAL_TABLES[dim as keyof typeof TOTAL_TABLES] : DIMENSION_TABLES[dim])}
      WHERE campaign_id = ${campaignId} ${total ? sql`` : sql`AND day >= ${range.from} AND day < ${range.to}`}
      GROUP BY ${sql.join(cols)}, event`.execute(db);
    return res.rows.map((r) => dimensionRow(r, DIMENSION_COLUMNS[dim]));
  },
};

/** PostgreSQL returns SUM(bigint) as numeric text; everything here is a count that fits a number. */
export function numbers(r: TotalsRow): TotalsRow {
  return {
    campaign_id: Number(r.campaign_id),
    bucket: Number(r.bucket),
    event: r.event,
    service: r.service,
    n: Number(r.n),
    visits: Number(r.visits ?? 0),
    visitors: Number(r.visitors ?? 0),
  };
}

export function dimensionRow(r: Record<string, string | number>, cols: readonly string[]): DimensionRow {
  return {
    keys: cols.map((c) => String(r[c] ?? '')),
    event: String(r.event),
    n: Number(r.n),
    ll_n: Number(r.ll_n ?? 0),
    lat_sum: Number(r.lat_sum ?? 0),
    lon_sum: Number(r.lon_sum ?? 0),
  };
}

const q = dashboardQueries(rollupSource);

/** Views → clicks → pre-saves → saved for one campaign (range widened to whole hours). */
export const funnel = q.funnel;
/** Dense series of hour or day buckets (range widened to whole buckets, at most 9600 points). */
export const timeseries = q.timeseries;
/** Clicks, pre-saves and pre-save statuses per service. */
export const perService = q.perService;
/** Countries (heat map) and top cities with positions (range widened to whole UTC days). */
export const geo = q.geo;
/** Referrer domains (range widened to whole UTC days). */
export const referrers = q.referrers;
/** UTM source / medium / campaign (range widened to whole UTC days). */
export const utm = q.utm;
/** Device classes and the bot count (range widened to whole UTC days). */
export const devices = q.devices;
/** One row per campaign plus totals (default: all time). */
export const workspaceOverview = q.workspaceOverview;
