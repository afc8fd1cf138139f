/**
 * THE ONLY WRITER of `messages` (docs/reach.md "Messages"): one file per transition.
 *
 *   enqueue ──► pending ──claim (lease, attempts+1)──► pending, held
 *                  ▲  ▲                                   │
 *                  │  └── retry (failures+1, backoff) ◄───┤
 *                  │  └── defer / unclaim (attempts-1) ◄──┤
 *                  │                                      ├──► sent (sent_at, variant)
 *        redrive ──┤                                      ├──► failed (failure_reason: bounced | gone | smtp_…)
 *                  │                                      ├──► not_sent (no_mail_configured | no_push_configured)
 *               failed                                    └──► cancelled (at send time: consent withdrawn, …)
 *   cancel: pending (held or not) → cancelled (withdrawal, erasure, suppression)
 *   reschedule: pending out_now → its new release moment (the campaign moved)
 *
 * Settles are fenced on the lease and on `status = 'pending'` (settle.ts).
 */
export { enqueueMessage, type NewMessage } from './enqueue.js';
export { cancelMessages } from './cancel.js';
export { claimDueMessages, nextDueMessage, type MessageRow } from './claim.js';
export { settleMessages, outcomeColumns, type MessageOutcome } from './settle.js';
export { redriveFailedMessages } from './redrive.js';
export { rescheduleOutNow } from './reschedule.js';
