import { sql } from 'kysely';
import type { Db } from '../db/index.js';

/**
 * Settling claimed pre-saves, in batches. Every write is fenced by the lease token taken at claim
 * time and by `status = 'pending'`: a worker whose lease expired (and whose row another worker
 * took), or a pre-save cancelled meanwhile, changes nothing. Each outcome resolves to whether its
 * write applied.
 *
 * Outcomes queue up and are written together a few milliseconds later, one UPDATE per group of
 * like outcomes (same lease and result), so a thousand saves cost a handful of statements.
 */
export type Settlement =
  | { kind: 'saved'; uris: string[] }
  | { kind: 'failed'; reason: string }
  | { kind: 'cancelled'; reason: string }
  /**
   * Back for a later attempt; `attempts` set when the wait is not this pre-save's fault;
   * `failed` when this attempt reached the service and failed (it counts toward giving up).
   */
  | { kind: 'retry'; at: number; error: string; attempts?: number; failed?: boolean }
  /** Claimed but never started (the worker is stopping): back as it was, for anyone. */
  | { kind: 'unclaim'; attempts: number };

export interface Lease {
  id: number;
  grantId: number;
  leaseToken: string;
}

interface Queued {
  lease: Lease;
  s: Settlement;
  resolve: (applied: boolean) => void;
  reject: (err: unknown) => void;
}

const RELEASED = { lease_owner: null, lease_token: null, lease_until: null } as const;

function setFor(s: Settlement, now: number): Record<string, unknown> {
  switch (s.kind) {
    case 'saved':
      return { status: 'saved', saved_uris: JSON.stringify(s.uris), saved_at: now, last_error: null };
    case 'failed':
      return { status: 'failed', failure_reason: s.reason, last_error: s.reason };
    case 'cancelled':
      return { status: 'cancelled', failure_reason: s.reason };
    case 'retry':
      return {
        next_attempt_at: s.at,
        last_error: s.error,
        ...(s.attempts !== undefined ? { attempts: Math.max(0, s.attempts) } : {}),
        ...(s.failed ? { failures: sql`failures + 1` } : {}),
      };
    case 'unclaim':
      return { attempts: Math.max(0, s.attempts) };
  }
}

export class Settler {
  private queue: Queued[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly writing = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly opts: { delayMs: number; maxBatch: number; maxWrites: number } = { delayMs: 5, maxBatch: 512, maxWrites: 2 },
  ) {}

  /** Outcomes waiting for a write: the worker stops starting new work when this grows too long. */
  get backlog(): number {
    return this.queue.length;
  }

  settle(lease: Lease, s: Settlement): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ lease, s, resolve, reject });
      this.flushSoon(this.queue.length >= this.opts.maxBatch ? 0 : this.opts.delayMs);
    });
  }

  /** Writes everything queued; resolves when all of it is durable. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.queue.length || this.writing.size) {
      if (this.queue.length) this.startWrite();
      await Promise.race(this.writing);
    }
  }

  /**
   * Up to `maxWrites` batches are written at once; while they are, outcomes keep queueing and
   * the next write takes all of them — the busier the database, the bigger the batches.
   */
  private flushSoon(delayMs: number): void {
    if (this.writing.size >= this.opts.maxWrites) return; // a finishing write starts the next
    if (delayMs === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.startWrite();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flushSoon(0); // still at most maxWrites at once
    }, delayMs);
  }

  private startWrite(): void {
    const batch = this.queue;
    this.queue = [];
    if (!batch.length) return;
    const w = this.write(batch).finally(() => {
      this.writing.delete(w);
      if (this.queue.length) this.flushSoon(0);
    });
    this.writing.add(w);
  }

  private async write(batch: Queued[]): Promise<void> {
    // One UPDATE per distinct outcome (all the saves of a batch share one), fenced row by row
    // on (id, lease_token).
    const groups = new Map<string, Queued[]>();
    for (const q of batch) {
      const key = JSON.stringify(q.s);
      const g = groups.get(key);
      if (g) g.push(q);
      else groups.set(key, [q]);
    }
    const now = this.now();
    const finishedGrants = new Set<number>();
    for (const group of groups.values()) {
      try {
        const leases = sql.join(group.map((q) => sql`(CAST(${q.lease.id} AS bigint), CAST(${q.lease.leaseToken} AS text))`));
        const rows = await this.db
          .updateTable('presaves')
          .set({ ...RELEASED, ...setFor(group[0]!.s, now), updated_at: now })
          .where(sql<boolean>`(id, lease_token) IN (VALUES ${leases})`)
          .where('status', '=', 'pending')
          .returning('id')
          .execute();
        const applied = new Set(rows.map((r) => Number(r.id)));
        for (const q of group) {
          const ok = applied.has(q.lease.id);
          // A failed pre-save keeps its grant for a while so an operator can re-drive it;
          // the worker's sweep releases those later.
          if (ok && (q.s.kind === 'saved' || q.s.kind === 'cancelled')) finishedGrants.add(q.lease.grantId);
          q.resolve(ok);
        }
      } catch (err) {
        for (const q of group) q.reject(err);
      }
    }
    if (finishedGrants.size) await releaseIdleGrants(this.db, [...finishedGrants], now).catch(() => {});
  }
}

/**
 * Deletes the tokens of grants no pending pre-save needs any more: Dropday keeps a fan's access
 * only as long as it has something to do with it. A fan who pre-saves again re-authorizes.
 * With `idleSince`, every grant whose pre-saves all finished before that time (the sweep that
 * catches grants kept for re-driving failures); otherwise just the grants named.
 */
export async function releaseIdleGrants(db: Db, which: number[] | { idleSince: number }, now: number): Promise<number> {
  let q = db
    .updateTable('grants')
    .set({ access_token_enc: '', refresh_token_enc: null, access_expires_at: null, status: 'released', updated_at: now })
    .where('status', '=', 'active');
  if (Array.isArray(which)) q = q.where('id', 'in', which);
  const res = await q
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('presaves')
            .select('presaves.id')
            .whereRef('presaves.grant_id', '=', 'grants.id')
            .where((p) =>
              Array.isArray(which)
                ? p('presaves.status', '=', 'pending')
                : p.or([p('presaves.status', '=', 'pending'), p('presaves.updated_at', '>=', which.idleSince)]),
            ),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
