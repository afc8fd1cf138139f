/**
 * Durable delivery, generically: a table whose rows are work items (no separate job table), with
 * a status, a next attempt time, counts, and a lease. The pre-save lifecycle
 * (presaves/lifecycle/queue.ts) is the first queue; a second kind of work item (mail, push,
 * webhooks) declares its own QueueSpec for its own table and reuses the builders here — claim
 * with a lease (claim.ts), fenced settle (fence.ts), re-drive (redrive.ts) — together with the
 * batched writer (settler.ts), the shared rate governor (governor.ts, keyed by any
 * string), backoff (backoff.ts) and the loop (loop.ts, for a WorkKind: kind.ts).
 *
 * A queue's table needs these columns (the names are the spec's):
 *   id (bigint key), status (text), next_attempt_at (epoch ms), attempts (claims: +1 per claim),
 *   failures (attempts that reached the far side and failed), lease_owner, lease_token,
 *   lease_until (epoch ms), last_error, updated_at (epoch ms);
 * and an index on (status, next_attempt_at) so a claim reads only due rows.
 */
export interface QueueSpec {
  /** The table whose rows are the work items. */
  table: string;
  columns: {
    id: string;
    status: string;
    nextAttemptAt: string;
    attempts: string;
    failures: string;
    leaseOwner: string;
    leaseToken: string;
    leaseUntil: string;
    lastError: string;
    updatedAt: string;
  };
  statuses: {
    /** Waiting for (another) attempt: what a claim takes once it is due. */
    ready: string;
    /** Given up: what a re-drive puts back. */
    failed: string;
  };
}

/** The column names most queues use (the pre-save queue's). */
export const STANDARD_COLUMNS: QueueSpec['columns'] = {
  id: 'id',
  status: 'status',
  nextAttemptAt: 'next_attempt_at',
  attempts: 'attempts',
  failures: 'failures',
  leaseOwner: 'lease_owner',
  leaseToken: 'lease_token',
  leaseUntil: 'lease_until',
  lastError: 'last_error',
  updatedAt: 'updated_at',
};

/** What a claim hands a worker: the row and the token that fences every write it makes to it. */
export interface Lease {
  id: number;
  leaseToken: string;
}
