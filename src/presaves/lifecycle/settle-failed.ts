import type { Db } from '../../db/index.js';
import { fencedUpdate, PENDING, type Lease } from './lease.js';

/** pending (leased) → failed: given up, with the reason the fan and the artist see. */
export function settleFailed(db: Db, leases: readonly Lease[], reason: string, now: number) {
  return fencedUpdate(db, leases, { status: 'failed', failure_reason: reason, last_error: reason }, PENDING, now);
}
