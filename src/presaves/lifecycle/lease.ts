import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../db/index.js';
import type { Database } from '../../db/schema.js';

/** What a claim hands a worker: the row and the token that fences every write it makes to it. */
export interface Lease {
  id: number;
  grantId: number;
  leaseToken: string;
}

/** Every settling transition gives the lease up in the same statement. */
export const RELEASED = { lease_owner: null, lease_token: null, lease_until: null } as const;

/** `attempts` counts claims; a claim that was not this pre-save's fault is handed back (never below 0). */
export const ATTEMPT_HANDED_BACK = sql<number>`CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END`;

export type PresaveFence = (eb: ExpressionBuilder<Database, 'presaves'>) => Expression<SqlBool>;

/** Only pending pre-saves: a row cancelled or erased while in flight is never overwritten. */
export const PENDING: PresaveFence = (eb) => eb('status', '=', 'pending');

/**
 * One UPDATE for many leases, fenced row by row on `(id, lease_token)` (and on `fence`), giving
 * the lease up. Resolves to the ids it changed: a lease that expired (and was taken by another
 * worker) or a row no longer in the fenced state is simply not among them.
 */
export async function fencedUpdate(
  db: Db,
  leases: readonly Lease[],
  set: Record<string, unknown>,
  fence: PresaveFence,
  now: number,
): Promise<Set<number>> {
  if (!leases.length) return new Set();
  const pairs = sql.join(leases.map((l) => sql`(CAST(${l.id} AS bigint), CAST(${l.leaseToken} AS text))`));
  const rows = await db
    .updateTable('presaves')
    .set({ ...RELEASED, ...set, updated_at: now })
    .where(sql<boolean>`(id, lease_token) IN (VALUES ${pairs})`)
    .where(fence)
    .returning('id')
    .execute();
  return new Set(rows.map((r) => Number(r.id)));
}
