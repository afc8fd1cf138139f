/**
 * What the delivery loop (loop.ts) is doing, named, with the moves between modes checked:
 *
 *   stopped ─start─▶ idle ─▶ claiming ─▶ running ─────────▶ claiming (a slot freed, the queue runs low)
 *                     ▲         │  │        │  └──────────▶ idle (everything settled, nothing due)
 *                     │         │  └──▶ waiting for budget ─▶ claiming | running | idle (the next budget slot)
 *                     └─────────┘ (nothing due)
 *   any mode ─stop─▶ stopping ─▶ stopped
 *
 * - idle: nothing in flight; sleeping until the next due time (or a NOTIFY, or WORKER_POLL_MS).
 * - claiming: asking the database for due rows, kind by kind.
 * - running: work items in flight or claimed ahead; sleeping until a slot frees.
 * - waiting for budget: the claim was capped by a key's rate budget; sleeping until its next
 *   one-second slot.
 * - stopping: no more claims; claimed rows not started are handed back, in-flight ones settle.
 *
 * An illegal move is a bug in the loop: it throws outside production (tests, development) and
 * is logged in production, where stopping the worker would cost more than the wrong mode.
 */
export type WorkerMode = 'stopped' | 'idle' | 'claiming' | 'running' | 'waiting_for_budget' | 'stopping';

const MOVES: Record<WorkerMode, readonly WorkerMode[]> = {
  stopped: ['idle'],
  idle: ['claiming', 'stopping'],
  claiming: ['running', 'waiting_for_budget', 'idle', 'stopping'],
  running: ['claiming', 'idle', 'stopping'],
  waiting_for_budget: ['claiming', 'running', 'idle', 'stopping'],
  stopping: ['stopped'],
};

export class IllegalWorkerMove extends Error {
  constructor(
    readonly from: WorkerMode,
    readonly to: WorkerMode,
  ) {
    super(`fulfillment worker: illegal move from ${from} to ${to}`);
  }
}

export class WorkerModes {
  private current: WorkerMode = 'stopped';
  /** Time spent in each mode (ms), for `/metrics` and benchmarks. */
  readonly timeIn: Record<WorkerMode, number> = { stopped: 0, idle: 0, claiming: 0, running: 0, waiting_for_budget: 0, stopping: 0 };
  /** How many times each move was made (`from>to`): what tests and metrics look at. */
  readonly moves = new Map<string, number>();
  private since: number;

  constructor(
    private readonly now: () => number,
    private readonly onIllegal: (err: IllegalWorkerMove) => void = (err) => {
      throw err;
    },
  ) {
    this.since = now();
  }

  get mode(): WorkerMode {
    return this.current;
  }

  /** Moves to `to`; staying in the same mode is not a move. */
  to(to: WorkerMode): void {
    const from = this.current;
    if (from === to) return;
    if (!MOVES[from].includes(to)) {
      this.onIllegal(new IllegalWorkerMove(from, to));
      if (to !== 'stopping' && to !== 'stopped') return;
    }
    const now = this.now();
    this.timeIn[from] += now - this.since;
    this.since = now;
    this.current = to;
    const key = `${from}>${to}`;
    this.moves.set(key, (this.moves.get(key) ?? 0) + 1);
  }
}
