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
  /** Back for a later attempt; `attempts` set when the wait is not this pre-save's fault. */
  | { kind: 'retry'; at: number; error: string; attempts?: number };

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
      return { next_attempt_at: s.at, last_error: s.error, ...(s.attempts !== undefined ? { attempts: Math.max(0, s.attempts) } : {}) };
  }
}

export class Settler {
  private queue: Queued[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly opts: { delayMs: number; maxBatch: number } = { delayMs: 5, maxBatch: 256 },
  ) {}

  settle(lease: Lease, s: Settlement): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ lease, s, resolve, reject });
      if (this.queue.length >= this.opts.maxBatch) this.flushSoon(0);
      else this.flushSoon(this.opts.delayMs);
    });
  }

  /** Writes everything queued; resolves when it is durable. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  private flushSoon(delayMs: number): void {
    if (delayMs === 0) {
      void this.flush();
      return;
    }
    this.timer ??= setTimeout(() => void this.flush(), delayMs);
  }

  private async write(batch: Queued[]): Promise<void> {
    if (!batch.length) return;
    const groups = new Map<string, Queued[]>();
    for (const q of batch) {
      const key = JSON.stringify([q.lease.leaseToken, q.s]);
      const g = groups.get(key);
      if (g) g.push(q);
      else groups.set(key, [q]);
    }
    const now = this.now();
    const finishedGrants = new Set<number>();
    for (const group of groups.values()) {
      const first = group[0]!;
      try {
        const rows = await this.db
          .updateTable('presaves')
          .set({ ...RELEASED, ...setFor(first.s, now), updated_at: now })
          .where(
            'id',
            'in',
            group.map((q) => q.lease.id),
          )
          .where('lease_token', '=', first.lease.leaseToken)
          .where('status', '=', 'pending')
          .returning('id')
          .execute();
        const applied = new Set(rows.map((r) => Number(r.id)));
        for (const q of group) {
          const ok = applied.has(q.lease.id);
          // A failed pre-save keeps its grant for a while so an operator can re-drive it;
          // sweepIdleGrants releases those later.
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
