import { sql, type Insertable } from 'kysely';
import type { Db, Dialect } from '../db/index.js';
import type { AnalyticsEventTable, AnalyticsVisitorTable } from '../db/schema-analytics.js';
import { analyticsTransaction, bulkInsert, dbWait, type BulkTable, type WaitMeter } from './bulk.js';
import { applyRollups, type BotCount, type RollupInput } from './rollups.js';
import { DAY, MINUTE, floorTo } from './time.js';
import type { EnrichedEvent } from './types.js';

/** Page views of one visitor closer together than this are one visit. */
export const VISIT_GAP_MS = 30 * MINUTE;

const SEP = '\u0001';
const IN_CHUNK = 500;

const EVENTS_TABLE: BulkTable = {
  table: 'analytics_events',
  columns: [
    ['campaign_id', 'bigint'],
    ['at', 'bigint'],
    ['event', 'text'],
    ['service', 'text'],
    ['visitor', 'text'],
    ['is_visit', 'integer'],
    ['country', 'text'],
    ['region', 'text'],
    ['city', 'text'],
    ['lat', 'double precision'],
    ['lon', 'double precision'],
    ['referrer', 'text'],
    ['utm_source', 'text'],
    ['utm_medium', 'text'],
    ['utm_campaign', 'text'],
    ['device', 'text'],
  ],
};

const VISITORS_TABLE: BulkTable = {
  table: 'analytics_visitors',
  columns: [
    ['visitor', 'text'],
    ['campaign_id', 'bigint'],
    ['day', 'bigint'],
    ['last_view_at', 'bigint'],
    ['referrer', 'text'],
    ['utm_source', 'text'],
    ['utm_medium', 'text'],
    ['utm_campaign', 'text'],
  ],
};

export interface WriteResult {
  events: number;
  visits: number;
  newVisitors: number;
  bots: number;
}

interface VisitorState {
  row: AnalyticsVisitorTable;
  dirty: boolean;
}

function hasSource(e: { referrer: string; utm_source: string; utm_medium: string; utm_campaign: string }): boolean {
  return e.referrer !== '' || e.utm_source !== '' || e.utm_medium !== '' || e.utm_campaign !== '';
}

/**
 * Writes a batch in one transaction: visit and unique-visitor bookkeeping (analytics_visitors),
 * the raw rows (bulkInsert: prepared statements on SQLite, unnest on PostgreSQL), and the rollup
 * upserts (pre-aggregated in memory, so a batch touches each rollup row once).
 *
 * `meter` adds up the time spent waiting for PostgreSQL (the capture's pacer counts the rest).
 *
 * Attribution: an event that brings no referrer or UTM of its own (a click on our page, the OAuth
 * callback) is credited to the visitor's landing page view of the day.
 */
export async function writeEvents(
  db: Db,
  dialect: Dialect,
  input: readonly EnrichedEvent[],
  bots: readonly BotCount[] = [],
  meter: WaitMeter = { waitedMs: 0 },
): Promise<WriteResult> {
  const result: WriteResult = { events: input.length, visits: 0, newVisitors: 0, bots: bots.length };
  if (input.length === 0 && bots.length === 0) return result;
  const events = [...input].sort((a, b) => a.at - b.at);

  await analyticsTransaction(db, dialect, meter, async (target) => {
    const { trx } = target;
    const states = new Map<string, VisitorState>();
    const ids = [...new Set(events.filter((e) => e.visitor !== '').map((e) => e.visitor))];
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const rows = await dbWait(
        meter,
        trx
          .selectFrom('analytics_visitors')
          .selectAll()
          .where('visitor', 'in', ids.slice(i, i + IN_CHUNK))
          .execute(),
      );
      for (const r of rows) {
        const row = { ...r, campaign_id: Number(r.campaign_id), day: Number(r.day), last_view_at: Number(r.last_view_at) };
        states.set(`${row.visitor}${SEP}${row.campaign_id}${SEP}${row.day}`, { row, dirty: false });
      }
    }

    const raw: Insertable<AnalyticsEventTable>[] = new Array(events.length);
    const newVisitor = new Uint8Array(events.length);
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      let isVisit = 0;
      let { referrer, utm_source, utm_medium, utm_campaign } = e;
      if (e.visitor !== '') {
        const day = floorTo(e.at, DAY);
        const key = `${e.visitor}${SEP}${e.campaign_id}${SEP}${day}`;
        let st = states.get(key);
        if (st && !hasSource(e)) {
          ({ referrer, utm_source, utm_medium, utm_campaign } = st.row);
        }
        if (e.event === 'page_view') {
          if (!st) {
            st = {
              row: {
                visitor: e.visitor,
                campaign_id: e.campaign_id,
                day,
                last_view_at: e.at,
                referrer,
                utm_source,
                utm_medium,
                utm_campaign,
              },
              dirty: true,
            };
            states.set(key, st);
            newVisitor[i] = 1;
            isVisit = 1;
          } else {
            isVisit = Math.abs(e.at - st.row.last_view_at) >= VISIT_GAP_MS ? 1 : 0;
            if (e.at > st.row.last_view_at) st.row.last_view_at = e.at;
            st.dirty = true;
          }
        }
      } else if (e.event === 'page_view') {
        isVisit = 1;
      }
      result.visits += isVisit;
      result.newVisitors += newVisitor[i]!;
      raw[i] = {
        campaign_id: e.campaign_id,
        at: e.at,
        event: e.event,
        service: e.service,
        visitor: e.visitor,
        is_visit: isVisit,
        country: e.country,
        region: e.region,
        city: e.city,
        lat: e.lat,
        lon: e.lon,
        referrer,
        utm_source,
        utm_medium,
        utm_campaign,
        device: e.device,
      };
    }

    await bulkInsert(target, EVENTS_TABLE, raw);

    const dirty = [...states.values()].filter((s) => s.dirty).map((s) => s.row);
    dirty.sort((a, b) => (a.visitor < b.visitor ? -1 : a.visitor > b.visitor ? 1 : a.campaign_id - b.campaign_id || a.day - b.day));
    await bulkInsert(target, VISITORS_TABLE, dirty as unknown as Record<string, unknown>[], {
      keys: ['visitor', 'campaign_id', 'day'],
      set: {
        last_view_at: sql`CASE WHEN excluded.last_view_at > analytics_visitors.last_view_at
          THEN excluded.last_view_at ELSE analytics_visitors.last_view_at END`,
      },
    });

    await applyRollups(target, raw as RollupInput[], newVisitor, bots);
  });
  return result;
}
