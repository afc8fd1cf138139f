import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { DAY, HOUR, alignRange } from './time.js';
import type { EventName, Range } from './types.js';

/**
 * The dashboard's answers, written once over a {@link CountSource}: `queries.ts` reads the rollups,
 * `raw-queries.ts` reads raw events. Same shaping code, so any difference is in the data.
 */

/** Counts per (campaign, bucket, event, service). `bucket` is 0 when the source was asked for none. */
export interface TotalsRow {
  campaign_id: number;
  bucket: number;
  event: string;
  service: string;
  n: number;
  visits: number;
  visitors: number;
}

export type Dimension = 'geo' | 'referrer' | 'utm' | 'device';

export const DIMENSION_COLUMNS: Record<Dimension, readonly string[]> = {
  geo: ['country', 'region', 'city'],
  referrer: ['referrer'],
  utm: ['utm_source', 'utm_medium', 'utm_campaign'],
  device: ['device'],
};

/** Counts per dimension values and event. For geo, also the coordinate sums. */
export interface DimensionRow {
  keys: string[];
  event: string;
  n: number;
  ll_n: number;
  lat_sum: number;
  lon_sum: number;
}

export interface CountSource {
  readonly name: 'rollup' | 'raw';
  /**
   * Totals over an hour-aligned range; `unit` HOUR or DAY buckets by time, 0 gives one bucket.
   * `visitors` is the number of visitor-days whose first page view falls in the bucket.
   */
  totals(db: Db, campaignIds: readonly number[], range: Range, unit: number): Promise<TotalsRow[]>;
  /** Counts by a dimension over a day-aligned range. */
  dimension(db: Db, campaignId: number, range: Range, dim: Dimension): Promise<DimensionRow[]>;
}

export interface EventCounts {
  views: number;
  serviceClicks: number;
  listenClicks: number;
  presaves: number;
  cancellations: number;
}

/** The funnel's events; the in-app browser events have their own panel (inapp.ts). */
const FIELD: Partial<Record<EventName, keyof EventCounts>> = {
  page_view: 'views',
  service_click: 'serviceClicks',
  listen_click: 'listenClicks',
  authorization: 'presaves',
  cancellation: 'cancellations',
};

export function emptyCounts(): EventCounts {
  return { views: 0, serviceClicks: 0, listenClicks: 0, presaves: 0, cancellations: 0 };
}

function addEvent(c: EventCounts, event: string, n: number): void {
  const f = FIELD[event as EventName];
  if (f) c[f] += n;
}

function addCounts(a: EventCounts, b: EventCounts): void {
  for (const k of Object.keys(a) as (keyof EventCounts)[]) a[k] += b[k];
}

function ratio(num: number, den: number): number | null {
  return den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null;
}

