import type { Db } from '../../db/index.js';
import { ATTEMPT_HANDED_BACK, fencedUpdate, PENDING, type Lease } from './lease.js';

/**
 * pending (leased) → pending at `at`, not this pre-save's fault (the service asked us to wait,
 * its quota breaker is open, another worker is refreshing the token, the campaign was just
 * paused): the claim's attempt is handed back and no failure is counted.
 */
export function deferPresaves(db: Db, leases: readonly Lease[], o: { at: number; error: string }, now: number) {
  return fencedUpdate(db, leases, { next_attempt_at: o.at, last_error: o.error, attempts: ATTEMPT_HANDED_BACK }, PENDING, now);
}
