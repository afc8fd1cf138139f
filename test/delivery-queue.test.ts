import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimDue, nextDue } from '../src/delivery/claim.js';
import { fencedUpdate } from '../src/delivery/fence.js';
import { STANDARD_COLUMNS, type QueueSpec } from '../src/delivery/queue-spec.js';
import { redriveFailed } from '../src/delivery/redrive.js';
import { Settler } from '../src/delivery/settler.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

/**
 * The seam for a second kind of work item: a table that is not `presaves` (a made-up mail
 * queue, created only here) driven by the same builders — claim with a lease, fenced settle,
 * re-drive, the batched Settler — with nothing copied from the pre-save lifecycle.
 */
const MAIL: QueueSpec = { table: 'test_mail_queue', columns: STANDARD_COLUMNS, statuses: { ready: 'queued', failed: 'bounced' } };
interface MailRow {
  id: number;
  status: string;
  attempts: number;
  failures: number;
  lease_token: string | null;
}

describe.each(testDialects())('a second queue on the generic delivery builders (%s)', (dialect) => {
  let t: TestDb;
  const NOW = 1_800_000_000_000;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    const id = dialect === 'postgres' ? sql`id BIGSERIAL PRIMARY KEY` : sql`id INTEGER PRIMARY KEY`;
    await sql`CREATE TABLE test_mail_queue (${id}, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
      failures INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, lease_owner TEXT, lease_token TEXT,
      lease_until BIGINT, last_error TEXT, updated_at BIGINT NOT NULL)`.execute(t.db);
  });
  afterAll(() => t.drop());
  beforeEach(async () => {
    await sql`DELETE FROM test_mail_queue`.execute(t.db);
    for (let i = 0; i < 5; i++)
      await sql`INSERT INTO test_mail_queue (status, next_attempt_at, updated_at) VALUES ('queued', ${NOW + (i < 4 ? 0 : 60_000)}, ${NOW})`.execute(
        t.db,
      );
  });

  const ready = sql`status = 'queued'`;
  const claim = (owner: string, limit: number, now = NOW) =>
    claimDue<MailRow>(t.db, dialect, MAIL, { which: ready, owner, leaseToken: `${owner}-${now}`, limit, leaseMs: 30_000, now });
  const rows = async () => (await sql<MailRow>`SELECT * FROM test_mail_queue ORDER BY id`.execute(t.db)).rows;

  it('claims due rows once each, counting the attempt, and knows when the next falls due', async () => {
    const [a, b] = await Promise.all([claim('A', 3), claim('B', 3)]);
    const ids = [...a, ...b].map((r) => Number(r.id));
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    expect([...a, ...b].every((r) => Number(r.attempts) === 1)).toBe(true);
    expect(await nextDue(t.db, MAIL, ready)).toBe(NOW); // leased rows are still ready; the lease guards them
  });

  it('a fenced settle writes only rows whose lease it holds, releasing the lease and counting the failure inside', async () => {
    const held = await claim('A', 4);
    const [again] = await claim('B', 1, NOW + 31_000); // A's leases ran out: B takes one of A's rows
    const row = held.find((r) => Number(r.id) === Number(again!.id));
    const bounce = { status: 'bounced', failures: sql`failures + 1` };
    const stale = { id: Number(row!.id), leaseToken: row!.lease_token! };
    expect([...(await fencedUpdate(t.db, MAIL, [stale], bounce, ready, NOW + 32_000))]).toEqual([]);
    const lease = { id: Number(again!.id), leaseToken: again!.lease_token! };
    expect([...(await fencedUpdate(t.db, MAIL, [lease], bounce, ready, NOW + 32_000))]).toEqual([lease.id]);
    const after = (await rows()).find((r) => Number(r.id) === lease.id)!;
    expect(after).toMatchObject({ status: 'bounced', lease_token: null });
    expect(Number(after.failures)).toBe(1);
    // Re-drive puts it back with fresh counts; a second run finds nothing.
    expect(await redriveFailed(t.db, MAIL, { which: sql`1 = 1`, now: NOW + 2 })).toBe(1);
    expect(await redriveFailed(t.db, MAIL, { which: sql`1 = 1`, now: NOW + 2 })).toBe(0);
    expect((await rows()).find((r) => Number(r.id) === lease.id)).toMatchObject({ status: 'queued' });
  });

  it('the batched Settler writes a group of like outcomes in one statement and reports which applied', async () => {
    const claimed = await claim('A', 4);
    let statements = 0;
    const settler = new Settler<{ id: number; leaseToken: string }, { kind: 'sent' }>(
      {
        write: (leases, _s, now) => {
          statements++;
          return fencedUpdate(t.db, MAIL, leases, { status: 'sent' }, ready, now);
        },
      },
      () => NOW,
    );
    const results = await Promise.all(
      claimed.map((r, i) => settler.settle({ id: Number(r.id), leaseToken: i === 3 ? 'wrong' : r.lease_token! }, { kind: 'sent' })),
    );
    await settler.flush();
    expect(results).toEqual([true, true, true, false]);
    expect(statements).toBe(1);
  });
});
