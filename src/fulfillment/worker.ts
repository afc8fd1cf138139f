import os from 'node:os';
import type { AppContext } from '../context.js';
import { randomToken } from '../util/random.js';
import { claimDuePresaves, nextDueAt } from './claim.js';
import { processPresave, type Outcome } from './process.js';

/**
 * The fulfillment loop. States of a pre-save row:
 *
 *   pending ──claim (lease)──▶ in flight ──settle──▶ saved | failed | cancelled
 *      ▲                          │
 *      └──── retry (next_attempt_at later) ◀──┘      lease expires (worker died) ─▶ claimable again
 *
 * The loop claims due rows in batches up to its free concurrency, runs them concurrently, and
 * sleeps until the next due time (at most `pollMs`) when nothing is due. All state is in the
 * database: a killed process loses nothing, and a restarted one picks up where leases expire.
 */
export class FulfillmentWorker {
  readonly owner = `${os.hostname()}:${process.pid}:${randomToken(4)}`;
  private running = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pausedUntil = new Map<string, number>();
  private wake: (() => void) | null = null;
  private loopDone: Promise<void> | null = null;
  readonly stats = { saved: 0, failed: 0, retried: 0, cancelled: 0, fenced: 0 };

  constructor(
    private readonly ctx: AppContext,
    private readonly onOutcome?: (o: Outcome) => void,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.ctx.log.info({ owner: this.owner }, 'fulfillment worker started');
    this.loopDone = this.loop();
  }

  /** Stops claiming and waits for in-flight saves (their leases cover a hard kill instead). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loopDone;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Asks an idle loop to look for due work now (e.g. a pre-save made for a released campaign). */
  nudge(): void {
    this.wake?.();
  }

  private async loop(): Promise<void> {
    const { worker } = this.ctx.config;
    while (this.running) {
      try {
        const free = worker.concurrency - this.inFlight.size;
        if (free > 0) {
          const rows = await claimDuePresaves(this.ctx.db, this.ctx.dialect, {
            owner: this.owner,
            leaseToken: randomToken(12),
            limit: Math.min(free, worker.batchSize),
            leaseMs: worker.leaseMs,
            now: this.ctx.now(),
          });
          for (const row of rows) this.track(row);
          if (rows.length === free) continue; // more may be due: claim again as slots free up
        }
        await this.sleep(await this.idleMs(free));
      } catch (err) {
        this.ctx.log.error({ err }, 'fulfillment loop error; retrying shortly');
        await this.sleep(worker.pollMs);
      }
    }
  }

  private async idleMs(free: number): Promise<number> {
    const { pollMs } = this.ctx.config.worker;
    if (free <= 0) return pollMs;
    const next = await nextDueAt(this.ctx.db);
    return next === null ? pollMs : Math.max(10, Math.min(pollMs, next - this.ctx.now()));
  }

  private track(row: Parameters<typeof processPresave>[1]): void {
    const p = processPresave({ ctx: this.ctx, owner: this.owner, pausedUntil: this.pausedUntil }, row)
      .then((o) => {
        const key = o.result === 'retry' ? 'retried' : o.result;
        this.stats[key]++;
        this.onOutcome?.(o);
      })
      .catch((err) =>
        this.ctx.log.error({ err, presave: row.id }, 'settling a pre-save failed; its lease will expire and it will be retried'),
      )
      .finally(() => {
        this.inFlight.delete(p);
        this.wake?.();
      });
    this.inFlight.add(p);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
