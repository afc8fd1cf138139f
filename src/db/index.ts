import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, sql, PostgresDialect, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import type { Dialect } from './dialect.js';
import type { Database } from './schema.js';
import { PageChangePlugin } from './page-changes.js';
import * as m001 from './migrations/001_initial.js';
import * as m002 from './migrations/002_matches_and_links.js';
import * as m003 from './migrations/003_accounts.js';
import * as m004 from './migrations/004_analytics.js';
import * as m005 from './migrations/005_governors.js';
import * as m006 from './migrations/006_editor.js';
import * as m007 from './migrations/007_presaves_grant_index.js';
import * as m008 from './migrations/008_governor_take.js';
import * as m009 from './migrations/009_presave_failures.js';
import * as m010 from './migrations/010_campaign_pauses.js';
import * as m011 from './migrations/011_presave_follows.js';
import * as m012 from './migrations/012_forget_cancelled_fans.js';
import * as m013 from './migrations/013_throttles.js';
import * as m014 from './migrations/014_email_verification.js';
import * as m015 from './migrations/015_verify_queue.js';
import * as m016 from './migrations/016_analytics_retention.js';
import * as m017 from './migrations/017_page_versions.js';
import * as m018 from './migrations/018_fan_language.js';
import * as m019 from './migrations/019_link_lookups.js';
import * as m020 from './migrations/020_escape_states.js';
import * as m021 from './migrations/021_reach.js';
import * as m022 from './migrations/022_growth.js';
import * as m023 from './migrations/023_api.js';
import * as m024 from './migrations/024_webhooks.js';
import * as m025 from './migrations/025_conversions.js';

export type { Dialect } from './dialect.js';
export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  close(): Promise<void>;
}

// Epoch-millisecond columns are bigint in PostgreSQL; they fit a JS number exactly.
pg.types.setTypeParser(20, (v) => Number(v));

/** Append-only: add new files at the end, never edit one that has shipped. */
const MIGRATIONS: Record<string, { up(db: Kysely<unknown>, dialect: Dialect): Promise<void> }> = {
  '001_initial': m001,
  '002_matches_and_links': m002,
  '003_accounts': m003,
  '004_analytics': m004,
  '005_governors': m005,
  '006_editor': m006,
  '007_presaves_grant_index': m007,
  '008_governor_take': m008,
  '009_presave_failures': m009,
  '010_campaign_pauses': m010,
  '011_presave_follows': m011,
  '012_forget_cancelled_fans': m012,
  '013_throttles': m013,
  '014_email_verification': m014,
  '015_verify_queue': m015,
  '016_analytics_retention': m016,
  '017_page_versions': m017,
  '018_fan_language': m018,
  '019_link_lookups': m019,
  '020_escape_states': m020,
  '021_reach': m021,
  '022_growth': m022,
  '023_api': m023,
  '024_webhooks': m024,
  '025_conversions': m025,
};

/**
 * The better-sqlite3 connection behind each SQLite Kysely instance, for the one writer that needs
 * what Kysely cannot give: analytics ingest reuses prepared single-row statements (Kysely compiles
 * and SQLite re-prepares a 16,000-parameter INSERT for every batch) and relaxes `synchronous` for
 * its own transactions. Keyed by the Kysely instance openDatabase returns.
 */
const sqliteConnections = new WeakMap<Db, SQLite.Database>();

/** The SQLite connection of a database opened by {@link openDatabase}; undefined for PostgreSQL. */
export function sqliteConnection(db: Db): SQLite.Database | undefined {
  return sqliteConnections.get(db);
}

export function openDatabase(config: Config): DatabaseHandle {
  if (config.database.kind === 'postgres') {
    const { url, schema } = config.database;
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      connectionTimeoutMillis: 10_000,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // A dropped connection must not crash the process; the next query gets a fresh one. The pool
    // only listens for errors on idle clients: a checked-out client whose server connection is
    // cut between two queries (a failover, pg_terminate_backend) would otherwise emit an
    // unhandled 'error' and kill the process. Its next query fails and the pool discards it.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new PageChangePlugin()] });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const file = config.database.file;
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a claimed or settled pre-save survives a power cut, not just a process crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  // Deleted rows are overwritten with zeros, not just unlinked: a fan's erased data must not stay
  // readable in the file's free space (docs/operations.md, "Fan data and erasure").
  sqlite.pragma('secure_delete = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), plugins: [new PageChangePlugin()] });
  sqliteConnections.set(db, sqlite);
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * SQLite: copies the write-ahead log into the database file and truncates it to zero bytes, so
 * the log's earlier copies of changed pages (rows since deleted, with `secure_delete` zeroing
 * them in the file) are gone too. False when another connection's read kept it from truncating
 * within 250 ms (the log is then overwritten by later writes).
 */
export async function truncateWriteAheadLog(db: Db): Promise<boolean> {
  // better-sqlite3 is synchronous: waiting the usual 10 s for another process's read would freeze
  // the web process. Wait at most 250 ms; when busy, later writes overwrite the log instead.
  return db.connection().execute(async (c) => {
    await sql`PRAGMA busy_timeout = 250`.execute(c);
    try {
      const { rows } = await sql<{ busy: number }>`PRAGMA wal_checkpoint(TRUNCATE)`.execute(c);
      return rows[0]?.busy === 0;
    } finally {
      await sql`PRAGMA busy_timeout = 10000`.execute(c);
    }
  });
}

function migrator(handle: DatabaseHandle, schema?: string): Migrator {
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, mod] of Object.entries(MIGRATIONS)) {
        out[name] = { up: (db) => mod.up(db, handle.dialect) };
      }
      return out;
    },
  };
  return new Migrator({ db: handle.db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
}

/** Names of migrations not yet applied. */
export async function pendingMigrations(handle: DatabaseHandle, schema?: string): Promise<string[]> {
  const all = await migrator(handle, schema).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}

/** Applies migrations up to and including `name` (tests of a migration over older data). */
export async function migrateTo(handle: DatabaseHandle, name: string, schema?: string): Promise<void> {
  if (handle.dialect === 'postgres' && schema) await handle.db.schema.createSchema(schema).ifNotExists().execute();
  const { error } = await migrator(handle, schema).migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

export async function migrate(handle: DatabaseHandle, schema?: string): Promise<string[]> {
  if (handle.dialect === 'postgres' && schema) {
    await handle.db.schema.createSchema(schema).ifNotExists().execute();
  }
  const { error, results } = await migrator(handle, schema).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${(error as Error).message ?? error}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
