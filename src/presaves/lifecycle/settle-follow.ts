import { sql } from 'kysely';
import type { Db } from '../../db/index.js';
import { followColumns, type FollowOutcome } from './follow-outcome.js';
import { fencedUpdate, type Lease } from './lease.js';

/**
 * saved, follow queued (leased) → the follow's outcome; the row stays `saved`. Fenced on the
 * follow still being queued, so a re-drive or resume in between is not overwritten.
 */
export function settleFollow(db: Db, leases: readonly Lease[], follow: FollowOutcome, now: number) {
  return fencedUpdate(db, leases, followColumns(follow), sql<boolean>`status = 'saved' AND follow_status = 'queued'`, now);
}
