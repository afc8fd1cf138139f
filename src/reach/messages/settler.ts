import type { Db } from '../../db/index.js';
import type { Lease } from '../../delivery/queue-spec.js';
import { Settler } from '../../delivery/settler.js';
import { settleMessages, type MessageOutcome } from './lifecycle/settle.js';

/**
 * The message queue's batched, fenced settle (delivery/settler.ts): outcomes written together a
 * few milliseconds later, one statement per distinct outcome, each fenced on its lease and on
 * `status = 'pending'`.
 */
export function messageSettler(db: Db, now: () => number): Settler<Lease, MessageOutcome> {
  return new Settler<Lease, MessageOutcome>({ write: (leases, s, at) => settleMessages(db, leases, s, at) }, now);
}