/** Stable orders, so both sources (and every run) list ties the same way. */
function byCountsThen<T extends { counts: EventCounts }>(first: keyof EventCounts, key: (t: T) => string) {
  return (a: T, b: T) =>
    b.counts[first] - a.counts[first] ||
    b.counts.views - a.counts.views ||
    b.counts.presaves - a.counts.presaves ||
    (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------
// Pre-save rows (the same for both sources: they are not events)

interface StatusRow {
  campaign_id: number;
  service: string;
  status: string;
  n: number;
}

async function presaveStatuses(db: Db, campaignIds: readonly number[], range: Range): Promise<StatusRow[]> {
  if (campaignIds.length === 0) return [];
  const rows = await db
    .selectFrom('presaves')
    .select(['campaign_id', 'service', 'status'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', 'in', campaignIds)
    .where('created_at', '>=', range.from)
    .where('created_at', '<', range.to)
    .groupBy(['campaign_id', 'service', 'status'])
    .execute();
  return rows.map((r) => ({ ...r, campaign_id: Number(r.campaign_id), n: Number(r.n) }));
}

/** Pre-save rows per time bucket: recorded (by created_at) or saved (by saved_at). */
async function presavesOverTime(
  db: Db,
  campaignId: number,
  range: Range,
  unit: number,
  column: 'created_at' | 'saved_at',
): Promise<Map<number, number>> {
  const u = sql.lit(unit);
  const col = sql.ref(column);
  const saved = column === 'saved_at' ? sql`AND status = 'saved'` : sql``;
  const rows = await sql<{ bucket: number; n: number }>`
    SELECT (${col} / ${u}) * ${u} AS bucket, COUNT(*) AS n FROM presaves
    WHERE campaign_id = ${campaignId} ${saved} AND ${col} >= ${range.from} AND ${col} < ${range.to}
    GROUP BY (${col} / ${u}) * ${u}`.execute(db);
  return new Map(rows.rows.map((r) => [Number(r.bucket), Number(r.n)]));
}

/**
 * The figures every rate is made of, from sources that agree. Pre-saves are the pre-save records
 * (one per fan and service), never analytics events. Analytics can miss a visit or a click (a
 * fan forwarded the service link, a request looked like a bot, an event was dropped), but a
 * pre-save implies both, so:
 *
 * - clicks counted = per service, the larger of the clicks seen and the pre-saves;
 * - fans who pre-saved = at least the pre-saves of the busiest service (fans are not linked across
 *   services, so this is a lower bound);
 * - visitors counted = the larger of the unique visitors seen and the fans who pre-saved.
 *
 * So click-to-save, visitor conversion and the saved rate can never exceed 100 %.
 */
export function agreeingFigures(p: {
  uniqueVisitors: number;
  clicksByService: Record<string, number>;
  presavesByService: Record<string, number>;
}) {
  const services = new Set([...Object.keys(p.clicksByService), ...Object.keys(p.presavesByService)]);
  let clicks = 0;
  let presaves = 0;
  let fans = 0;
  for (const s of services) {
    const c = p.clicksByService[s] ?? 0;
    const n = p.presavesByService[s] ?? 0;
    clicks += Math.max(c, n);
    presaves += n;
    fans = Math.max(fans, n);
  }
  const visitors = Math.max(p.uniqueVisitors, fans);
  return { clicks, presaves, fans, visitors, clickToSave: ratio(presaves, clicks), visitorToPresave: ratio(fans, visitors) };
}

// ---------------------------------------------------------------------------------------------
// Answers

export interface ServiceFunnel {
  serviceClicks: number;
  listenClicks: number;
  presaves: number;
  cancellations: number;
  saved: number;
}

export interface Funnel {
  campaignId: number;
  /** The range answered: the one asked for, widened to whole hours. */
  range: Range;
  views: number;
  /** Page views after dedup: views of the same visitor within 30 minutes count once. */
  visits: number;
  /** Distinct visitors per UTC day, summed over the days of the range (ids change daily by design). */
  uniqueVisitors: number;
  /** Pre-save clicks counted: per service at least one per pre-save (see agreeingFigures). */
  serviceClicks: number;
  /** Pre-save clicks analytics saw (bot-filtered events). */
  serviceClicksSeen: number;
  listenClicks: number;
  /** Pre-saves recorded in the range: the pre-save rows (one per fan and service), whatever became of them. */
  presaves: number;
  /** Fans who pre-saved, at least (the busiest service's pre-saves). */
  fans: number;
  /** Visitors counted: unique visitors seen, and at least the fans who pre-saved. */
  visitors: number;
  cancellations: number;
  /** Pre-saves created in the range that have been saved to the fan's library (from the pre-save rows). */
  saved: number;
  byService: Record<string, ServiceFunnel>;
  /** presaves / serviceClicks (counted): ≤ 1 */
  clickToSave: number | null;
  /** fans / visitors: ≤ 1 */
  visitorToPresave: number | null;
}

export interface TimeseriesPoint {
  t: number;
  views: number;
  visits: number;
  /** Visitor-days first seen in this bucket. */
  uniqueVisitors: number;
  serviceClicks: number;
  listenClicks: number;
  presaves: number;
  cancellations: number;
  /** Saves delivered in this bucket (by saved_at). */
  saved: number;
}

export interface Timeseries {
  campaignId: number;
  range: Range;
  bucket: 'hour' | 'day';
  points: TimeseriesPoint[];
}

export interface ServiceRow {
  service: string;
  serviceClicks: number;
  listenClicks: number;
  presaves: number;
  cancellations: number;
  /** Pre-save rows created in the range, by status. */
  saved: number;
  failed: number;
  pending: number;
  cancelled: number;
  clickToSave: number | null;
}

export interface GeoCountry {
  /** ISO 3166-1 alpha-2. */
  country: string;
  counts: EventCounts;
}

export interface GeoCity {
  country: string;
  region: string;
  city: string;
  /** Mean position of the events placed in this city (null when none had coordinates). */
  lat: number | null;
  lon: number | null;
  counts: EventCounts;
}

export interface GeoAnswer {
  campaignId: number;
  range: Range;
  /** Every country with events, for the world heat map. */
  countries: GeoCountry[];
  /** The top cities by `sortBy`. */
  cities: GeoCity[];
  /** Events whose place is unknown (private addresses, no data). */
  unknown: EventCounts;
}

export interface ReferrerRow {
  /** A domain; '' is direct / none. */
  referrer: string;
  counts: EventCounts;
}

export interface UtmRow {
  source: string;
  medium: string;
  campaign: string;
  counts: EventCounts;
}

export interface Breakdown<T> {
  campaignId: number;
  range: Range;
  rows: T[];
  /** Everything beyond the row limit, summed. */
  other: EventCounts;
}

export interface DeviceRow {
  /** mobile | tablet | desktop | unknown (server-side events such as cancellations by the worker) */
  device: string;
  counts: EventCounts;
}

export interface DevicesAnswer {
  campaignId: number;
  range: Range;
  rows: DeviceRow[];
  /** Requests by bots (not stored as events; counted in analytics_bots_daily). */
  bots: number;
}

export interface OverviewRow {
  campaignId: number;
  views: number;
  uniqueVisitors: number;
  /** Counted as in the funnel: at least one per pre-save, per service. */
  serviceClicks: number;
  /** Pre-save records. */
  presaves: number;
  /** Fans who pre-saved, at least; visitors counted (see agreeingFigures). */
  fans: number;
  visitors: number;
  saved: number;
  failed: number;
  pending: number;
  clickToSave: number | null;
  /** fans / visitors: ≤ 1 */
  conversion: number | null;
}

export interface WorkspaceOverview {
  range: Range;
  campaigns: OverviewRow[];
  totals: Omit<OverviewRow, 'campaignId'>;
}

/** All time: the whole range of epoch ms a Date can hold, day-aligned. */
export const ALL_TIME: Range = { from: 0, to: 8_640_000_000_000_000 };

export interface DashboardQueries {
  funnel(db: Db, campaignId: number, range: Range): Promise<Funnel>;
  timeseries(db: Db, campaignId: number, range: Range, bucket: 'hour' | 'day'): Promise<Timeseries>;
  perService(db: Db, campaignId: number, range: Range): Promise<ServiceRow[]>;
  geo(db: Db, campaignId: number, range: Range, opts?: { topCities?: number; sortBy?: keyof EventCounts }): Promise<GeoAnswer>;
  referrers(db: Db, campaignId: number, range: Range, opts?: { limit?: number }): Promise<Breakdown<ReferrerRow>>;
  utm(db: Db, campaignId: number, range: Range, opts?: { limit?: number }): Promise<Breakdown<UtmRow>>;
  devices(db: Db, campaignId: number, range: Range): Promise<DevicesAnswer>;
  workspaceOverview(db: Db, campaignIds: readonly number[], range?: Range): Promise<WorkspaceOverview>;
}

const MAX_POINTS = 24 * 400;

export function dashboardQueries(source: CountSource): DashboardQueries {
  async function funnel(db: Db, campaignId: number, asked: Range): Promise<Funnel> {
    const range = alignRange(asked, HOUR);
    const [rows, statuses] = await Promise.all([source.totals(db, [campaignId], range, 0), presaveStatuses(db, [campaignId], range)]);
    const f: Funnel = {
      campaignId,
      range,
      views: 0,
      visits: 0,
      uniqueVisitors: 0,
      serviceClicks: 0,
      serviceClicksSeen: 0,
      listenClicks: 0,
      presaves: 0,
      fans: 0,
      visitors: 0,
      cancellations: 0,
      saved: 0,
      byService: {},
      clickToSave: null,
      visitorToPresave: null,
    };
    const svc = (s: string) => (f.byService[s] ??= { serviceClicks: 0, listenClicks: 0, presaves: 0, cancellations: 0, saved: 0 });
    for (const r of rows) {
      const field = FIELD[r.event as EventName];
      if (!field) continue;
      if (field === 'views') {
        f.views += r.n;
        f.visits += r.visits;
        f.uniqueVisitors += r.visitors;
      } else if (field !== 'presaves') {
        f[field] += r.n;
        if (r.service) svc(r.service)[field] += r.n;
      }
    }
    for (const s of statuses) {
      svc(s.service).presaves += s.n;
      if (s.status !== 'saved') continue;
      f.saved += s.n;
      svc(s.service).saved += s.n;
    }
    f.byService = Object.fromEntries(Object.entries(f.byService).sort(([a], [b]) => (a < b ? -1 : 1)));
    const fig = agreeingFigures({
      uniqueVisitors: f.uniqueVisitors,
      clicksByService: Object.fromEntries(Object.entries(f.byService).map(([k, v]) => [k, v.serviceClicks])),
      presavesByService: Object.fromEntries(Object.entries(f.byService).map(([k, v]) => [k, v.presaves])),
    });
    f.serviceClicksSeen = f.serviceClicks;
    f.serviceClicks = fig.clicks;
    f.presaves = fig.presaves;
    f.fans = fig.fans;
    f.visitors = fig.visitors;
    f.clickToSave = fig.clickToSave;
    f.visitorToPresave = fig.visitorToPresave;
    return f;
  }

  async function timeseries(db: Db, campaignId: number, asked: Range, bucket: 'hour' | 'day'): Promise<Timeseries> {
    const unit = bucket === 'hour' ? HOUR : DAY;
    const range = alignRange(asked, unit);
    if ((range.to - range.from) / unit > MAX_POINTS) range.from = range.to - MAX_POINTS * unit;
    const [rows, saved, recorded] = await Promise.all([
      source.totals(db, [campaignId], range, unit),
      presavesOverTime(db, campaignId, range, unit, 'saved_at'),
      presavesOverTime(db, campaignId, range, unit, 'created_at'),
    ]);
    const points: TimeseriesPoint[] = [];
    const at = new Map<number, TimeseriesPoint>();
    for (let t = range.from; t < range.to; t += unit) {
      const p = { t, views: 0, visits: 0, uniqueVisitors: 0, serviceClicks: 0, listenClicks: 0, presaves: 0, cancellations: 0, saved: 0 };
      points.push(p);
      at.set(t, p);
    }
    for (const r of rows) {
      const p = at.get(r.bucket);
      const field = FIELD[r.event as EventName];
      if (!p || !field || field === 'presaves') continue;
      p[field] += r.n;
      if (field === 'views') {
        p.visits += r.visits;
        p.uniqueVisitors += r.visitors;
      }
    }
    for (const [t, n] of saved) {
      const p = at.get(t);
      if (p) p.saved += n;
    }
    for (const [t, n] of recorded) {
      const p = at.get(t);
      if (p) p.presaves += n;
    }
    return { campaignId, range, bucket, points };
  }

  async function perService(db: Db, campaignId: number, asked: Range): Promise<ServiceRow[]> {
    const range = alignRange(asked, HOUR);
    const [rows, statuses] = await Promise.all([source.totals(db, [campaignId], range, 0), presaveStatuses(db, [campaignId], range)]);
    const out = new Map<string, ServiceRow>();
    const get = (service: string) => {
      let r = out.get(service);
      if (!r) {
        r = {
          service,
          serviceClicks: 0,
          listenClicks: 0,
          presaves: 0,
          cancellations: 0,
          saved: 0,
          failed: 0,
          pending: 0,
          cancelled: 0,
          clickToSave: null,
        };
        out.set(service, r);
      }
      return r;
    };
    for (const r of rows) {
      const field = FIELD[r.event as EventName];
      if (!field || field === 'views' || field === 'presaves' || !r.service) continue;
      get(r.service)[field] += r.n;
    }
    for (const s of statuses) {
      get(s.service).presaves += s.n;
      if (s.status === 'saved' || s.status === 'failed' || s.status === 'pending' || s.status === 'cancelled')
        get(s.service)[s.status] += s.n;
    }
    const list = [...out.values()];
    for (const r of list) {
      r.serviceClicks = Math.max(r.serviceClicks, r.presaves);
      r.clickToSave = ratio(r.presaves, r.serviceClicks);
    }
    return list.sort((a, b) => b.presaves - a.presaves || b.serviceClicks - a.serviceClicks || (a.service < b.service ? -1 : 1));
  }

  /** Rows of a dimension folded into per-key counts. */
  async function grouped(db: Db, campaignId: number, range: Range, dim: Dimension) {
    const rows = await source.dimension(db, campaignId, range, dim);
    const groups = new Map<string, { keys: string[]; counts: EventCounts; ll_n: number; lat_sum: number; lon_sum: number }>();
    for (const r of rows) {
      const k = r.keys.join('\u0001');
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { keys: r.keys, counts: emptyCounts(), ll_n: 0, lat_sum: 0, lon_sum: 0 }));
      addEvent(g.counts, r.event, r.n);
      g.ll_n += r.ll_n;
      g.lat_sum += r.lat_sum;
      g.lon_sum += r.lon_sum;
    }
    // A fan is on the campaign page before each pre-save (the thank-you page links back to it,
    // never to another service), so a place, source or device has at least as many page views as
    // pre-saves: views analytics missed there (a request that looked like a bot, a dropped event)
    // are counted, and no row reads "views 3, pre-saves 4".
    for (const g of groups.values()) g.counts.views = Math.max(g.counts.views, g.counts.presaves);
    return [...groups.values()];
  }

  async function geo(
    db: Db,
    campaignId: number,
    asked: Range,
    opts: { topCities?: number; sortBy?: keyof EventCounts } = {},
  ): Promise<GeoAnswer> {
    const range = alignRange(asked, DAY);
    const sortBy = opts.sortBy ?? 'presaves';
    const groups = await grouped(db, campaignId, range, 'geo');
    const countries = new Map<string, GeoCountry>();
    const unknown = emptyCounts();
    const cities: GeoCity[] = [];
    for (const g of groups) {
      const [country, region, city] = g.keys as [string, string, string];
      if (!country) {
        addCounts(unknown, g.counts);
        continue;
      }
      let c = countries.get(country);
      if (!c) countries.set(country, (c = { country, counts: emptyCounts() }));
      addCounts(c.counts, g.counts);
      if (city) {
        const has = g.ll_n > 0;
        cities.push({
          country,
          region,
          city,
          lat: has ? Math.round((g.lat_sum / g.ll_n) * 1000) / 1000 : null,
          lon: has ? Math.round((g.lon_sum / g.ll_n) * 1000) / 1000 : null,
          counts: g.counts,
        });
      }
    }
    const cityKey = (c: GeoCity) => `${c.country}\u0001${c.region}\u0001${c.city}`;
    return {
      campaignId,
      range,
      countries: [...countries.values()].sort(byCountsThen(sortBy, (c) => c.country)),
      cities: cities.sort(byCountsThen(sortBy, cityKey)).slice(0, opts.topCities ?? 50),
      unknown,
    };
  }

  function limited<T extends { counts: EventCounts }>(rows: T[], limit: number): { rows: T[]; other: EventCounts } {
    const other = emptyCounts();
    for (const r of rows.slice(limit)) addCounts(other, r.counts);
    return { rows: rows.slice(0, limit), other };
  }

  async function referrers(db: Db, campaignId: number, asked: Range, opts: { limit?: number } = {}): Promise<Breakdown<ReferrerRow>> {
    const range = alignRange(asked, DAY);
    const rows = (await grouped(db, campaignId, range, 'referrer'))
      .map((g) => ({ referrer: g.keys[0]!, counts: g.counts }))
      .sort(byCountsThen('views', (r) => r.referrer));
    return { campaignId, range, ...limited(rows, opts.limit ?? 50) };
  }

  async function utm(db: Db, campaignId: number, asked: Range, opts: { limit?: number } = {}): Promise<Breakdown<UtmRow>> {
    const range = alignRange(asked, DAY);
    const rows = (await grouped(db, campaignId, range, 'utm'))
      .map((g) => ({ source: g.keys[0]!, medium: g.keys[1]!, campaign: g.keys[2]!, counts: g.counts }))
      .sort(byCountsThen('views', (r) => `${r.source}\u0001${r.medium}\u0001${r.campaign}`));
    return { campaignId, range, ...limited(rows, opts.limit ?? 50) };
  }

  async function devices(db: Db, campaignId: number, asked: Range): Promise<DevicesAnswer> {
    const range = alignRange(asked, DAY);
    const [groups, bots] = await Promise.all([grouped(db, campaignId, range, 'device'), botCount(db, campaignId, range)]);
    const rows = groups.map((g) => ({ device: g.keys[0] || 'unknown', counts: g.counts })).sort(byCountsThen('views', (r) => r.device));
    return { campaignId, range, rows, bots };
  }

  async function workspaceOverview(db: Db, campaignIds: readonly number[], asked: Range = ALL_TIME): Promise<WorkspaceOverview> {
    const range = alignRange(asked, HOUR);
    const ids = [...new Set(campaignIds)];
    const [rows, statuses] = await Promise.all([
      ids.length ? source.totals(db, ids, range, 0) : Promise.resolve([]),
      presaveStatuses(db, ids, range),
    ]);
    const empty = (): Omit<OverviewRow, 'campaignId'> => ({
      views: 0,
      uniqueVisitors: 0,
      serviceClicks: 0,
      presaves: 0,
      fans: 0,
      visitors: 0,
      saved: 0,
      failed: 0,
      pending: 0,
      clickToSave: null,
      conversion: null,
    });
    const by = new Map<number, OverviewRow>(ids.map((id) => [id, { campaignId: id, ...empty() }]));
    const clicks = new Map<number, Record<string, number>>(ids.map((id) => [id, {}]));
    const presaves = new Map<number, Record<string, number>>(ids.map((id) => [id, {}]));
    for (const r of rows) {
      const o = by.get(r.campaign_id);
      if (!o) continue;
      if (r.event === 'page_view') {
        o.views += r.n;
        o.uniqueVisitors += r.visitors;
      } else if (r.event === 'service_click') {
        const c = clicks.get(r.campaign_id)!;
        c[r.service] = (c[r.service] ?? 0) + r.n;
      }
    }
    for (const s of statuses) {
      const o = by.get(s.campaign_id);
      if (!o) continue;
      const p = presaves.get(s.campaign_id)!;
      p[s.service] = (p[s.service] ?? 0) + s.n;
      if (s.status === 'saved' || s.status === 'failed' || s.status === 'pending') o[s.status] += s.n;
    }
    const campaigns = [...by.values()];
    const totals = empty();
    for (const c of campaigns) {
      const fig = agreeingFigures({
        uniqueVisitors: c.uniqueVisitors,
        clicksByService: clicks.get(c.campaignId)!,
        presavesByService: presaves.get(c.campaignId)!,
      });
      Object.assign(c, { serviceClicks: fig.clicks, presaves: fig.presaves, fans: fig.fans, visitors: fig.visitors });
      c.clickToSave = fig.clickToSave;
      c.conversion = fig.visitorToPresave;
      for (const k of ['views', 'uniqueVisitors', 'serviceClicks', 'presaves', 'fans', 'visitors', 'saved', 'failed', 'pending'] as const)
        totals[k] += c[k];
    }
    totals.clickToSave = ratio(totals.presaves, totals.serviceClicks);
    totals.conversion = ratio(totals.fans, totals.visitors);
    return { range, campaigns, totals };
  }

  return { funnel, timeseries, perService, geo, referrers, utm, devices, workspaceOverview };
}

/** Bot requests are never raw events: both sources read this rollup. */
async function botCount(db: Db, campaignId: number, range: Range): Promise<number> {
  const r = await db
    .selectFrom('analytics_bots_daily')
    .select((eb) => eb.fn.sum<number>('n').as('n'))
    .where('campaign_id', '=', campaignId)
    .where('day', '>=', range.from)
    .where('day', '<', range.to)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
