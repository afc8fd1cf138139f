import type { Db } from '../../db/index.js';
import { followColumns, type FollowOutcome } from './follow-outcome.js';
import { fencedUpdate, PENDING, type Lease } from './lease.js';

/** pending (leased) → saved: the album is in the fan's library, verified; the follow's outcome rides along. */
export function settleSaved(db: Db, leases: readonly Lease[], o: { uris: string[]; follow?: FollowOutcome }, now: number) {
  return fencedUpdate(
    db,
    leases,
    {
      status: 'saved',
      saved_uris: JSON.stringify(o.uris),
      saved_at: now,
      last_error: null,
      ...(o.follow ? followColumns(o.follow) : {}),
    },
    PENDING,
    now,
  );
}
