/**
 * THE ONLY WRITER of `webhook_events` and `webhook_deliveries` (docs/webhooks.md): one file per
 * transition.
 *
 *   record (event + its deliveries) ──► pending ──claim (lease, attempts+1)──► pending, held
 *                                          ▲  ▲                                     │
 *                                          │  └── retry (failures+1, schedule) ◄────┤
 *                                          │  └── defer / unclaim (attempts-1) ◄────┤
 *                               resend ────┤                                        ├──► delivered (2xx)
 *                                          │                                        └──► failed (schedule used up, 410)
 *                              delivered / failed
 *
 * Settles are fenced on the lease and on `status = 'pending'` (settle.ts).
 */
export { recordEvent, channelKeyOf, newMsgId } from './record.js';
export { claimDueDeliveries, nextDueDelivery, type DeliveryRow } from './claim.js';
export { settleDeliveries, deliverySettler, type DeliveryOutcome } from './settle.js';
export { resendDelivery } from './resend.js';
export { DELIVERY_QUEUE, RETRY_SCHEDULE_MS, retryDelayMs } from './queue.js';
