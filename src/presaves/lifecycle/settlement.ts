import type { Db } from '../../db/index.js';
import { awaitRelease } from './await-release.js';
import { awaitVerify } from './await-verify.js';
import { deferPresaves } from './defer.js';
import { failedAttempt } from './failed-attempt.js';
import { followKeepsGrant, type FollowOutcome } from './follow-outcome.js';
import type { Lease } from './lease.js';
import { settleCancelled } from './settle-cancelled.js';
import { settleFailed } from './settle-failed.js';
import { settleFollow } from './settle-follow.js';
import { settleSaved } from './settle-saved.js';
import { unclaim } from './unclaim.js';
import { verifyMissed } from './verify-missed.js';

/**
 * How a leased row ends its claim: one value per fenced transition. The worker's Settler queues
 * these and writes each group of equal ones with one statement (`applySettlement`).
 */
export type Settlement =
  | { kind: 'saved'; uris: string[]; follow?: FollowOutcome }
  /** A saved pre-save's follow, tried from the follow queue. */
  | { kind: 'follow'; follow: FollowOutcome }
  | { kind: 'failed'; reason: string }
  | { kind: 'cancelled'; reason: string }
  /** Back at `at`, not this pre-save's fault: the attempt is handed back. */
  | { kind: 'defer'; at: number; error: string }
  /** Back at `at` after an attempt that reached the service and failed: counts toward giving up. */
  | { kind: 'failedAttempt'; at: number; error: string }
  /** Back at `at`: the release is not out on the service yet. */
  | { kind: 'awaitRelease'; at: number; error: string }
  /** The service accepted the album save; its verification waits in the verify queue (budget short). */
  | { kind: 'awaitVerify'; at?: number }
  /** Verified from the verify queue and not in the library: back to the save queue at `at`, a failed attempt. */
  | { kind: 'verifyMissed'; at: number; error: string }
  /** Claimed but never started (the worker is stopping): back as it was, for anyone. */
  | { kind: 'unclaim' };

/** Writes one settlement for many leases; the ids it changed (the others were fenced out). */
export function applySettlement(db: Db, leases: readonly Lease[], s: Settlement, now: number): Promise<Set<number>> {
  switch (s.kind) {
    case 'saved':
      return settleSaved(db, leases, s, now);
    case 'follow':
      return settleFollow(db, leases, s.follow, now);
    case 'failed':
      return settleFailed(db, leases, s.reason, now);
    case 'cancelled':
      return settleCancelled(db, leases, s.reason, now);
    case 'defer':
      return deferPresaves(db, leases, s, now);
    case 'failedAttempt':
      return failedAttempt(db, leases, s, now);
    case 'awaitRelease':
      return awaitRelease(db, leases, s, now);
    case 'awaitVerify':
      return awaitVerify(db, leases, s, now);
    case 'verifyMissed':
      return verifyMissed(db, leases, s, now);
    case 'unclaim':
      return unclaim(db, leases, now);
  }
}

/**
 * Whether the settled row is done with the fan's authorization: the grant can be released once
 * no other pre-save needs it. A failed pre-save keeps its grant for a while so an operator can
 * re-drive it (the worker's sweep releases those later); a follow queued or waiting still needs it.
 */
export function finishesWithGrant(s: Settlement): boolean {
  if (s.kind === 'saved' || s.kind === 'follow') return !followKeepsGrant(s.follow);
  return s.kind === 'cancelled';
}
