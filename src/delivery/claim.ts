import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from '../db/dialect.js';
import type { Db } from '../db/index.js';
import type { QueueSpec } from './queue-spec.js';

/**
 * Claims up to `limit` due rows of a queue for one worker: rows matching `which` whose next
 * attempt time has come and that nobody holds an unexpired lease on (a row whose worker died is
 * claimable again once its lease runs out: that is the reaper). One statement: it takes a fresh
 * lease token and counts the attempt (`attempts + 1`).
 *
 * PostgreSQL: `FOR UPDATE SKIP LOCKED` lets many workers claim disjoint rows without waiting.
 * SQLite: one writer at a time, so the same UPDATE is atomic without it.
 */
export async function claimDue<Row>(
  db: Db,
  dialect: Dialect,
  spec: QueueSpec,
  p: { which: RawBuilder<unknown>; owner: string; leaseToken: string; limit: number; leaseMs: number; now: number },
): Promise<Row[]> {
  const c = spec.columns;
  const lock = dialect === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
  const r = (name: string) => sql.ref(name);
  const result = await sql<Row>`
    UPDATE ${sql.table(spec.table)}
       SET ${r(c.leaseOwner)} = ${p.owner},
           ${r(c.leaseToken)} = ${p.leaseToken},
           ${r(c.leaseUntil)} = ${p.now + p.leaseMs},
           ${r(c.attempts)} = ${r(c.attempts)} + 1,
           ${r(c.updatedAt)} = ${p.now}
     WHERE ${r(c.id)} IN (
       SELECT ${r(c.id)} FROM ${sql.table(spec.table)}
        WHERE ${p.which}
          AND ${r(c.nextAttemptAt)} <= ${p.now}
          AND (${r(c.leaseUntil)} IS NULL OR ${r(c.leaseUntil)} < ${p.now})
        ORDER BY ${r(c.nextAttemptAt)}
        LIMIT ${p.limit}
        ${lock}
     )
    RETURNING *`.execute(db);
  return result.rows;
}

/** When the next row matching `which` falls due (or null). */
export async function nextDue(db: Db, spec: QueueSpec, which: RawBuilder<unknown>): Promise<number | null> {
  const c = spec.columns;
  const r = await sql<{
    next: number | string | null;
  }>`SELECT MIN(${sql.ref(c.nextAttemptAt)}) AS next FROM ${sql.table(spec.table)} WHERE ${which}`.execute(db);
  const next = r.rows[0]?.next;
  return next === null || next === undefined ? null : Number(next);
}

/**
 * PostgreSQL answers bigint columns as strings: a claimed row with these columns as numbers (null
 * stays null), so every kind's row has the types its table says.
 */
export function numeric<Row>(row: Row, columns: readonly (keyof Row)[]): Row {
  const out = { ...row };
  for (const c of columns) {
    const v = row[c];
    if (v !== null && v !== undefined) out[c] = Number(v) as Row[keyof Row];
  }
  return out;
}
