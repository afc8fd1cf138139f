import os from 'node:os';
import type { AppContext } from '../context.js';
import { randomToken } from '../util/random.js';
import { CLAIM_BUDGET_SECONDS, claimLimit, claimQueueLow, claimRoom } from './claim-size.js';
import { RateGovernor } from './governor.js';
import type { ClaimRound, WorkKind } from './kind.js';
import { IllegalWorkerMove, WorkerModes } from './worker-modes.js';

/** Outcomes waiting to be written before the worker stops starting new items (backpressure). */
const MAX_BACKLOG = 2048;

/** A claimed item and the kind that claimed it (kinds of different item types run side by side). */
interface Held {
  kind: WorkKind;
  item: unknown;
}

/** One claim round's view of a kind, kept for the idle sleep that may follow it. */
interface KindRound {
  round: ClaimRound;
  plan: unknown;
}

/**
 * The delivery loop, for every kind of work item (kind.ts). States of a work item's row:
 *
 *   ready ──claim (lease)──▶ in flight ──settle──▶ done | failed | …
 *     ▲                          │
 *     └──── retry (next_attempt_at later) ◀──┘      lease expires (worker died) ─▶ claimable again
 *
 * The loop claims due rows in batches, one batch ahead of its free slots (claim-size.ts: fewer
 * when a key's rate budget is small; none for a blocked key, nor what a kind's plan leaves out),
 * runs them concurrently under one concurrency budget (WORKER_CONCURRENCY) shared by every kind,
 * frees a slot as soon as its item is done with the far side, and lets each kind settle outcomes
 * in batches. Kinds take turns claiming first, so one with a deep queue cannot starve another.
 * Its modes (idle, claiming, running, waiting for budget, stopping) and the moves between them
 * are named and checked in worker-modes.ts. When nothing is due it sleeps until the next due time
 * — at most WORKER_POLL_MS on SQLite, WORKER_IDLE_MS on PostgreSQL where the kinds' NOTIFY
 * wakes it as soon as work arrives. All state is in the database: a killed process loses
 * nothing; its leases expire and others take over.
 */
