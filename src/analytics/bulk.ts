import type SQLite from 'better-sqlite3';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { sqliteConnection, type Db, type Dialect } from '../db/index.js';

export type PgType = 'bigint' | 'integer' | 'text' | 'double precision';

export interface BulkTable {
  table: string;
  /** Columns in insert order, with their PostgreSQL types. */
  columns: readonly (readonly [name: string, type: PgType])[];
}

export interface OnConflict {
  keys: readonly string[];
  set: Record<string, RawBuilder<unknown>>;
}

/**
 * Time an analytics write spent waiting for PostgreSQL (ms), added up by {@link dbWait}: the event
 * loop is free meanwhile, so the ingest pacer does not count it as the write's cost. (SQLite never
 * waits: better-sqlite3 holds the loop for the whole statement.)
 */
export interface WaitMeter {
  waitedMs: number;
}

/** Where an analytics write goes: the transaction, and on SQLite its connection (see {@link bulkInsert}). */
export interface BulkTarget {
  trx: Db;
  dialect: Dialect;
  sqlite?: SQLite.Database | undefined;
  meter: WaitMeter;
}

/** Awaits a database round trip and adds its time to the meter. */
export async function dbWait<T>(meter: WaitMeter, query: Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await query;
  } finally {
    meter.waitedMs += performance.now() - t0;
  }
}

// Well under SQLite's 32766 bound variables (the fallback path, without a raw connection).
const SQLITE_MAX_PARAMS = 16_000;
// PostgreSQL takes one array per column, so only memory bounds a chunk.
const PG_ROWS = 5_000;

const statements = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();

/**
 * Runs `fn` in one transaction. On SQLite it also holds the connection for the whole write and
 * lowers `synchronous` from FULL to NORMAL for this transaction only: in WAL mode a commit then
 * skips its fsync (the next FULL commit, or a checkpoint, makes it durable). Analytics events
 * already wait up to a second in memory, so a power cut could lose a few more seconds of them —
 * never a pre-save, whose writes keep FULL. The fsync was a tenth of ingest's time on the event loop.
 * (SQLite refuses to change `synchronous` inside a transaction, hence set before BEGIN.)
 */
export async function analyticsTransaction<T>(db: Db, dialect: Dialect, meter: WaitMeter, fn: (t: BulkTarget) => Promise<T>): Promise<T> {
  const raw = dialect === 'sqlite' ? sqliteConnection(db) : undefined;
  if (!raw) {
    // BEGIN and COMMIT are round trips too.
    let mark = performance.now();
    const out = await db.transaction().execute(async (trx) => {
      meter.waitedMs += performance.now() - mark;
      const r = await fn({ trx, dialect, meter });
      mark = performance.now();
      return r;
    });
    meter.waitedMs += performance.now() - mark;
    return out;
  }
  return db.connection().execute(async (conn) => {
    const before = raw.pragma('synchronous', { simple: true }) as number;
    raw.pragma('synchronous = NORMAL');
    try {
      return await conn.transaction().execute((trx) => fn({ trx, dialect, sqlite: raw, meter }));
    } finally {
      raw.pragma(`synchronous = ${Number(before)}`);
    }
  });
}

/**
 * A multi-row INSERT (optionally an upsert) written the way each database loads rows fastest.
 * The one dialect branch of analytics writes:
 *
 * - SQLite (with its connection): one prepared single-row statement, cached per connection and
 *   run once per row inside the caller's transaction — better-sqlite3 runs it in a few µs, while
 *   a 1000-row `VALUES (…), (…)` costs Kysely a compile and SQLite a fresh prepare every batch.
 *   The connection is the transaction's own (SQLite has one), so the rows are in it.
 * - PostgreSQL: one array per column through `unnest`, a few parameters instead of thousands
 *   (2–3× faster to parse and bind).
 *
 * The conflict clause is the same SQL on both.
 */
export async function bulkInsert(
  target: BulkTarget,
  t: BulkTable,
  rows: readonly Record<string, unknown>[],
  conflict?: OnConflict,
): Promise<void> {
  if (rows.length === 0) return;
  const { trx: db, dialect } = target;
  const names = t.columns.map(([n]) => n);
  if (dialect === 'postgres') {
    const onConflict = conflict
      ? sql` ON CONFLICT (${sql.join(conflict.keys.map((k) => sql.ref(k)))}) DO UPDATE SET ${sql.join(
          Object.entries(conflict.set).map(([c, e]) => sql`${sql.ref(c)} = ${e}`),
        )}`
      : sql``;
    for (let i = 0; i < rows.length; i += PG_ROWS) {
      const chunk = rows.slice(i, i + PG_ROWS);
      const arrays = t.columns.map(([name, type]) => sql`${chunk.map((r) => r[name] ?? null)}::${sql.raw(type)}[]`);
      await dbWait(
        target.meter,
        sql`INSERT INTO ${sql.table(t.table)} (${sql.join(names.map((n) => sql.ref(n)))})
          SELECT * FROM unnest(${sql.join(arrays)})${onConflict}`.execute(db),
      );
    }
    return;
  }
  // Typed loosely on purpose: one generic writer for tables of different shapes.
  const k = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const upsert = <Q extends ReturnType<typeof k.insertInto>>(q: Q) =>
    conflict ? q.onConflict((oc) => oc.columns(conflict.keys as string[]).doUpdateSet(conflict.set)) : q;
  if (target.sqlite) {
    const stmt = prepared(
      target.sqlite,
      upsert(k.insertInto(t.table).values(Object.fromEntries(names.map((n) => [n, null])))).compile().sql,
    );
    const values = new Array<unknown>(names.length);
    for (const r of rows) {
      for (let c = 0; c < names.length; c++) values[c] = r[names[c]!] ?? null;
      stmt.run(values);
    }
    return;
  }
  const per = Math.max(1, Math.floor(SQLITE_MAX_PARAMS / names.length));
  for (let i = 0; i < rows.length; i += per) {
    await upsert(k.insertInto(t.table).values(rows.slice(i, i + per) as Record<string, unknown>[])).execute();
  }
}

function prepared(raw: SQLite.Database, text: string): SQLite.Statement {
  let cache = statements.get(raw);
  if (!cache) statements.set(raw, (cache = new Map()));
  let stmt = cache.get(text);
  if (!stmt) cache.set(text, (stmt = raw.prepare(text)));
  return stmt;
}
