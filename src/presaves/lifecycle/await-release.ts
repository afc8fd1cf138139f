import type { Db } from '../../db/index.js';
import { fencedUpdate, PENDING, type Lease } from './lease.js';

/**
 * pending (leased) → pending at `at`: the release is not on the service yet. Waiting for it is
 * nobody's fault, so the claim count starts again (the release polling cadence decides `at`, and
 * WORKER_RELEASE_SEARCH_HOURS when to give up).
 */
export function awaitRelease(db: Db, leases: readonly Lease[], o: { at: number; error: string }, now: number) {
  return fencedUpdate(db, leases, { next_attempt_at: o.at, last_error: o.error, attempts: 0 }, PENDING, now);
}
