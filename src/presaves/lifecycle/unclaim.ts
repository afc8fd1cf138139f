import { sql } from 'kysely';
import type { Db } from '../../db/index.js';
import { ATTEMPT_HANDED_BACK, fencedUpdate, type Lease } from './lease.js';

/**
 * Leased, never started (the worker is stopping) → back as it was, for anyone: the lease goes,
 * the claim's attempt is handed back. Either kind of claim: a pending pre-save or a queued follow.
 */
export function unclaim(db: Db, leases: readonly Lease[], now: number) {
  return fencedUpdate(db, leases, { attempts: ATTEMPT_HANDED_BACK }, sql<boolean>`(status = 'pending' OR follow_status = 'queued')`, now);
}
