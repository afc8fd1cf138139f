import { sql } from 'kysely';
import type { Db } from '../../../db/index.js';
import { fencedUpdate } from '../../../delivery/fence.js';
import type { Lease } from '../../../delivery/queue-spec.js';
import { MESSAGE_QUEUE, READY } from '../queue.js';

/**
 * The outcomes of one attempt at a message, each one fenced statement (delivery/fence.ts) on the
 * lease and on `status = 'pending'`:
 * - `sent`: the far side accepted it (`variant`: what it said of a pre-save: verified | failed | none);
 * - `retry`: a transient failure, again at `at` (`failures + 1`);
 * - `failed`: given up (a permanent answer, or `maxFailures` transient ones), with a reason code;
 * - `not_sent`: nothing could send it (no mail configured): recorded, visibly, not retried;
 * - `cancelled`: at send time the fan may no longer be written to (consent withdrawn, not confirmed);
 * - `defer`: not the message's fault (the governor said wait, the pre-save is still saving):
 *   again at `at`, the claim not counted (`attempts - 1`);
 * - `unclaim`: handed back unstarted (the worker is stopping), the claim not counted.
 */
export type MessageOutcome =
  | { kind: 'sent'; variant: string | null }
  | { kind: 'retry'; at: number; error: string }
  | { kind: 'failed'; reason: string; error: string }
  | { kind: 'not_sent'; reason: string }
  | { kind: 'cancelled'; reason: string }
  | { kind: 'defer'; at: number }
  | { kind: 'unclaim' };

export function outcomeColumns(s: MessageOutcome, now: number): Record<string, unknown> {
  switch (s.kind) {
    case 'sent':
      return { status: 'sent', sent_at: now, variant: s.variant, failure_reason: null };
    case 'retry':
      return { next_attempt_at: s.at, failures: sql`failures + 1`, last_error: s.error.slice(0, 500) };
    case 'failed':
      return { status: 'failed', failures: sql`failures + 1`, failure_reason: s.reason, last_error: s.error.slice(0, 500) };
    case 'not_sent':
      return { status: 'not_sent', failure_reason: s.reason };
    case 'cancelled':
      return { status: 'cancelled', failure_reason: s.reason };
    case 'defer':
      return { next_attempt_at: s.at, attempts: sql`attempts - 1` };
    case 'unclaim':
      return { attempts: sql`attempts - 1` };
  }
}

/** One outcome for many leases: the ids it changed (a lease lost, or a message cancelled meanwhile, is not among them). */
export function settleMessages(db: Db, leases: readonly Lease[], s: MessageOutcome, now: number): Promise<Set<number>> {
  return fencedUpdate(db, MESSAGE_QUEUE, leases, outcomeColumns(s, now), READY, now);
}
