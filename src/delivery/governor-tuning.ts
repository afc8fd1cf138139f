/**
 * The rate governor's tuning numbers, in one place, with why each is what it is (governor.ts
 * uses them, for every key of every kind of work item; test/governor.test.ts checks the behaviour
 * they produce).
 */
export const GOVERNOR_TUNING = {
  /**
   * How stale a process's copy of the shared governor row may be. A Retry-After or breaker seen
   * by another worker reaches this one within this time; reading it more often costs a query
   * per key per read, and the budget slots below are a second long anyway.
   */
  stateTtlMs: 250,
  /**
   * When 429s mean "too fast" rather than a stray fault: at least `min429s` in the last
   * `windowS` seconds and more than `share` of what this process sent then. One random 429
   * among hundreds of answers must not cut the rate (the chaos mix injects 2 %), or the fan-out
   * starves. 429s closer together than `oneCutPerBurstMs` are one burst and cut once: fifty
   * requests in flight when the limit was hit would otherwise cut it fifty times (0.7⁵⁰), and
   * the fan-out crawled back at +5 % every five seconds for minutes.
   */
  overload: { windowS: 10, min429s: 3, share: 0.1, oneCutPerBurstMs: 2_000 },
  /**
   * Multiplicative decrease on overload: the rate becomes `factor` of what it was (or, when no
   * rate was known, of what this process sent per second over the last `observedWindowS`).
   */
  cut: { factor: 0.7, observedWindowS: 5 },
  /**
   * Additive increase after `quietMs` without overload (and without another change for as
   * long): ×`factor` + `stepPerS`, up to the configured maximum. Slow enough that one cut is
   * not undone within the Retry-After window that caused it.
   */
  raise: { quietMs: 5_000, factor: 1.05, stepPerS: 0.5 },
  /** Seconds of per-second request counts kept in memory (must exceed every window above). */
  historyS: 16,
  /**
   * How long a request waits in line for its key's rate budget before the work item is handed
   * back (its lease released, due again when the budget frees). Claims are sized to about two
   * seconds of budget (claim-size.ts), so in a steady fan-out nothing waits this long; a wait this
   * long means other workers, or more urgent calls, have the budget.
   */
  rateWaitMs: 5_000,
  /**
   * The budget counts as short (`RateGovernor.contended`, saves first) for this long after a
   * request was refused or kept in line for lack of tokens: long enough to span the gap between
   * one slot running dry and the next, short enough that a fan-out that has caught up is back to
   * verifying inline within a couple of seconds.
   */
  contendedForMs: 2_000,
  /** How long a work item waits when its key's quota breaker is open (an operator resumes sooner). */
  breakerParkMs: 6 * 3_600_000,
} as const;
