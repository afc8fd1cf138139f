/**
 * THE ONLY WRITER of `conversion_events` (docs/conversions.md): one file per transition.
 *
 *   enqueue ──► pending ──claim (lease, attempts+1)──► pending, held
 *                  ▲  ▲                                   │
 *                  │  └── retry (failures+1, backoff) ◄───┤
 *                  │  └── defer / unclaim (attempts-1) ◄──┤
 *                  │                                      ├──► sent
 *                  │                                      ├──► failed (refused token or payload; retries used up)
 *                  │                                      └──► cancelled (platform removed or its token refused)
 *                  └── re-drive (redrive.ts: failed → pending, within the platform's window)
 *
 * Settles are fenced on the lease and on `status = 'pending'` (settle.ts).
 */
export { enqueueConversions } from './enqueue.js';
export { redriveFailedConversions, RESEND_WINDOW_MS } from './redrive.js';
export { claimDueConversions, nextDueConversion, type ConversionRow } from './claim.js';
export { conversionSettler, type ConversionOutcome } from './settle.js';
export type { EventPayload } from './payload.js';
