import type { RateGovernor } from './governor.js';

/**
 * A kind of work item, as the delivery loop (loop.ts) sees it. Pre-saves are the first kind
 * (fulfillment/presave-kind.ts); mail, web push and webhooks plug in the same way: a kind owns
 * its table (a QueueSpec: claim.ts, fence.ts, redrive.ts), its Settler (settler.ts), its rate
 * governor keys and its steps; the loop owns the concurrency budget, the claim-sizing rule
 * (claim-size.ts), the modes (worker-modes.ts), the one governor every kind shares, sleeping until
 * the next due time, and a graceful stop. docs/delivery.md walks through adding one.
 *
 * `Item` is what a claim hands the loop: a claimed row with its lease (and anything the kind
 * starts loading for it while other items run). `Plan` is what the kind reads once per claim
 * round to know what to leave out (pre-saves: campaigns paused on a service).
 */
export interface WorkKind<Item = unknown, Plan = unknown> {
  /** Names the kind in logs ("presave", "mail"). */
  readonly name: string;
  /**
   * The governor keys this kind's items spend (pre-saves: the enabled services; mail: `mail:smtp`).
   * A blocked key (Retry-After, breaker) is left out of claims; a limited one sizes them.
   */
  keys(): string[];
  /** Configured per-second budgets of this kind's keys (pre-saves: RATE_LIMITS, in the loop's config). */
  readonly rateLimits?: Record<string, number>;
  /**
   * The budget of a key not named in `rateLimits`, for kinds whose keys are only known from their
   * queue (web push: `push:<host>`). Undefined: not this kind's key.
   */
  rateFor?(key: string): number | undefined;
  /** The key an item spends: rows a worker already holds for a key count against its budget. */
  keyOf(item: Item): string;
  /** What a claim round must leave out beyond the blocked keys; read once per round. */
  plan(round: ClaimRound): Promise<Plan>;
  /** Claims up to `p.limit` due items with a lease (one statement per queue: delivery/claim.ts). */
  claim(plan: Plan, round: ClaimRound, p: ClaimParams): Promise<Item[]>;
  /** When the next item falls due, leaving out what the plan leaves out (null: nothing waiting). */
  nextDueAt(plan: Plan | null, round: ClaimRound): Promise<number | null>;
  /**
   * Runs one item to its outcome and settles it (fenced on its lease). `done` frees the item's
   * slot once it needs nothing more from the far side (before its outcome is written). Resolves
   * once the outcome is durable; a rejection is logged and the lease left to expire.
   */
  run(item: Item, lent: Lent): Promise<void>;
  /** Hands a claimed item that never started back (the worker is stopping). */
  unclaim(item: Item): Promise<unknown>;
  /** Outcomes waiting for their write: the loop stops starting items while this is long. */
  readonly backlog: number;
  /** Writes every outcome waiting; resolves when they are durable. */
  flush(): Promise<void>;
  /** Housekeeping at the top of each loop round (pre-saves: deleting tokens no pre-save needs). */
  maintain?(now: number): Promise<void>;
  /** Wakes the loop when new work is recorded (pre-saves: LISTEN/NOTIFY). Returns a stop function. */
  listen?(wake: () => void): () => Promise<void>;
}

/** What the loop knows at the start of a claim round. */
export interface ClaimRound {
  governor: RateGovernor;
  /** This kind's keys closed now, with when each opens again (infinity: an operator must act). */
  blocked: Map<string, number>;
}

export interface ClaimParams {
  owner: string;
  leaseToken: string;
  limit: number;
  leaseMs: number;
  now: number;
}

/** What the loop lends an item it runs. */
export interface Lent {
  owner: string;
  governor: RateGovernor;
  /** Frees the item's slot: it needs nothing more from the far side. Idempotent. */
  done: () => void;
}
