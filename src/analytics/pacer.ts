import { performance } from 'node:perf_hooks';

/**
 * Below this event-loop utilization over a pause's first {@link IDLE_WINDOW_MS}, nothing else
 * wants the loop: write on. Low on purpose: a page served at a few dozen requests a second on a
 * starved machine already uses more, and a loop that waits for requests the CPU cannot deliver is
 * not free (measured: with 0.5 the writes took 27 % of such a loop).
 */
const IDLE_UTILIZATION = 0.1;
/** How long a pause watches the loop before calling it idle (a request every 10 ms is traffic). */
const IDLE_WINDOW_MS = 10;
/** How often a pause looks at the loop. */
const LOOK_EVERY_MS = 2;

/** What the pacer reads and waits on; tests replace them (no timing in tests). */
export interface PacerClock {
  now(): number;
  /** A mark to measure event-loop utilization from. */
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

/**
 * Keeps analytics writes to a share of the event loop while it is busy with requests.
 *
 * After a slice of writing that held the loop for `costMs`, {@link pause} waits until the rest of
 * the process has had `costMs × (1 − share) / share` ms — so while pages are being served, ingest
 * takes at most `share` of the loop and a page waits behind at most one slice. When the loop stays
 * idle during the pause's first {@link IDLE_WINDOW_MS} (utilization under {@link IDLE_UTILIZATION}:
 * no requests coming), it returns then, so ingest runs at nearly full speed when there is no one
 * to slow down.
 *
 * A backlog raises the share (see `urgentShare`): past the point where events would be dropped,
 * losing analytics is worse than slower pages.
 */
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
      if (clock.now() - start >= IDLE_WINDOW_MS && clock.utilizationSince(mark) < IDLE_UTILIZATION) break;
    }
    this.yieldedMs += clock.now() - start;
  }
}
