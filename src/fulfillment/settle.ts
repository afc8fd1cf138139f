import type { Db } from '../db/index.js';

/**
 * Settling a claimed pre-save. Every write is fenced by the lease token taken at claim time and
 * by `status = 'pending'`: a worker whose lease expired (and whose row another worker took), or a
 * pre-save cancelled meanwhile, changes nothing. Each returns whether the write applied.
 */
interface Lease {
  id: number;
  leaseToken: string;
}

const released = { lease_owner: null, lease_token: null, lease_until: null } as const;

async function fenced(db: Db, lease: Lease, set: Record<string, unknown>): Promise<boolean> {
  const res = await db
    .updateTable('presaves')
    .set({ ...released, ...set })
    .where('id', '=', lease.id)
    .where('lease_token', '=', lease.leaseToken)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export function settleSaved(db: Db, lease: Lease, uris: string[], now: number): Promise<boolean> {
  return fenced(db, lease, { status: 'saved', saved_uris: JSON.stringify(uris), saved_at: now, last_error: null, updated_at: now });
}

export function settleFailed(db: Db, lease: Lease, reason: string, now: number): Promise<boolean> {
  return fenced(db, lease, { status: 'failed', failure_reason: reason, last_error: reason, updated_at: now });
}

export function settleCancelled(db: Db, lease: Lease, reason: string, now: number): Promise<boolean> {
  return fenced(db, lease, { status: 'cancelled', failure_reason: reason, updated_at: now });
}

/**
 * Puts the pre-save back for a later attempt. `attempts` is the count of consecutive failed
 * tries; waits that are not this pre-save's fault (release not out yet, a service-wide
 * Retry-After) pass the count they should keep.
 */
export function settleRetry(db: Db, lease: Lease, p: { at: number; error: string; attempts?: number }, now: number): Promise<boolean> {
  return fenced(db, lease, {
    next_attempt_at: p.at,
    last_error: p.error,
    updated_at: now,
    ...(p.attempts !== undefined ? { attempts: p.attempts } : {}),
  });
}
