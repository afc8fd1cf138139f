import { sql } from 'kysely';
import { STANDARD_COLUMNS, type QueueSpec } from '../../delivery/queue-spec.js';

/**
 * The `messages` table as a delivery queue (delivery/queue-spec.ts): a pending row is ready once
 * `next_attempt_at` has come; `failed` is what a re-drive puts back. Every settle is fenced on
 * `status = 'pending'` (READY) as well as on the lease, so a message cancelled while a worker held
 * it (withdrawal, erasure, a bounce) stays cancelled.
 */
export const MESSAGE_QUEUE: QueueSpec = {
  table: 'messages',
  columns: STANDARD_COLUMNS,
  statuses: { ready: 'pending', failed: 'failed' },
};

export const READY = sql`status = 'pending'`;