export class DeliveryLoop {
  readonly owner = `${os.hostname()}:${process.pid}:${randomToken(4)}`;
  readonly governor: RateGovernor;
  readonly modes: WorkerModes;
  private running = false;
  /** Claimed items waiting for a slot: the next batch is claimed while the current one runs. */
  private readonly queued: Held[] = [];
  /** Items talking to the far side (each holds one of WORKER_CONCURRENCY slots), with the key each spends. */
  private readonly active = new Map<unknown, string>();
  /** Every started item until its outcome is written. */
  private readonly unsettled = new Set<Promise<void>>();
  private wake: (() => void) | null = null;
  private woken = false;
  private loopDone: Promise<void> | null = null;
  private stopListening: (() => Promise<void>)[] = [];
  /** Which kind claims first this round (turns rotate). */
  private turn = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly kinds: readonly WorkKind[],
    opts: { governor?: RateGovernor } = {},
  ) {
    const named = Object.assign({}, ...kinds.map((k) => k.rateLimits ?? {})) as Record<string, number>;
    // Keys a kind knows only at run time (push:<host>) get their budget from the kind (rateFor).
    const rates = new Proxy(named, {
      get: (t, key) =>
        typeof key !== 'string' || key in t ? t[key as string] : kinds.map((k) => k.rateFor?.(key)).find((r) => r !== undefined),
    });
    this.governor = opts.governor ?? new RateGovernor(ctx.db, ctx.now, rates);
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
    this.stopListening = this.kinds.flatMap((k) => (k.listen ? [k.listen(() => this.nudge())] : []));
    this.ctx.log.info({ owner: this.owner }, 'fulfillment worker started');
    this.loopDone = this.loop();
  }

  /**
   * Stops claiming, hands back claimed items it never started, lets in-flight ones finish and
   * writes their outcomes (leases cover a hard kill).
   */
  async stop(): Promise<void> {
    if (this.modes.mode === 'stopped') return; // never started, or stopped already
    this.running = false;
    this.nudge();
    await this.loopDone;
    this.modes.to('stopping');
    for (const { kind, item } of this.queued.splice(0)) void kind.unclaim(item).catch(() => {});
    await Promise.allSettled([...this.unsettled]);
    await Promise.allSettled(this.kinds.map((k) => k.flush()));
    await Promise.allSettled(this.stopListening.map((stop) => stop()));
    this.modes.to('stopped');
  }

  /** Asks an idle loop to look for due work now. */
  nudge(): void {
    this.woken = true;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    const { worker } = this.ctx.config;
    while (this.running) {
      let rounds = new Map<WorkKind, KindRound>();
      try {
        this.woken = false;
        for (const k of this.kinds) await k.maintain?.(this.ctx.now());
        let room = claimRoom(worker, this.active.size, this.queued.length);
        if (room > 0 && claimQueueLow(worker, this.queued.length) && this.backlog < MAX_BACKLOG) {
          this.modes.to('claiming');
          let more = false;
          let budget = false;
          for (const kind of this.inTurn()) {
            const round: ClaimRound = { governor: this.governor, blocked: await this.governor.blocked(kind.keys()) };
            const plan: unknown = await kind.plan(round);
            rounds.set(kind, { round, plan });
            if (room <= 0) continue;
            const open = kind.keys().filter((k) => !round.blocked.has(k));
            const tight = this.tightest(await this.governor.limitedRates(open));
            const { limit, capped } = claimLimit(worker, room, tight?.rate ?? null, tight?.held ?? 0);
            // This worker already holds what the budget lets out soon: look again at the next slot.
            if (limit <= 0) {
              budget = true;
              continue;
            }
            const items: unknown[] = await kind.claim(plan, round, {
              owner: this.owner,
              leaseToken: randomToken(12),
              limit,
              leaseMs: worker.leaseMs,
              now: this.ctx.now(),
            });
            room -= items.length;
            for (const item of items) this.queued.push({ kind, item });
            this.startQueued();
            // A full claim: more may be due — claim again as soon as a slot frees up, or, capped
            // by a rate budget, at the next budget slot (or when an item finishes).
            if (items.length === limit) {
              if (capped) budget = true;
              else more = true;
            }
          }
          if (more) {
            this.modes.to('running');
            continue;
          }
          if (budget) {
            this.modes.to('waiting_for_budget');
            if (!this.woken) await this.sleep(Math.min(worker.pollMs, 1000 - (this.ctx.now() % 1000)));
            continue;
          }
        }
        this.modes.to(this.busy ? 'running' : 'idle');
        if (!this.woken) await this.sleep(await this.idleMs(rounds));
      } catch (err) {
        if (err instanceof IllegalWorkerMove) throw err; // a bug in this loop: never retried quietly
        this.ctx.log.error({ err }, 'fulfillment loop error; retrying shortly');
        this.modes.to(this.busy ? 'running' : 'idle');
        rounds = new Map();
        await this.sleep(worker.pollMs);
      }
    }
  }

  /** The kinds, starting with this round's first (turns rotate so every kind gets to claim first). */
  private inTurn(): WorkKind[] {
    const n = this.kinds.length;
    const first = this.turn++ % n;
    return [...this.kinds.slice(first), ...this.kinds.slice(0, first)];
  }

  /** Outcomes waiting for their write, over every kind. */
  private get backlog(): number {
    let n = 0;
    for (const k of this.kinds) n += k.backlog;
    return n;
  }

  /**
   * The limited key with the least budget left for this worker to claim against (claim-size.ts):
   * its rate, and the items this worker already holds for it (of any kind).
   */
  private tightest(rates: Map<string, number>): { rate: number; held: number } | null {
    if (!rates.size) return null;
    const held = new Map<string, number>();
    const count = (key: string) => held.set(key, (held.get(key) ?? 0) + 1);
    for (const key of this.active.values()) count(key);
    for (const { kind, item } of this.queued) count(kind.keyOf(item));
    let best: { rate: number; held: number; left: number } | null = null;
    for (const [key, rate] of rates) {
      const h = held.get(key) ?? 0;
      const left = Math.ceil(rate * CLAIM_BUDGET_SECONDS) - h;
      if (!best || left < best.left) best = { rate, held: h, left };
    }
    return best && { rate: best.rate, held: best.held };
  }

  /**
   * How long to sleep with nothing to claim: until the next item of any kind falls due, counting
   * only open keys and what the kind's plan lets through (those rows are due but must wait), or
   * until the earliest blocked key opens. An item already due that the claim did not get is held
   * by another worker: look again after WORKER_POLL_MS, in case its lease runs out, rather than
   * spinning.
   */
  private async idleMs(rounds: Map<WorkKind, KindRound>): Promise<number> {
    const { pollMs, idleMs } = this.ctx.config.worker;
    // Busy: a finishing item wakes the loop; the timeout is only a backstop.
    if (this.queued.length || this.active.size) return pollMs;
    const now = this.ctx.now();
    // Only NOTIFY lets an idle PostgreSQL worker sleep longer: every kind must listen for it.
    const backstop = this.ctx.dialect === 'postgres' && this.kinds.every((k) => k.listen) ? idleMs : pollMs;
    let next = Number.POSITIVE_INFINITY;
    for (const kind of this.kinds) {
      const r = rounds.get(kind);
      const round = r?.round ?? { governor: this.governor, blocked: new Map<string, number>() };
      const due = await kind.nextDueAt(r ? r.plan : null, round);
      next = Math.min(next, due === null ? Number.POSITIVE_INFINITY : due <= now ? now + pollMs : due, ...round.blocked.values());
    }
    return Math.max(10, Math.min(backstop, next - now));
  }

  private startQueued(): void {
    const { concurrency } = this.ctx.config.worker;
    while (this.queued.length && this.active.size < concurrency && this.backlog < MAX_BACKLOG) this.run(this.queued.shift()!);
  }

  /** Items claimed and not yet settled (queued, talking to the far side, or waiting for their write). */
  private get busy(): boolean {
    return this.queued.length > 0 || this.unsettled.size > 0;
  }

  /** Frees the item's slot once it needs nothing more from the far side; its outcome is written in the next batch. */
  private slotDone(item: unknown): void {
    if (!this.active.delete(item)) return;
    this.startQueued();
    if (claimQueueLow(this.ctx.config.worker, this.queued.length)) this.wake?.();
  }

  private run({ kind, item }: Held): void {
    this.active.set(item, kind.keyOf(item));
    const p = kind
      .run(item, { owner: this.owner, governor: this.governor, done: () => this.slotDone(item) })
      .catch((err) =>
        this.ctx.log.error({ err, kind: kind.name }, 'settling a work item failed; its lease will expire and it will be retried'),
      )
      .finally(() => {
        this.unsettled.delete(p);
        this.slotDone(item);
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
