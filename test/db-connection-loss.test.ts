import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from './helpers/db.js';

/**
 * A database failover or `pg_terminate_backend` cuts connections while the process holds them.
 * The process must survive it: the query in progress fails (leases cover its work), the broken
 * connection is discarded, and the next query gets a fresh one. Without an 'error' listener on
 * checked-out clients, node-postgres raises an unhandled 'error' event that kills the process
 * (and fails this test run).
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('losing PostgreSQL connections (postgres)', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('postgres');
  });
  afterAll(() => t?.drop());

  it('a connection cut while checked out fails its next query, and the pool carries on', async () => {
    await t.db.connection().execute(async (conn) => {
      const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(conn);
      const pid = rows[0]!.pid;
      const killed = await sql<{ ok: boolean }>`SELECT pg_terminate_backend(${pid}) AS ok`.execute(t.db);
      expect(killed.rows[0]!.ok).toBe(true);
      await new Promise((r) => setTimeout(r, 300)); // the idle, checked-out client now sees its socket close
      await expect(sql`SELECT 1`.execute(conn)).rejects.toThrow();
    });
    const after = await Promise.all(Array.from({ length: 12 }, (_, i) => sql<{ n: number }>`SELECT ${i}::int AS n`.execute(t.db)));
    expect(after.map((r) => r.rows[0]!.n)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });
});
