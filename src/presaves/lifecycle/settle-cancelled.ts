import type { Db } from '../../db/index.js';
import { fencedUpdate, PENDING, type Lease } from './lease.js';

/** pending (leased) → cancelled by the engine: the campaign was deleted or archived before release. */
export function settleCancelled(db: Db, leases: readonly Lease[], reason: string, now: number) {
  return fencedUpdate(db, leases, { status: 'cancelled', failure_reason: reason }, PENDING, now);
}
