import { sql } from 'kysely';
import type { Db, Dialect } from '../db/index.js';
import { analyticsTransaction } from './bulk.js';
import { IngestPacer } from './pacer.js';
import { DAY, floorTo } from './time.js';

/** Rows per DELETE: a few ms of SQLite (with secure_delete zeroing them), so requests wait little. */
const CHUNK = { sqlite: 2000, postgres: 5000 } as const;
/** Share of a busy event loop (and of the database's time) the deletes may take. */
const SHARE = 0.1;

export interface RetentionRun {
  /** Raw events before this time (a UTC day) are the ones deleted. */
  cutoff: number;
  deleted: number;
  /** False when the time budget ran out first; the next run goes on. */
  done: boolean;
}

/** The first UTC day whose raw events are kept: whole days, so a visitor-day is never cut in half. */
export function retentionCutoff(now: number, retentionDays: number): number {
  return floorTo(now, DAY) - retentionDays * DAY;
}

/**
 * Raises the recorded start of the complete raw log to `cutoff` (never lowers it) and returns it.
 * Written before any row is deleted, so a rollup rebuild never recomputes a day whose events
 * are being deleted. On PostgreSQL the UPDATE waits for a rebuild holding the row (see
 * {@link rawEventsFrom}).
 */
async function raiseEventsFrom(db: Db, cutoff: number): Promise<number> {
  const row = await db
    .updateTable('analytics_retention')
    .set({ events_from: sql<number>`CASE WHEN events_from < ${cutoff} THEN ${cutoff} ELSE events_from END` })
    .where('id', '=', 1)
    .returning('events_from')
    .executeTakeFirstOrThrow();
  return Number(row.events_from);
}

/**
 * From when the raw log is complete (0: nothing deleted). Called inside a rebuild's transaction:
 * it is an UPDATE so it also locks the row on PostgreSQL, and a retention run cannot move the
 * window (and start deleting in it) until the rebuild has committed.
 */
export async function rawEventsFrom(trx: Db): Promise<number> {
  const row = await trx
    .updateTable('analytics_retention')
    .set({ events_from: sql<number>`events_from` })
    .where('id', '=', 1)
    .returning('events_from')
    .executeTakeFirst();
  return Number(row?.events_from ?? 0);
}

/**
 * Deletes raw events older than the retention window, in chunks of a few thousand rows, each its
 * own short transaction, with a pause after each (IngestPacer: while the process serves pages
 * the deletes take at most a tenth of its time). Stops after `budgetMs` and reports `done: false`;
 * the next run continues where this one stopped (the oldest rows of each campaign go first).
 *
 * Safe with several processes: the deletes are idempotent, on PostgreSQL two runs skip each
 * other's rows (`FOR UPDATE SKIP LOCKED`), and on SQLite they take turns at the write lock.
 * Rollups are not touched: they are the history.
 */
export async function deleteExpiredEvents(
  db: Db,
  dialect: Dialect,
  opts: {
    now: number;
    retentionDays: number;
    budgetMs?: number;
    chunk?: number;
    clock?: () => number;
    /** A cutoff this process already finished: nothing to do until the window moves on. */
    skipIfDone?: number | undefined;
  },
): Promise<RetentionRun> {
  const cutoff = retentionCutoff(opts.now, opts.retentionDays);
  if (opts.skipIfDone === cutoff) return { cutoff, deleted: 0, done: true };
  const chunk = opts.chunk ?? CHUNK[dialect];
  // Wall time for the budget and the pacing, not the analytics clock (tests inject that one).
  const clock = opts.clock ?? (() => performance.now());
  const until = clock() + (opts.budgetMs ?? 30_000);
  const pacer = new IngestPacer(SHARE);
  const run: RetentionRun = { cutoff, deleted: 0, done: false };
  await raiseEventsFrom(db, cutoff);
  // Campaigns one at a time, through the (campaign_id, at) index: a skip scan, then a range scan
  // of each campaign's oldest rows. No index on `at` alone is needed (one less to write per event).
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const next = await db
      .selectFrom('analytics_events')
      .select('campaign_id')
      .where('campaign_id', '>', after)
      .orderBy('campaign_id')
      .limit(1)
      .executeTakeFirst();
    if (!next) break;
    after = Number(next.campaign_id);
    for (;;) {
      if (clock() >= until) return run;
      const t0 = clock();
      const n = await deleteChunk(db, dialect, after, cutoff, chunk);
      run.deleted += n;
      // Counted as wall time on both databases: on PostgreSQL the deletes are the server's work,
      // which the page's queries and the ingest share.
      await pacer.pause(clock() - t0);
      if (n < chunk) break;
    }
  }
  run.done = true;
  return run;
}

async function deleteChunk(db: Db, dialect: Dialect, campaignId: number, cutoff: number, chunk: number): Promise<number> {
  const res = await analyticsTransaction(db, dialect, { waitedMs: 0 }, ({ trx }) =>
    dialect === 'postgres'
      ? sql`DELETE FROM analytics_events WHERE ctid = ANY(ARRAY(
          SELECT ctid FROM analytics_events WHERE campaign_id = ${campaignId} AND at < ${cutoff}
          LIMIT ${chunk} FOR UPDATE SKIP LOCKED))`.execute(trx)
      : sql`DELETE FROM analytics_events WHERE rowid IN (
          SELECT rowid FROM analytics_events WHERE campaign_id = ${campaignId} AND at < ${cutoff} LIMIT ${chunk})`.execute(trx),
  );
  return Number(res.numAffectedRows ?? 0);
}
