import { sql } from 'kysely';
import type { Db } from '../../db/index.js';
import { fencedUpdate } from '../../delivery/fence.js';
import type { Lease } from '../../delivery/queue-spec.js';
import { Settler } from '../../delivery/settler.js';
import { DELIVERY_QUEUE, READY } from './queue.js';

/**
 * The outcomes of one attempt, each one fenced statement on the lease and `status = 'pending'`:
 * - `delivered`: the receiver answered 2xx;
 * - `retry`: any other answer or no answer, again at `at` (`failures + 1`);
 * - `failed`: given up (the retry schedule is used up, or 410 Gone);
 * - `defer`: the governor said wait — again at `at`, the claim not counted;
 * - `unclaim`: handed back unstarted (the worker is stopping).
 * `code`, `error` and `excerpt` are what the delivery log shows of the attempt.
 */
export type DeliveryOutcome =
  | { kind: 'delivered'; code: number; excerpt: string }
  | { kind: 'retry'; at: number; code: number | null; error: string; excerpt: string | null }
  | { kind: 'failed'; code: number | null; error: string; excerpt: string | null }
  | { kind: 'defer'; at: number }
  | { kind: 'unclaim' };

function columns(s: DeliveryOutcome, now: number): Record<string, unknown> {
  switch (s.kind) {
    case 'delivered':
      return {
        status: 'delivered',
        delivered_at: now,
        last_attempt_at: now,
        last_status_code: s.code,
        last_error: null,
        response_excerpt: s.excerpt,
      };
    case 'retry':
      return {
        next_attempt_at: s.at,
        failures: sql`failures + 1`,
        last_attempt_at: now,
        last_status_code: s.code,
        last_error: s.error.slice(0, 500),
        response_excerpt: s.excerpt,
      };
    case 'failed':
      return {
        status: 'failed',
        failures: sql`failures + 1`,
        last_attempt_at: now,
        last_status_code: s.code,
        last_error: s.error.slice(0, 500),
        response_excerpt: s.excerpt,
      };
    case 'defer':
      return { next_attempt_at: s.at, attempts: sql`attempts - 1` };
    case 'unclaim':
      return { attempts: sql`attempts - 1` };
  }
}

export function settleDeliveries(db: Db, leases: readonly Lease[], s: DeliveryOutcome, now: number): Promise<Set<number>> {
  return fencedUpdate(db, DELIVERY_QUEUE, leases, columns(s, now), READY, now);
}

/** The batched, fenced settle (delivery/settler.ts). */
export function deliverySettler(db: Db, now: () => number): Settler<Lease, DeliveryOutcome> {
  return new Settler<Lease, DeliveryOutcome>({ write: (leases, s, at) => settleDeliveries(db, leases, s, at) }, now);
}
