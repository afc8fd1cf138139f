import { STANDARD_COLUMNS, type QueueSpec } from '../../delivery/queue-spec.js';

/**
 * The pre-save queue, for the generic delivery builders (src/delivery/). Only this folder uses
 * it: test/lifecycle-owner.test.ts fails if another file imports it.
 */
export const PRESAVE_QUEUE: QueueSpec = {
  table: 'presaves',
  columns: STANDARD_COLUMNS,
  statuses: { ready: 'pending', failed: 'failed' },
};
