import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { migrate, migrateTo, openDatabase, type DatabaseHandle, type Dialect } from '../../src/db/index.js';

/**
 * Every test file runs once per dialect: SQLite always, PostgreSQL when TEST_DATABASE_URL is set
 * (CI always sets it). Each run gets its own SQLite file or PostgreSQL schema, so files run in parallel.
 */
export function testDialects(): Dialect[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDb extends DatabaseHandle {
  config: Config;
  drop(): Promise<void>;
}

/** `upTo`: apply migrations only up to that one (to test a later migration over older data). */
export async function createTestDb(dialect: Dialect, env: Record<string, string> = {}, opts: { upTo?: string } = {}): Promise<TestDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dropday-test-'));
  let schema: string | undefined;
  const base: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    ENCRYPTION_KEYS: `test:${randomBytes(32).toString('base64')}`,
    DEMO: 'false',
    ...env,
  };
  if (dialect === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    schema = `t_${randomBytes(6).toString('hex')}`;
    base.DATABASE_URL = url;
    base.DATABASE_SCHEMA = schema;
  }
  const config = loadConfig(base);
  const handle = openDatabase(config);
  if (opts.upTo) await migrateTo(handle, opts.upTo, schema);
  else await migrate(handle, schema);
  return {
    ...handle,
    config,
    async drop() {
      await handle.close().catch(() => {});
      if (schema) {
        const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
