import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/index.js';
import { fencedUpdate as fencedQueueUpdate } from '../../delivery/fence.js';
import type { Lease as QueueLease } from '../../delivery/queue-spec.js';
import { PRESAVE_QUEUE } from './queue.js';

/** A claimed pre-save's lease; the grant rides along so a settle can release the fan's tokens. */
export interface Lease extends QueueLease {
  grantId: number;
}

/** `attempts` counts claims; a claim that was not this pre-save's fault is handed back (never below 0). */
export const ATTEMPT_HANDED_BACK = sql<number>`CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END`;

/** Only pending pre-saves: a row cancelled or erased while in flight is never overwritten. */
export const PENDING = sql<boolean>`status = 'pending'`;

/**
 * One UPDATE for many leases, fenced row by row on `(id, lease_token)` (and on `fence`), giving
 * the lease up (delivery/fence.ts). Resolves to the ids it changed: a lease that expired (and
 * was taken by another worker) or a row no longer in the fenced state is not among them.
 */
export function fencedUpdate(
  db: Db,
  leases: readonly Lease[],
  set: Record<string, unknown>,
  fence: RawBuilder<boolean>,
  now: number,
): Promise<Set<number>> {
  return fencedQueueUpdate(db, PRESAVE_QUEUE, leases, set, fence, now);
}
