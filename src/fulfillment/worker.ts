import os from 'node:os';
import type { AppContext } from '../context.js';
import { randomToken } from '../util/random.js';
import { pausedPairs } from '../campaigns/pauses.js';
import { createMailer, type Mailer } from '../mail/index.js';
import { claimDuePresaves, nextDueAt, type ClaimExclusions } from '../presaves/lifecycle/claim.js';
import { RateGovernor } from './governor.js';
import { WorkerLoaders } from './loaders.js';
import { processPresave, type Outcome } from './process.js';
import { Settler } from './settle.js';
import { listenForWork } from './wakeup.js';
import { CLAIM_BUDGET_SECONDS, claimLimit, claimQueueLow, claimRoom } from './claim-size.js';
import { IllegalWorkerMove, WorkerModes } from './worker-modes.js';
import { releaseIdleGrants, type GrantRow } from '../grants/repo.js';
import type { PresaveRow } from '../presaves/repo.js';

const SWEEP_EVERY_MS = 10 * 60_000;
/** Outcomes waiting to be written before the worker stops starting new pre-saves (backpressure). */
const MAX_BACKLOG = 2048;

/**
 * The fulfillment loop. States of a pre-save row:
 *
 *   pending ──claim (lease)──▶ in flight ──settle──▶ saved | failed | cancelled
 *      ▲                          │
 *      └──── retry (next_attempt_at later) ◀──┘      lease expires (worker died) ─▶ claimable again
 *
 * The loop claims due rows in batches, one batch ahead of its free slots (claim-size.ts: fewer
 * when a service's rate budget is small; none for a paused service or a campaign paused on a
 * service — see campaigns/pauses.ts), runs them concurrently, frees a slot as soon as its
 * pre-save is done with the service, and settles outcomes in batches. Its modes (idle, claiming,
 * running, waiting for budget, stopping) and the moves between them are named and checked in
 * worker-modes.ts. When nothing is
 * due it sleeps until the next due time — at most WORKER_POLL_MS on SQLite, WORKER_IDLE_MS on
 * PostgreSQL where a NOTIFY wakes it as soon as work arrives. All state
 * is in the database: a killed process loses nothing; its leases expire and others take over.
 */
export interface WorkerStats {
  claimed: number;
  saved: number;
  failed: number;
  retried: number;
  cancelled: number;
  fenced: number;
  /** Follows tried alone from the follow queue (their pre-saves were counted as saved already). */
  followed: number;
  /** Saves the service accepted whose verification was left to the verify queue (budget short). */
  verifying: number;
}

export class FulfillmentWorker {
  readonly owner = `${os.hostname()}:${process.pid}:${randomToken(4)}`;
  readonly governor: RateGovernor;
  readonly stats: WorkerStats = { claimed: 0, saved: 0, failed: 0, retried: 0, cancelled: 0, fenced: 0, followed: 0, verifying: 0 };
  private readonly settler: Settler;
  private readonly loaders: WorkerLoaders;
  private running = false;
  /** Claimed rows waiting for a slot: the next batch is claimed while the current one runs. */
  private readonly queued: { row: PresaveRow; grant: Promise<GrantRow | null> }[] = [];
  /** Rows talking to the service (each holds one of WORKER_CONCURRENCY slots). */
  private readonly active = new Map<number, string>();
  /** Every started row until its outcome is written. */
  private readonly unsettled = new Set<Promise<void>>();
  private wake: (() => void) | null = null;
  private woken = false;
  private loopDone: Promise<void> | null = null;
  private lastSweep = 0;
  private stopListening: (() => Promise<void>) | null = null;
  readonly modes: WorkerModes;

  /** `campaign:service` pairs paused for follows at the last claim (see campaigns/pauses.ts). */
  private followPauses = new Set<string>();
  private pausedCampaigns = new Set<number>();
  private readonly mailer: Mailer;

  constructor(
    private readonly ctx: AppContext,
    private readonly onOutcome?: (o: Outcome) => void,
    opts: { mailer?: Mailer } = {},
  ) {
    // Pause notices go to the workspace's editors through the same mail settings as account mail.
    this.mailer = opts.mailer ?? createMailer({ ...ctx.config.accounts.mail, log: ctx.log });
    this.governor = new RateGovernor(ctx.db, ctx.now, ctx.config.worker.rateLimits);
    this.settler = new Settler(ctx.db, ctx.now);
    this.loaders = new WorkerLoaders(ctx.db, ctx.now);
    // A wrong move is a bug: loud in tests and development, a log line in production.
    this.modes = new WorkerModes(
      ctx.now,
      ctx.config.env === 'production'
        ? (err) => ctx.log.error({ err }, 'fulfillment worker mode error')
        : (err) => {
            throw err;
          },
    );
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.modes.to('idle');
    this.stopListening = listenForWork(this.ctx.config, () => this.nudge(), this.ctx.log);
    this.ctx.log.info({ owner: this.owner }, 'fulfillment worker started');
    this.loopDone = this.loop();
  }

