import { sql } from 'kysely';
import type { Db } from '../../db/index.js';
import { fencedUpdate, PENDING, type Lease } from './lease.js';

/**
 * pending in the verify queue (leased) → pending in the save queue at `at` (backoff): the service
 * had accepted the save, but the album is not in the library. It counts as a failed attempt
 * (`failures + 1`) and the album is saved again; the caller gives up instead (settle-failed.ts)
 * when this would be the last failure allowed.
 */
export function verifyMissed(db: Db, leases: readonly Lease[], o: { at: number; error: string }, now: number) {
  return fencedUpdate(
    db,
    leases,
    { save_accepted_at: null, next_attempt_at: o.at, last_error: o.error, failures: sql`failures + 1` },
    PENDING,
    now,
  );
}
