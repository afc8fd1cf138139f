import { sql } from 'kysely';
import type { Db } from '../../db/index.js';
import { fencedUpdate, PENDING, type Lease } from './lease.js';

/**
 * pending (leased) → pending at `at` (backoff): this attempt reached the service and failed, so
 * it counts toward giving up (`failures + 1`, WORKER_MAX_ATTEMPTS). The caller gives up instead
 * (settle-failed.ts) when this would be the last failure allowed.
 */
export function failedAttempt(db: Db, leases: readonly Lease[], o: { at: number; error: string }, now: number) {
  return fencedUpdate(db, leases, { next_attempt_at: o.at, last_error: o.error, failures: sql`failures + 1` }, PENDING, now);
}
