import type { Lease } from './queue-spec.js';

/**
 * The write side of a queue for the Settler: one fenced transition for many leases (the ids it
 * changed), and what to do once outcomes are durable (the pre-save queue releases fans' tokens).
 */
export interface QueueWriter<L extends Lease, S> {
  write(leases: L[], s: S, now: number): Promise<Set<number>>;
  afterWrite?(applied: { lease: L; s: S }[], now: number): Promise<void>;
}

interface Queued<L, S> {
  lease: L;
  s: S;
  resolve: (applied: boolean) => void;
  reject: (err: unknown) => void;
}

/**
 * Settling claimed work items, in batches. Each outcome is one of the queue's fenced
 * transitions: a worker whose lease expired (and whose row another worker took), or an item
 * cancelled meanwhile, changes nothing. Each outcome resolves to whether its write applied.
 *
 * Outcomes queue up and are written together a few milliseconds later, one statement per group
 * of like outcomes (same transition and values), so a thousand saves cost a handful of statements.
 */
export class Settler<L extends Lease, S> {
  private queue: Queued<L, S>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly writing = new Set<Promise<void>>();

  constructor(
    private readonly queueWriter: QueueWriter<L, S>,
    private readonly now: () => number,
    private readonly opts: { delayMs: number; maxBatch: number; maxWrites: number } = { delayMs: 5, maxBatch: 512, maxWrites: 2 },
  ) {}

  /** Outcomes waiting for a write: the worker stops starting new work when this grows too long. */
  get backlog(): number {
    return this.queue.length;
  }

  settle(lease: L, s: S): Promise<boolean> {
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

  private async write(batch: Queued<L, S>[]): Promise<void> {
    // One UPDATE per distinct outcome (all the saves of a batch share one), fenced row by row
    // on (id, lease_token).
    const groups = new Map<string, Queued<L, S>[]>();
    for (const q of batch) {
      const key = JSON.stringify(q.s);
      const g = groups.get(key);
      if (g) g.push(q);
      else groups.set(key, [q]);
    }
    const now = this.now();
    const applied: { lease: L; s: S }[] = [];
    for (const group of groups.values()) {
      try {
        const ids = await this.queueWriter.write(
          group.map((q) => q.lease),
          group[0]!.s,
          now,
        );
        for (const q of group) {
          const ok = ids.has(q.lease.id);
          if (ok) applied.push({ lease: q.lease, s: q.s });
          q.resolve(ok);
        }
      } catch (err) {
        for (const q of group) q.reject(err);
      }
    }
    if (applied.length && this.queueWriter.afterWrite) await this.queueWriter.afterWrite(applied, now).catch(() => {});
  }
}
