import { sql } from 'kysely';
import type { Db } from '../../db/index.js';
import { fencedUpdate } from '../../delivery/fence.js';
import type { Lease } from '../../delivery/queue-spec.js';
import { Settler } from '../../delivery/settler.js';
import { CONVERSION_QUEUE, READY } from './queue.js';

/**
 * The outcomes of one attempt, each one fenced statement (delivery/fence.ts):
 * - `sent`: the platform accepted it;
 * - `retry`: transient (timeout, 5xx), again at `at`, `failures + 1`;
 * - `failed`: given up — a permanent answer (a refused token, a refused payload) or too many retries;
 * - `cancelled`: nothing to send it with any more (the artist removed the platform, or its token was refused);
 * - `defer`: the governor said wait: again at `at`, the claim not counted;
 * - `unclaim`: handed back unstarted (the worker is stopping).
 */
export type ConversionOutcome =
  | { kind: 'sent' }
  | { kind: 'retry'; at: number; error: string }
  | { kind: 'failed'; error: string }
  | { kind: 'cancelled'; error: string }
  | { kind: 'defer'; at: number }
  | { kind: 'unclaim' };

function columns(s: ConversionOutcome, now: number): Record<string, unknown> {
  switch (s.kind) {
    case 'sent':
      return { status: 'sent', sent_at: now };
    case 'retry':
      return { next_attempt_at: s.at, failures: sql`failures + 1`, last_error: s.error.slice(0, 500) };
    case 'failed':
      return { status: 'failed', failures: sql`failures + 1`, last_error: s.error.slice(0, 500) };
    case 'cancelled':
      return { status: 'cancelled', last_error: s.error.slice(0, 500) };
    case 'defer':
      return { next_attempt_at: s.at, attempts: sql`attempts - 1` };
    case 'unclaim':
      return { attempts: sql`attempts - 1` };
  }
}

export function conversionSettler(db: Db, now: () => number): Settler<Lease, ConversionOutcome> {
  return new Settler<Lease, ConversionOutcome>(
    { write: (leases, s, at) => fencedUpdate(db, CONVERSION_QUEUE, leases, columns(s, at), READY, at) },
    now,
  );
}
