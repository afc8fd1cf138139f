import type { Db } from '../../db/index.js';
import { ATTEMPT_HANDED_BACK, fencedUpdate, PENDING, type Lease } from './lease.js';

/**
 * pending (leased) → pending in the verify queue: the service accepted the album save, and with
 * the rate budget short its verification waits (saves first, fulfillment/process.ts). The row
 * keeps no lease while it waits and is not counted saved until verified; `save_accepted_at` marks
 * it (migration 015). Due again at `at`, or at once (outcomes alike batch into one statement). Nothing
 * failed, so the claim's attempt is handed back.
 */
export function awaitVerify(db: Db, leases: readonly Lease[], o: { at?: number }, now: number) {
  return fencedUpdate(
    db,
    leases,
    { save_accepted_at: now, next_attempt_at: o.at ?? now, last_error: null, attempts: ATTEMPT_HANDED_BACK },
    PENDING,
    now,
  );
}
