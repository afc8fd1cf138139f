import { performance } from 'node:perf_hooks';

/** Below this event-loop utilization while we wait, nothing else wants the loop: write on. */
const IDLE_UTILIZATION = 0.5;
/** How often a pause looks at the loop. */
const LOOK_EVERY_MS = 2;

/**
 * Keeps analytics writes to a share of the event loop while it is busy with requests.
 *
 * After a slice of writing that held the loop for `costMs`, {@link pause} waits until the rest of
 * the process has had `costMs × (1 − share) / share` ms — so while pages are being served, ingest
 * takes at most `share` of the loop and a page waits behind at most one slice. When the loop is
 * idle during the pause (utilization under {@link IDLE_UTILIZATION}: no request waiting), it
 * returns at once, so ingest runs at full speed when there is no one to slow down.
 *
 * A backlog raises the share (see `urgentShare`): past the point where events would be dropped,
 * losing analytics is worse than slower pages.
 */
/** What the pacer reads and waits on; tests replace them (no timing in tests). */
export interface PacerClock {
  now(): number;
  /** Event-loop utilization since the mark `loopMark()` returned. */
  loopMark(): unknown;
  utilizationSince(mark: unknown): number;
  sleep(ms: number): Promise<void>;
  /** Lets the requests that arrived meanwhile in. */
  yieldOnce(): Promise<void>;
}

const realClock: PacerClock = {
  now: () => performance.now(),
  loopMark: () => performance.eventLoopUtilization(),
  utilizationSince: (mark) => performance.eventLoopUtilization(mark as ReturnType<typeof performance.eventLoopUtilization>).utilization,
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  yieldOnce: () => new Promise<void>((resolve) => setImmediate(resolve)),
};

export class IngestPacer {
  /** Loop time the writes held, in total (ms). */
  busyMs = 0;
  /** Time spent yielding to the rest of the process (ms). */
  yieldedMs = 0;

  constructor(
    private readonly share: number,
    private readonly urgentShare = 0.5,
    private readonly clock: PacerClock = realClock,
  ) {
    if (!(share > 0 && share <= 1) || !(urgentShare >= share && urgentShare <= 1)) throw new RangeError('share must be in (0, 1]');
  }

  /** Waits after a slice that held the loop `costMs`; `urgent` when the backlog is near its limit. */
  async pause(costMs: number, urgent = false): Promise<void> {
    this.busyMs += costMs;
    const share = urgent ? this.urgentShare : this.share;
    const owed = (costMs * (1 - share)) / share;
    const { clock } = this;
    const start = clock.now();
    const mark = clock.loopMark();
    // Always let the requests that arrived during the slice in, even when nothing is owed.
    await clock.yieldOnce();
    for (;;) {
      const waited = clock.now() - start;
      if (waited >= owed) break;
      await clock.sleep(Math.min(LOOK_EVERY_MS, owed - waited));
      if (clock.utilizationSince(mark) < IDLE_UTILIZATION) break;
    }
    this.yieldedMs += clock.now() - start;
  }
}