  /**
   * Stops claiming, hands back claimed rows it never started, lets in-flight saves finish and
   * writes their outcomes (leases cover a hard kill).
   */
  async stop(): Promise<void> {
    if (this.modes.mode === 'stopped') return; // never started, or stopped already
    this.running = false;
    this.nudge();
    await this.loopDone;
    this.modes.to('stopping');
    for (const { row } of this.queued.splice(0)) {
      void this.settler.settle({ id: row.id, grantId: row.grant_id, leaseToken: row.lease_token! }, { kind: 'unclaim' }).catch(() => {});
    }
    await Promise.allSettled([...this.unsettled]);
    await this.settler.flush().catch(() => {});
    await this.stopListening?.();
    this.modes.to('stopped');
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
      let blocked = new Map<string, number>();
      let paused: Awaited<ReturnType<typeof pausedPairs>> = { excludePairs: [], followPairs: [] };
      try {
        this.woken = false;
        await this.sweep();
        const room = claimRoom(worker, this.active.size, this.queued.length);
        if (room > 0 && claimQueueLow(worker, this.queued.length) && this.settler.backlog < MAX_BACKLOG) {
          this.modes.to('claiming');
          blocked = await this.governor.blocked(services);
          paused = await pausedPairs(this.ctx.db);
          this.notePauses(paused);
          const tight = this.tightest(await this.governor.limitedRates(services.filter((s) => !blocked.has(s))));
          const { limit, capped } = claimLimit(worker, room, tight?.rate ?? null, tight?.held ?? 0);
          if (limit <= 0) {
            // This worker already holds what the budget lets out soon: look again at the next slot.
            this.modes.to('waiting_for_budget');
            if (!this.woken) await this.sleep(Math.min(worker.pollMs, 1000 - (this.ctx.now() % 1000)));
            continue;
          }
          const rows = await claimDuePresaves(this.ctx.db, this.ctx.dialect, {
            owner: this.owner,
            leaseToken: randomToken(12),
            limit,
            leaseMs: worker.leaseMs,
            now: this.ctx.now(),
            excludeServices: [...blocked.keys()],
            ...paused,
            // A service whose budget is the bottleneck gets saves first: verifications and follows wait their turn.
            savesFirst: services.some((s) => !blocked.has(s) && this.governor.contended(s)),
          });
          this.stats.claimed += rows.length;
          for (const row of rows) {
            // All the claim's grants in one query, while the first rows start.
            const grant = this.loaders.grant.load(row.grant_id);
            grant.catch(() => {}); // a row that never starts must not leave an unhandled rejection
            this.queued.push({ row, grant });
          }
          this.startQueued();
          if (rows.length === limit) {
            if (!capped) {
              // More may be due: claim again as soon as a slot frees up.
              this.modes.to('running');
              continue;
            }
            // Capped by a rate budget: look again at the next budget slot, or when a save finishes.
            this.modes.to('waiting_for_budget');
            if (!this.woken) await this.sleep(Math.min(worker.pollMs, 1000 - (this.ctx.now() % 1000)));
            continue;
          }
        }
        this.modes.to(this.busy ? 'running' : 'idle');
        if (!this.woken) await this.sleep(await this.idleMs(blocked, paused));
      } catch (err) {
        if (err instanceof IllegalWorkerMove) throw err; // a bug in this loop: never retried quietly
        this.ctx.log.error({ err }, 'fulfillment loop error; retrying shortly');
        this.modes.to(this.busy ? 'running' : 'idle');
        await this.sleep(worker.pollMs);
      }
    }
  }

  /**
   * The limited service with the least budget left for this worker to claim against (claim-size.ts):
   * its rate, and the rows this worker already holds for it.
   */
  private tightest(rates: Map<string, number>): { rate: number; held: number } | null {
    const held = new Map<string, number>();
    for (const s of [...this.active.values(), ...this.queued.map((q) => q.row.service)]) held.set(s, (held.get(s) ?? 0) + 1);
    let best: { rate: number; held: number; left: number } | null = null;
    for (const [s, rate] of rates) {
      const h = held.get(s) ?? 0;
      const left = Math.ceil(rate * CLAIM_BUDGET_SECONDS) - h;
      if (!best || left < best.left) best = { rate, held: h, left };
    }
    return best && { rate: best.rate, held: best.held };
  }

  /** Remembers what is paused; a campaign whose pause was lifted is read afresh (the editor fixed it). */
  private notePauses(paused: { excludePairs: { campaignId: number }[]; followPairs: { campaignId: number; service: string }[] }): void {
    const now = new Set([...paused.excludePairs, ...paused.followPairs].map((p) => p.campaignId));
    for (const id of this.pausedCampaigns) if (!now.has(id)) this.loaders.forgetCampaign(id);
    this.pausedCampaigns = now;
    this.followPauses = new Set(paused.followPairs.map((p) => `${p.campaignId}:${p.service}`));
  }

  /** Every few minutes: delete tokens kept for failed pre-saves once their re-drive window has passed. */
  private async sweep(): Promise<void> {
    const now = this.ctx.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    const n = await releaseIdleGrants(this.ctx.db, { idleSince: now - this.ctx.config.worker.failedGrantRetentionMs }, now);
    if (n) this.ctx.log.info({ released: n }, "deleted fans' tokens no pre-save needs any more");
  }

  /**
   * How long to sleep with nothing to claim: until the next pre-save falls due, counting only
   * services not paused (their rows are due but must wait), or until the earliest pause ends.
   * A row already due that the claim did not get is held by another worker: look again after
   * WORKER_POLL_MS, in case its lease runs out, rather than spinning.
   */
  private async idleMs(blocked: Map<string, number>, paused: Omit<ClaimExclusions, 'excludeServices'>): Promise<number> {
    const { pollMs, idleMs } = this.ctx.config.worker;
    // Busy: a finishing pre-save wakes the loop; the timeout is only a backstop.
    if (this.queued.length || this.active.size) return pollMs;
    const now = this.ctx.now();
    const backstop = this.ctx.dialect === 'postgres' ? idleMs : pollMs;
    const due = await nextDueAt(this.ctx.db, { excludeServices: [...blocked.keys()], ...paused });
    const next = Math.min(due === null ? Number.POSITIVE_INFINITY : due <= now ? now + pollMs : due, ...blocked.values());
    return Math.max(10, Math.min(backstop, next - now));
  }

  private startQueued(): void {
    const { concurrency } = this.ctx.config.worker;
    while (this.queued.length && this.active.size < concurrency && this.settler.backlog < MAX_BACKLOG) this.run(this.queued.shift()!);
  }

  /** Frees the row's slot once it needs nothing more from the service; its outcome is written in the next batch. */
  private servicesDone = (id: number): void => {
    if (!this.active.delete(id)) return;
    this.startQueued();
    if (this.queueLow()) this.wake?.();
  };

  /** Pre-saves claimed and not yet settled (queued, talking to the service, or waiting for their write). */
  private get busy(): boolean {
    return this.queued.length > 0 || this.unsettled.size > 0;
  }

  /** Time to claim the next batch (claim-size.ts). */
  private queueLow(): boolean {
    return claimQueueLow(this.ctx.config.worker, this.queued.length);
  }

  private run({ row, grant }: { row: PresaveRow; grant: Promise<GrantRow | null> }): void {
    this.active.set(row.id, row.service);
    const deps = {
      ctx: this.ctx,
      owner: this.owner,
      governor: this.governor,
      settler: this.settler,
      loaders: this.loaders,
      servicesDone: this.servicesDone,
      mailer: this.mailer,
      followPaused: (campaignId: number, service: string) => this.followPauses.has(`${campaignId}:${service}`),
    };
    const p = processPresave(deps, row, { grant })
      .then((o) => {
        const key = o.result === 'retry' ? 'retried' : o.result;
        this.stats[key]++;
        this.onOutcome?.(o);
      })
      .catch((err) =>
        this.ctx.log.error({ err, presave: row.id }, 'settling a pre-save failed; its lease will expire and it will be retried'),
      )
      .finally(() => {
        this.unsettled.delete(p);
        this.servicesDone(row.id);
        this.startQueued();
        this.wake?.();
      });
    this.unsettled.add(p);
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
