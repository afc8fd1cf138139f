import type { Insertable } from 'kysely';
import type { Db } from '../db/index.js';
import type { AnalyticsEventTable, AnalyticsVisitorTable } from '../db/schema-analytics.js';
import { applyRollups, type BotCount, type RollupInput } from './rollups.js';
import { DAY, MINUTE, floorTo } from './time.js';
import type { EnrichedEvent } from './types.js';

/** Page views of one visitor closer together than this are one visit. */
export const VISIT_GAP_MS = 30 * MINUTE;

const SEP = '\u0001';
const IN_CHUNK = 500;
// Rows per multi-row INSERT: 16 columns × 1000 stays under both databases' parameter limits.
const INSERT_CHUNK = 1000;

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
 * the raw rows (one multi-row INSERT per 1000), and the rollup upserts (pre-aggregated in memory,
 * so a batch touches each rollup row once).
 *
 * Attribution: an event that brings no referrer or UTM of its own (a click on our page, the OAuth
 * callback) is credited to the visitor's landing page view of the day.
 */
export async function writeEvents(db: Db, input: readonly EnrichedEvent[], bots: readonly BotCount[] = []): Promise<WriteResult> {
  const result: WriteResult = { events: input.length, visits: 0, newVisitors: 0, bots: bots.length };
  if (input.length === 0 && bots.length === 0) return result;
  const events = [...input].sort((a, b) => a.at - b.at);

  await db.transaction().execute(async (trx) => {
    const states = new Map<string, VisitorState>();
    const ids = [...new Set(events.filter((e) => e.visitor !== '').map((e) => e.visitor))];
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const rows = await trx
        .selectFrom('analytics_visitors')
        .selectAll()
        .where('visitor', 'in', ids.slice(i, i + IN_CHUNK))
        .execute();
      for (const r of rows) {
        const row = { ...r, campaign_id: Number(r.campaign_id), day: Number(r.day), last_view_at: Number(r.last_view_at) };
        states.set([row.visitor, row.campaign_id, row.day].join(SEP), { row, dirty: false });
      }
    }

    const raw: Insertable<AnalyticsEventTable>[] = [];
    const rollup: RollupInput[] = [];
    for (const e of events) {
      let isVisit = 0;
      let newVisitor = 0;
      const out = { ...e };
      if (e.visitor !== '') {
        const day = floorTo(e.at, DAY);
        const key = [e.visitor, e.campaign_id, day].join(SEP);
        let st = states.get(key);
        if (st && !hasSource(e)) {
          out.referrer = st.row.referrer;
          out.utm_source = st.row.utm_source;
          out.utm_medium = st.row.utm_medium;
          out.utm_campaign = st.row.utm_campaign;
        }
        if (e.event === 'page_view') {
          if (!st) {
            st = {
              row: {
                visitor: e.visitor,
                campaign_id: e.campaign_id,
                day,
                last_view_at: e.at,
                referrer: e.referrer,
                utm_source: e.utm_source,
                utm_medium: e.utm_medium,
                utm_campaign: e.utm_campaign,
              },
              dirty: true,
            };
            states.set(key, st);
            newVisitor = 1;
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
      result.newVisitors += newVisitor;
      raw.push({ ...out, is_visit: isVisit });
      rollup.push({ ...out, is_visit: isVisit, new_visitor: newVisitor });
    }

    for (let i = 0; i < raw.length; i += INSERT_CHUNK) {
      await trx
        .insertInto('analytics_events')
        .values(raw.slice(i, i + INSERT_CHUNK))
        .execute();
    }

    const dirty = [...states.values()].filter((s) => s.dirty).map((s) => s.row);
    dirty.sort((a, b) => (a.visitor < b.visitor ? -1 : a.visitor > b.visitor ? 1 : a.campaign_id - b.campaign_id || a.day - b.day));
    for (let i = 0; i < dirty.length; i += INSERT_CHUNK) {
      await trx
        .insertInto('analytics_visitors')
        .values(dirty.slice(i, i + INSERT_CHUNK))
        .onConflict((oc) =>
          oc.columns(['visitor', 'campaign_id', 'day']).doUpdateSet((eb) => ({
            last_view_at: eb
              .case()
              .when('excluded.last_view_at', '>', eb.ref('analytics_visitors.last_view_at'))
              .then(eb.ref('excluded.last_view_at'))
              .else(eb.ref('analytics_visitors.last_view_at'))
              .end(),
          })),
        )
        .execute();
    }

    await applyRollups(trx, rollup, bots);
  });
  return result;
}
