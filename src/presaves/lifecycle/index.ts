/**
 * The pre-save lifecycle: the one owner of the `presaves` table. Every write to a pre-save row
 * is one of the transitions below, one file each, each a single statement (batched over many
 * rows where the caller has many), with the attempt and failure counting inside that statement.
 * Nothing outside this folder writes `presaves` (test/lifecycle-owner.test.ts fails if it does).
 *
 * States (`status`; a saved pre-save's follow has its own `follow_status`):
 *
 *   (none) ─create─▶ PENDING ─claim─▶ PENDING + lease ─settle-saved─────▶ SAVED (follow: done | failed | queued | waiting)
 *                     ▲   ▲                  │                             │ follow queued ─claim─▶ + lease ─settle-follow─┐
 *                     │   └──────────────────┤ defer, failed-attempt,      │ ◀─────────────────────────────────────────────┘
 *                     │                      │ await-release, unclaim      │ follow failed | waiting ─requeue-follows─▶ queued
 *                     │                      ├─settle-failed────▶ FAILED ─redrive─▶ PENDING
 *                     │                      └─settle-cancelled─▶ CANCELLED (the engine: campaign deleted or archived)
 *                     ├─ reauthorize (from PENDING, FAILED, CANCELLED: the fan authorized again)
 *                     └─ wake-parked, reschedule (stays PENDING with a new due time)
 *   cancel (the fan): PENDING → CANCELLED.   erase (the fan): any → deleted.
 *   A lease that runs out is not a write: the next claim takes the row (that is the reaper).
 *   Saves first (budget short; migration 015): PENDING + lease ─await-verify─▶ PENDING in the
 *   verify queue (`save_accepted_at` set, no lease) ─claim─▶ + lease ─settle-saved─▶ SAVED, or
 *   ─verify-missed─▶ PENDING in the save queue (the album is saved again). Claims take due saves
 *   first, then verifications, then follows.
 *

 * Which transition changes what (`+1`: counted inside the statement; `↺`: handed back, i.e. the
 * claim's +1 undone; `0`: reset; `–`: untouched). Fenced: the statement requires
 * `(id, lease_token)` of the claim, so a worker whose lease expired changes nothing.
 *
 * | transition          | file                 | status                 | attempts | failures | follow_attempts | lease    | fenced |
 * |---------------------|----------------------|------------------------|----------|----------|-----------------|----------|--------|
 * | create              | create.ts            | → pending              | 0        | 0        | 0               | none     | –      |
 * | reauthorize         | reauthorize.ts       | not saved → pending    | 0        | 0        | –               | –        | status |
 * | claim (due, follow) | claim.ts             | –                      | +1       | –        | –               | taken    | –      |
 * | settle saved        | settle-saved.ts      | pending → saved        | –        | –        | +1 if follow failed | released | lease |
 * | settle follow       | settle-follow.ts     | saved (follow → …)     | –        | –        | +1 if failed    | released | lease  |
 * | settle failed       | settle-failed.ts     | pending → failed       | –        | –        | –               | released | lease  |
 * | settle cancelled    | settle-cancelled.ts  | pending → cancelled    | –        | –        | –               | released | lease  |
 * | defer               | defer.ts             | pending, due later     | ↺        | –        | –               | released | lease  |
 * | failed attempt      | failed-attempt.ts    | pending, backoff       | –        | +1       | –               | released | lease  |
 * | await release       | await-release.ts     | pending, poll later    | 0        | –        | –               | released | lease  |
 * | await verify        | await-verify.ts      | pending, verify queue  | ↺        | –        | –               | released | lease  |
 * | verify missed       | verify-missed.ts     | pending, save queue    | –        | +1       | –               | released | lease  |
 * | unclaim             | unclaim.ts           | –                      | ↺        | –        | –               | released | lease  |
 * | cancel (fan)        | cancel.ts            | pending → cancelled    | –        | –        | –               | –        | status |
 * | erase (fan)         | erase.ts             | any → (deleted)        | –        | –        | –               | –        | –      |
 * | redrive (operator)  | redrive.ts           | failed → pending       | 0        | 0        | –               | –        | status |
 * | requeue follows     | requeue-follows.ts   | saved (follow → queued)| –        | –        | 0               | –        | status |
 * | wake parked         | wake-parked.ts       | pending, due now       | –        | –        | –               | none only| status |
 * | reschedule          | reschedule.ts        | pending, new due time  | 0        | 0        | –               | –        | status |
 *
 * Shared pieces: lease.ts (the fenced UPDATE every settling transition uses, on
 * delivery/fence.ts), queue.ts (the pre-save QueueSpec for the generic builders in src/delivery/),
 * follow-outcome.ts (the follow's columns), live-grant.ts (re-drive filters), settlement.ts (the
 * worker's outcomes → these transitions). A new transition is a new file here and a row above.
 *
 * `attempts` counts claims (a crash mid-claim counts too); `failures` counts attempts that
 * reached the service and failed, which is what WORKER_MAX_ATTEMPTS limits; a row interrupted
 * 3 × WORKER_MAX_ATTEMPTS times (attempts − failures) is given up as poison. A lease that expires
 * is not a write: the next claim takes the row.
 */
export { awaitRelease } from './await-release.js';
export { awaitVerify } from './await-verify.js';
export { cancelPresave } from './cancel.js';
export { claimDuePresaves, nextDueAt, type ClaimExclusions } from './claim.js';
export { createPresave } from './create.js';
export { deferPresaves } from './defer.js';
export { erasePresave } from './erase.js';
export { failedAttempt } from './failed-attempt.js';
export { type FollowOutcome } from './follow-outcome.js';
export { type Lease } from './lease.js';
export { reauthorizePresave } from './reauthorize.js';
export { redrivePresaves } from './redrive.js';
export { requeueFollows } from './requeue-follows.js';
export { reschedulePending } from './reschedule.js';
export { settleCancelled } from './settle-cancelled.js';
export { settleFailed } from './settle-failed.js';
export { settleFollow } from './settle-follow.js';
export { settleSaved } from './settle-saved.js';
export { applySettlement, finishesWithGrant, type Settlement } from './settlement.js';
export { unclaim } from './unclaim.js';
export { verifyMissed } from './verify-missed.js';
export { wakeParked } from './wake-parked.js';
