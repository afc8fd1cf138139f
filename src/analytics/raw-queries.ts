import { sql } from 'kysely';
import { dashboardQueries, DIMENSION_COLUMNS, type CountSource, type TotalsRow } from './dashboard.js';
import { dimensionRow, numbers } from './queries.js';
import { DAY, floorTo } from './time.js';

/**
 * The dashboard's answers computed from raw events — the benchmark's baseline and the tests'
 * proof that rollups are right. Never used by the dashboard: each query scans a campaign's events.
 */
export const rawSource: CountSource = {
  name: 'raw',
  async totals(db, campaignIds, range, unit) {
    const bucketOf = (col: string) => (unit === 0 ? sql`0` : sql`(${sql.ref(col)} / ${sql.lit(unit)}) * ${sql.lit(unit)}`);
    const groupBucketOf = (col: string) => (unit === 0 ? sql`` : sql`${bucketOf(col)}, `);
    const ids = sql.join(campaignIds);
    const counts = await sql<TotalsRow>`
      SELECT campaign_id, ${bucketOf('at')} AS bucket, event, service, COUNT(*) AS n, SUM(is_visit) AS visits, 0 AS visitors
      FROM analytics_events
      WHERE campaign_id IN (${ids}) AND at >= ${range.from} AND at < ${range.to}
      GROUP BY campaign_id, ${groupBucketOf('at')}event, service`.execute(db);
    // A visitor-day counts where its first page view of the (UTC) day falls, as capture does.
    const firsts = await sql<{ campaign_id: number; bucket: number; visitors: number }>`
      SELECT campaign_id, ${bucketOf('first_at')} AS bucket, COUNT(*) AS visitors
      FROM (SELECT campaign_id, MIN(at) AS first_at FROM analytics_events
            WHERE campaign_id IN (${ids}) AND event = 'page_view' AND visitor <> ''
              AND at >= ${floorTo(range.from, DAY)} AND at < ${range.to}
            GROUP BY campaign_id, at / ${sql.lit(DAY)}, visitor) f
      WHERE first_at >= ${range.from}
      GROUP BY campaign_id ${unit === 0 ? sql`` : sql`, ${bucketOf('first_at')}`}`.execute(db);
    const rows = counts.rows.map(numbers);
    const views = new Map(rows.filter((r) => r.event === 'page_view' && r.service === '').map((r) => [`${r.campaign_id}:${r.bucket}`, r]));
    for (const f of firsts.rows) {
      const key = `${Number(f.campaign_id)}:${Number(f.bucket)}`;
      const row = views.get(key);
      if (row) row.visitors += Number(f.visitors);
      else {
        const r: TotalsRow = {
          campaign_id: Number(f.campaign_id),
          bucket: Number(f.bucket),
          event: 'page_view',
          service: '',
          n: 0,
          visits: 0,
          visitors: Number(f.visitors),
        };
        rows.push(r);
        views.set(key, r);
      }
    }
    return rows;
  },
  async dimension(db, campaignId, range, dim) {
    const cols = DIMENSION_COLUMNS[dim].map((c) => sql.ref(c));
    const geo = dim === 'geo';
    const res = await sql<Record<string, string | number>>`
      SELECT ${sql.join(cols)}, event, COUNT(*) AS n
             ${
               geo
                 ? sql`, SUM(CASE WHEN lat IS NULL OR lon IS NULL THEN 0 ELSE 1 END) AS ll_n,
                       SUM(CASE WHEN lat IS NULL OR lon IS NULL THEN 0 ELSE lat END) AS lat_sum,
                       SUM(CASE WHEN lat IS NULL OR lon IS NULL THEN 0 ELSE lon END) AS lon_sum`
                 : sql``
             }
      FROM analytics_events
      WHERE campaign_id = ${campaignId} AND at >= ${range.from} AND at < ${range.to}
      GROUP BY ${sql.join(cols)}, event`.execute(db);
    return res.rows.map((r) => dimensionRow(r, DIMENSION_COLUMNS[dim]));
  },
};

const q = dashboardQueries(rawSource);

export const rawFunnel = q.funnel;
export const rawTimeseries = q.timeseries;
export const rawPerService = q.perService;
export const rawGeo = q.geo;
export const rawReferrers = q.referrers;
export const rawUtm = q.utm;
export const rawDevices = q.devices;
export const rawWorkspaceOverview = q.workspaceOverview;
