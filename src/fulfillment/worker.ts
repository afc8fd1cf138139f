import os from 'node:os';
import type { AppContext } from '../context.js';
import { randomToken } from '../util/random.js';
import { claimDuePresaves, nextDueAt } from './claim.js';
import { RateGovernor } from './governor.js';
import { WorkerLoaders } from './loaders.js';
import { processPresave, type Outcome } from './process.js';
import { releaseIdleGrants, Settler } from './settle.js';

const SWEEP_EVERY_MS = 10 * 60_000;
import { listenForWork } from './wakeup.js';

/**
 * The fulfillment loop. States of a pre-save row:
 *
 *   pending ──claim (lease)──▶ in flight ──settle──▶ saved | failed | cancelled
 *      ▲                          │
 *      └──── retry (next_attempt_at later) ◀──┘      lease expires (worker died) ─▶ claimable again
 *
 * The loop claims due rows in batches up to its free concurrency (fewer when a service's rate
 * budget is small, none for a paused service), runs them concurrently, and settles outcomes in
 * batches. When nothing is due it sleeps until the next due time — at most WORKER_POLL_MS on
 * SQLite, WORKER_IDLE_MS on PostgreSQL where a NOTIFY wakes it as soon as work arrives. All state
 * is in the database: a killed process loses nothing; its leases expire and others take over.
 */
export interface WorkerStats {
  claimed: number;
  saved: number;
  failed: number;
  retried: number;
  cancelled: number;
  fenced: number;
}

export class FulfillmentWorker {
  readonly owner = `${os.hostname()}:${process.pid}:${randomToken(4)}`;
  readonly governor: RateGovernor;
  readonly stats: WorkerStats = { claimed: 0, saved: 0, failed: 0, retried: 0, cancelled: 0, fenced: 0 };
  private readonly settler: Settler;
  private readonly loaders: WorkerLoaders;
  private running = false;
  private readonly inFlight = new Set<Promise<void>>();
  private wake: (() => void) | null = null;
  private woken = false;
  private loopDone: Promise<void> | null = null;
  private lastSweep = 0;
  private stopListening: (() => Promise<void>) | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly onOutcome?: (o: Outcome) => void,
  ) {
    this.governor = new RateGovernor(ctx.db, ctx.now, ctx.config.worker.rateLimits);
    this.settler = new Settler(ctx.db, ctx.now);
    this.loaders = new WorkerLoaders(ctx.db, ctx.now);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopListening = listenForWork(this.ctx.config, () => this.nudge(), this.ctx.log);
    this.ctx.log.info({ owner: this.owner }, 'fulfillment worker started');
    this.loopDone = this.loop();
  }

  /** Stops claiming, lets in-flight saves finish and writes their outcomes (leases cover a hard kill). */
  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.loopDone;
    await Promise.allSettled([...this.inFlight]);
    await this.settler.flush().catch(() => {});
    await this.stopListening?.();
  }

  /** Asks an idle loop to look for due work now. */
  nudge(): void {
    this.woken = true;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    const { worker } = this.ctx.config;
    const services = this.ctx.providers.enabled();
    while (this.running) {
      try {
        this.woken = false;
        await this.sweep();
        const free = worker.concurrency - this.inFlight.size;
        if (free > 0) {
          const blocked = await this.governor.blockedServices(services);
          const tightest = await this.governor.tightestRate(services.filter((s) => !blocked.has(s)));
          // Claim only what can be sent soon: about two seconds of the tightest service's budget.
          const limit = Math.min(free, worker.batchSize, tightest ? Math.max(1, Math.ceil(tightest * 2)) : Number.MAX_SAFE_INTEGER);
          const rows = await claimDuePresaves(this.ctx.db, this.ctx.dialect, {
            owner: this.owner,
            leaseToken: randomToken(12),
            limit,
            leaseMs: worker.leaseMs,
            now: this.ctx.now(),
            excludeServices: [...blocked],
          });
          this.stats.claimed += rows.length;
          for (const row of rows) this.track(row);
          if (rows.length === limit) {
            if (limit === free) continue; // more may be due: claim again as slots free up
            // Capped by a rate budget: look again at the next budget slot, or when a save finishes.
            if (!this.woken) await this.sleep(Math.min(worker.pollMs, 1000 - (this.ctx.now() % 1000)));
            continue;
          }
        }
        if (!this.woken) await this.sleep(await this.idleMs(free));
      } catch (err) {
        this.ctx.log.error({ err }, 'fulfillment loop error; retrying shortly');
        await this.sleep(worker.pollMs);
      }
    }
  }

  /** Every few minutes: delete tokens kept for failed pre-saves once their re-drive window has passed. */
  private async sweep(): Promise<void> {
    const now = this.ctx.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    const n = await releaseIdleGrants(this.ctx.db, { idleSince: now - this.ctx.config.worker.failedGrantRetentionMs }, now);
    if (n) this.ctx.log.info({ released: n }, "deleted fans' tokens no pre-save needs any more");
  }

  private async idleMs(free: number): Promise<number> {
    const { pollMs, idleMs } = this.ctx.config.worker;
    if (free <= 0) return pollMs;
    const backstop = this.ctx.dialect === 'postgres' ? idleMs : pollMs;
    const next = await nextDueAt(this.ctx.db);
    return next === null ? backstop : Math.max(10, Math.min(backstop, next - this.ctx.now()));
  }

  private track(row: Parameters<typeof processPresave>[1]): void {
    const p = processPresave(
      { ctx: this.ctx, owner: this.owner, governor: this.governor, settler: this.settler, loaders: this.loaders },
      row,
    )
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
