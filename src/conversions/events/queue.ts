import { sql } from 'kysely';
import { STANDARD_COLUMNS, type QueueSpec } from '../../delivery/queue-spec.js';

/**
 * `conversion_events` as a delivery queue (delivery/queue-spec.ts): a pending row is ready once its
 * `next_attempt_at` has come; `failed` is what a re-drive puts back. Settles are fenced on the
 * lease and on `status = 'pending'`.
 */
export const CONVERSION_QUEUE: QueueSpec = {
  table: 'conversion_events',
  columns: STANDARD_COLUMNS,
  statuses: { ready: 'pending', failed: 'failed' },
};

export const READY = sql`status = 'pending'`;
