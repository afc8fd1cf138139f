/**
 * How many rows the loop claims at a time, and when — the one place the claim-sizing rule lives.
 *
 * - Ahead: up to one batch (WORKER_BATCH_SIZE, never more than WORKER_CONCURRENCY) is kept
 *   claimed beyond the busy slots, so a slot that frees up starts its next item at once
 *   instead of waiting for a claim round trip. More would hold leases on rows that cannot start
 *   soon (and lose them to a crash for a whole lease).
 * - When: the next claim is made once the rows claimed ahead are half used up, so claims overlap
 *   the work instead of alternating with it.
 * - How many: the free room (slots + ahead − in flight − queued), at most one batch, and at most
 *   CLAIM_BUDGET_SECONDS of the tightest limited governor key's rate budget, less the rows this worker
 *   already holds for it — rows claimed beyond what the budget lets out soon would sit leased
 *   while their lease runs down (and, waiting more than GOVERNOR_TUNING.rateWaitMs, be handed back).
 */
export const CLAIM_BUDGET_SECONDS = 2;

export interface ClaimSizing {
  concurrency: number;
  batchSize: number;
}

/** Rows kept claimed beyond the busy slots. */
export function claimAhead(s: ClaimSizing): number {
  return Math.min(s.batchSize, s.concurrency);
}

/** Free room for claimed rows: slots plus the ahead allowance, less what is running or queued. */
export function claimRoom(s: ClaimSizing, active: number, queued: number): number {
  return s.concurrency + claimAhead(s) - active - queued;
}

/** Time to claim: the rows claimed ahead are half used up. */
export function claimQueueLow(s: ClaimSizing, queued: number): boolean {
  return queued < Math.max(1, Math.ceil(claimAhead(s) / 2));
}

/**
 * The claim's size. `capped` says the rate budget set it (a full claim then means "more is
 * due, but wait for the next budget slot", not "claim again now").
 */
export function claimLimit(s: ClaimSizing, room: number, tightestRatePerS: number | null, held = 0): { limit: number; capped: boolean } {
  const unbudgeted = Math.min(room, s.batchSize);
  if (!tightestRatePerS) return { limit: unbudgeted, capped: false };
  // `held`: rows this worker already holds for that key (waiting in line for its budget keeps
  // their leases): claiming more would only make them wait longer. 0 means: claim nothing now.
  const budget = Math.max(1, Math.ceil(tightestRatePerS * CLAIM_BUDGET_SECONDS)) - held;
  return budget < unbudgeted ? { limit: budget, capped: true } : { limit: unbudgeted, capped: false };
}
