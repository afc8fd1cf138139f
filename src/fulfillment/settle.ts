import type { Db } from '../db/index.js';
import { releaseIdleGrants } from '../grants/repo.js';
import type { Lease } from '../presaves/lifecycle/lease.js';
import { applySettlement, finishesWithGrant, type Settlement } from '../presaves/lifecycle/settlement.js';

export type { Lease } from '../presaves/lifecycle/lease.js';
export type { FollowOutcome } from '../presaves/lifecycle/follow-outcome.js';
export type { Settlement } from '../presaves/lifecycle/settlement.js';

/**
 * Settling claimed pre-saves, in batches. Each outcome is one of the lifecycle's fenced
 * transitions (presaves/lifecycle/settlement.ts): a worker whose lease expired (and whose row
 * another worker took), or a pre-save cancelled meanwhile, changes nothing. Each outcome resolves
 * to whether its write applied.
 *
 * Outcomes queue up and are written together a few milliseconds later, one UPDATE per group of
 * like outcomes (same transition and values), so a thousand saves cost a handful of statements.
 */
interface Queued {
  lease: Lease;
  s: Settlement;
  resolve: (applied: boolean) => void;
  reject: (err: unknown) => void;
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
        const applied = await applySettlement(
          this.db,
          group.map((q) => q.lease),
          group[0]!.s,
          now,
        );
        for (const q of group) {
          const ok = applied.has(q.lease.id);
          if (ok && finishesWithGrant(q.s)) finishedGrants.add(q.lease.grantId);
          q.resolve(ok);
        }
      } catch (err) {
        for (const q of group) q.reject(err);
      }
    }
    if (finishedGrants.size) await releaseIdleGrants(this.db, [...finishedGrants], now).catch(() => {});
  }
}
