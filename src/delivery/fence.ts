import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/index.js';
import type { Lease, QueueSpec } from './queue-spec.js';

/**
 * A fenced settle: one UPDATE for many leases, fenced row by row on `(id, lease_token)` and on
 * `fence` (the state the rows must still be in), giving the lease up in the same statement.
 * Resolves to the ids it changed: a lease that expired (and was taken by another worker), or a
 * row no longer in the fenced state (cancelled meanwhile), is simply not among them.
 *
 * `set` maps column names to values or SQL expressions (counts go up inside the statement:
 * `sql\`failures + 1\``).
 */
export async function fencedUpdate(
  db: Db,
  spec: QueueSpec,
  leases: readonly Lease[],
  set: Record<string, unknown>,
  fence: RawBuilder<unknown>,
  now: number,
): Promise<Set<number>> {
  if (!leases.length) return new Set();
  const c = spec.columns;
  const columns: Record<string, unknown> = { [c.leaseOwner]: null, [c.leaseToken]: null, [c.leaseUntil]: null, ...set, [c.updatedAt]: now };
  const assignments = sql.join(Object.entries(columns).map(([k, v]) => sql`${sql.ref(k)} = ${v}`));
  const pairs = sql.join(leases.map((l) => sql`(CAST(${l.id} AS bigint), CAST(${l.leaseToken} AS text))`));
  const result = await sql<{ id: number | string }>`
    UPDATE ${sql.table(spec.table)} SET ${assignments}
     WHERE (${sql.ref(c.id)}, ${sql.ref(c.leaseToken)}) IN (VALUES ${pairs})
       AND ${fence}
    RETURNING ${sql.ref(c.id)} AS id`.execute(db);
  return new Set(result.rows.map((r) => Number(r.id)));
}
