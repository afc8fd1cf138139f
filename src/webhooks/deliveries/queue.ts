import { sql } from 'kysely';
import { STANDARD_COLUMNS, type QueueSpec } from '../../delivery/queue-spec.js';

/**
 * `webhook_deliveries` as a delivery queue (delivery/queue-spec.ts): one row per event and
 * endpoint. A pending row is ready once due and while its endpoint is on (a disabled endpoint's
 * deliveries wait, and go out if it is turned on again). Settles are fenced on the lease and on
 * `status = 'pending'`.
 */
export const DELIVERY_QUEUE: QueueSpec = {
  table: 'webhook_deliveries',
  columns: STANDARD_COLUMNS,
  statuses: { ready: 'pending', failed: 'failed' },
};

export const READY = sql`status = 'pending'`;

/**
 * The retry schedule after each failed attempt (docs/webhooks.md): 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 10 h, 14 h, 14 h, 14 h — eleven attempts over about 2.9 days, then the delivery has failed.
 */
export const RETRY_SCHEDULE_MS = [
  5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000, 50_400_000, 50_400_000, 50_400_000,
];

/** When to try again after `failures` failed attempts, or null: the schedule is used up. */
export function retryDelayMs(failures: number): number | null {
  return RETRY_SCHEDULE_MS[failures - 1] ?? null;
}
