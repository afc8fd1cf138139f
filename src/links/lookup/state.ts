import { sql } from 'kysely';
import type { Db } from '../../db/index.js';
import { LOOKUP_WINDOW_AFTER_RELEASE_MS } from './schedule.js';

/**
 * THE ONLY WRITER of `link_lookups`: one row per campaign and source, with when to look next.
 * A row is claimed by moving its `next_at` past a lease with a conditional UPDATE (whoever's
 * UPDATE matched the old value has it), so two worker processes never look up the same pair at
 * once, and a process that dies mid-look-up only delays the row by the lease.
 */
export interface LookupRow {
  campaignId: number;
  source: string;
  attempts: number;
  /** The lease: the settle is fenced on it. */
  leaseUntil: number;
}

export const LOOKUP_LEASE_MS = 2 * 60_000;

/** The campaign's identifiers as the row keeps them: a change starts the schedule again. */
const idsOf = sql<string>`coalesce(c.upc, '') || '|' || c.isrcs`;

/**
 * Rows for every campaign that can be looked up and has none for a source (a new campaign, a
 * newly configured source), whose UPC/ISRCs changed since (an edit), or whose look-ups stopped
 * while it was archived (restored since): due now. Returns the campaigns whose identifiers
 * changed, whose earlier finds belong to another release.
 */
export async function seedLookups(db: Db, sources: readonly string[], now: number, limit = 500): Promise<Set<number>> {
  const changed = new Set<number>();
  for (const source of sources) {
    const rows = await db
      .selectFrom('campaigns as c')
      .leftJoin('link_lookups as l', (j) => j.onRef('l.campaign_id', '=', 'c.id').on('l.source', '=', source))
      .select(['c.id', idsOf.as('ids'), 'l.ids as was'])
      .where('c.status', '=', 'active')
      .where('c.is_demo', '=', 0)
      // The same end as the schedule's (schedule.ts), so a finished schedule is not seeded again.
      .where('c.first_release_at', '>', now - LOOKUP_WINDOW_AFTER_RELEASE_MS)
      .where((eb) => eb.or([eb('c.upc', 'is not', null), eb('c.isrcs', '<>', '[]')]))
      .where((eb) => eb.or([eb('l.campaign_id', 'is', null), eb('l.ids', '<>', idsOf), eb('l.state', '=', 'stopped')]))
      .limit(limit)
      .execute();
    for (const r of rows) {
      if (r.was !== null && r.was !== r.ids) changed.add(Number(r.id));
      const fresh = { ids: r.ids, state: 'waiting' as const, next_at: now, attempts: 0, last_at: null, last_result: null, found_at: null };
      await db
        .insertInto('link_lookups')
        .values({ campaign_id: Number(r.id), source, ...fresh })
        .onConflict((oc) => oc.columns(['campaign_id', 'source']).doUpdateSet(fresh))
        .execute();
    }
  }
  return changed;
}

/** Due rows of these sources, each claimed for LOOKUP_LEASE_MS by this caller alone. */
export async function claimDueLookups(db: Db, sources: readonly string[], now: number, limit: number): Promise<LookupRow[]> {
  if (sources.length === 0) return [];
  const due = await db
    .selectFrom('link_lookups')
    .select(['campaign_id', 'source', 'next_at', 'attempts'])
    .where('state', '=', 'waiting')
    .where('source', 'in', sources)
    .where('next_at', '<=', now)
    .orderBy('next_at')
    .limit(limit)
    .execute();
  const claimed: LookupRow[] = [];
  for (const r of due) {
    const leaseUntil = now + LOOKUP_LEASE_MS;
    const res = await db
      .updateTable('link_lookups')
      .set({ next_at: leaseUntil })
      .where('campaign_id', '=', r.campaign_id)
      .where('source', '=', r.source)
      .where('state', '=', 'waiting')
      .where('next_at', '=', r.next_at)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1)
      claimed.push({ campaignId: Number(r.campaign_id), source: r.source, attempts: r.attempts, leaseUntil });
  }
  return claimed;
}

export interface LookupOutcome {
  /** waiting (look again at nextAt), done (every link it can fill is there), stopped (schedule over, campaign gone). */
  state: 'waiting' | 'done' | 'stopped';
  nextAt: number;
  /** A request reached the source. */
  asked: boolean;
  /** In words for the artist; absent: the last one still holds (e.g. it only waited for its budget). */
  result?: string;
  found: boolean;
}

/** Settles a claimed row, fenced on its lease (a row re-seeded meanwhile is left alone). */
export async function settleLookup(db: Db, row: LookupRow, o: LookupOutcome, now: number): Promise<void> {
  await db
    .updateTable('link_lookups')
    .set((eb) => ({
      state: o.state,
      next_at: o.nextAt,
      ...(o.result !== undefined ? { last_result: o.result.slice(0, 300) } : {}),
      ...(o.asked ? { attempts: eb('attempts', '+', 1), last_at: now } : {}),
      ...(o.found ? { found_at: now } : {}),
    }))
    .where('campaign_id', '=', row.campaignId)
    .where('source', '=', row.source)
    .where('next_at', '=', row.leaseUntil)
    .execute();
}

/** Another source found a store URL: a source that starts from one (Odesli) may look now. */
export async function wakeLookup(db: Db, campaignId: number, source: string, now: number): Promise<void> {
  await db
    .updateTable('link_lookups')
    .set({ next_at: now })
    .where('campaign_id', '=', campaignId)
    .where('source', '=', source)
    .where('state', '=', 'waiting')
    .where('next_at', '>', now + LOOKUP_LEASE_MS)
    .execute();
}

/**
 * The artist removed one of their own links: every source looks again at the next run, those that
 * had finished because every link was there too (a row claimed right now is left to its claimer).
 * Called by the editor and the CLI after such a removal.
 */
export async function reopenLookups(db: Db, campaignId: number, now: number): Promise<void> {
  await db
    .updateTable('link_lookups')
    .set({ state: 'waiting', next_at: now })
    .where('campaign_id', '=', campaignId)
    .where((eb) => eb.or([eb('state', '=', 'done'), eb.and([eb('state', '=', 'waiting'), eb('next_at', '>', now + LOOKUP_LEASE_MS)])]))
    .execute();
}

export interface LookupStatus {
  source: string;
  state: 'waiting' | 'done' | 'stopped';
  nextAt: number;
  attempts: number;
  lastAt: number | null;
  lastResult: string | null;
}

/** What the editor shows: each source's state for a campaign. */
export async function lookupStatuses(db: Db, campaignId: number): Promise<LookupStatus[]> {
  const rows = await db.selectFrom('link_lookups').selectAll().where('campaign_id', '=', campaignId).orderBy('source').execute();
  return rows.map((r) => ({
    source: r.source,
    state: r.state,
    nextAt: Number(r.next_at),
    attempts: r.attempts,
    lastAt: r.last_at === null ? null : Number(r.last_at),
    lastResult: r.last_result,
  }));
}
