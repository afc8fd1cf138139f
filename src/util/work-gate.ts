/**
 * A concurrency bound with a bounded queue: at most `concurrency` jobs run at once, at most
 * `queue` wait, and a job that finds the queue full is refused at once (`GateFull`) without
 * running — so a burst costs the refused callers nothing and the process stays responsive.
 */
export class GateFull extends Error {
  constructor() {
    super('too much work waiting');
    this.name = 'GateFull';
  }
}

export interface GateStats {
  /** Jobs started so far. */
  started: number;
  /** Jobs refused because the queue was full. */
  refused: number;
  running: number;
  waiting: number;
  /** The most jobs ever running at once. */
  peakRunning: number;
}

export class WorkGate {
  private readonly waiters: (() => void)[] = [];
  readonly stats: GateStats = { started: 0, refused: 0, running: 0, waiting: 0, peakRunning: 0 };

  constructor(
    private concurrency: number,
    private queue: number,
  ) {}

  get limits(): { concurrency: number; queue: number } {
    return { concurrency: this.concurrency, queue: this.queue };
  }

  resize(concurrency: number, queue: number): void {
    this.concurrency = concurrency;
    this.queue = queue;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.stats.running < this.concurrency) this.stats.running++;
    else if (this.waiters.length >= this.queue) {
      this.stats.refused++;
      throw new GateFull();
    } else {
      // Wait for a finishing job to hand its slot over (it stays counted as running).
      this.stats.waiting++;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      this.stats.waiting--;
    }
    this.stats.started++;
    this.stats.peakRunning = Math.max(this.stats.peakRunning, this.stats.running);
    try {
      return await job();
    } finally {
      const next = this.waiters.shift();
      if (next) next();
      else this.stats.running--;
    }
  }
}
