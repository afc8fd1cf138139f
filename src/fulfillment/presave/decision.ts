import type { AppContext } from '../../context.js';
import type { FollowOutcome } from '../../presaves/lifecycle/follow-outcome.js';
import type { Settlement } from '../../presaves/lifecycle/settlement.js';
import type { PresaveRow } from '../../presaves/repo.js';
import { backoffMs } from '../../delivery/backoff.js';
import type { Outcome } from './job.js';

/**
 * What a step decided: the lifecycle transition to write and what the worker counts, or nothing
 * to write (the row is no longer ours to touch).
 */
export type Decision = { settlement: Settlement; outcome: Outcome } | { fenced: string };

/** The longest wait between two tries of one pre-save or follow. */
const BACKOFF_CAP_MS = 10 * 60_000;

export const decide = {
  saved: (uris: string[], follow?: FollowOutcome): Decision => ({
    settlement: { kind: 'saved', uris, ...(follow ? { follow } : {}) },
    outcome: { result: 'saved', ...(follow?.error ? { detail: `album saved; follow ${follow.status}: ${follow.error}` } : {}) },
  }),
  follow: (follow: FollowOutcome): Decision => ({
    settlement: { kind: 'follow', follow },
    outcome: { result: 'followed', ...(follow.error ? { detail: `follow ${follow.status}: ${follow.error}` } : {}) },
  }),
  failed: (reason: string): Decision => ({ settlement: { kind: 'failed', reason }, outcome: { result: 'failed', detail: reason } }),
  cancelled: (reason: string): Decision => ({
    settlement: { kind: 'cancelled', reason },
    outcome: { result: 'cancelled', detail: reason },
  }),
  /** Not this fan's fault: back at `at`, the attempt handed back. */
  defer: (error: string, at: number): Decision => ({
    settlement: { kind: 'defer', at, error },
    outcome: { result: 'retry', detail: error },
  }),
  awaitRelease: (error: string, at: number): Decision => ({
    settlement: { kind: 'awaitRelease', at, error },
    outcome: { result: 'retry', detail: error },
  }),
  fenced: (why: string): Decision => ({ fenced: why }),
  /** The service accepted the album save; its verification waits in the verify queue (at once, or at `at`). */
  awaitVerify: (at?: number): Decision => ({
    settlement: { kind: 'awaitVerify', ...(at !== undefined ? { at } : {}) },
    outcome: { result: 'verifying' },
  }),
  /** Waited in line for the rate budget and sent nothing: back as it was, for anyone. */
  unclaim: (why: string): Decision => ({ settlement: { kind: 'unclaim' }, outcome: { result: 'retry', detail: why } }),
};

/**
 * A failed attempt worth retrying: with backoff, until WORKER_MAX_ATTEMPTS attempts have failed,
 * then given up. Only attempts that reached the service count: a claim cut short by a crash
 * tells nothing. `verifyMissed`: a save from the verify queue that is not in the library goes
 * back to the save queue (saved again).
 */
export function afterFailedAttempt(
  ctx: AppContext,
  row: PresaveRow,
  error: string,
  kind: 'failedAttempt' | 'verifyMissed' = 'failedAttempt',
): Decision {
  const failures = row.failures + 1;
  const { maxAttempts, retryBaseMs } = ctx.config.worker;
  if (failures >= maxAttempts) return decide.failed(`${error} (gave up after ${failures} attempts)`);
  const at = ctx.now() + backoffMs(failures, retryBaseMs, BACKOFF_CAP_MS);
  return { settlement: { kind, at, error }, outcome: { result: 'retry', detail: error } };
}

/** The follow's twin of afterFailedAttempt: queued again with backoff, until WORKER_MAX_ATTEMPTS. */
export function followAfterFailedAttempt(ctx: AppContext, row: PresaveRow, error: string): FollowOutcome {
  const attempts = row.follow_attempts + 1;
  const { maxAttempts, retryBaseMs } = ctx.config.worker;
  if (attempts >= maxAttempts) return { status: 'failed', error: `${error} (gave up after ${attempts} attempts)`, failed: true };
  return { status: 'queued', error, at: ctx.now() + backoffMs(attempts, retryBaseMs, BACKOFF_CAP_MS), failed: true };
}

/**
 * A pre-save whose work keeps being cut short (its worker crashes on it, every time) is given up
 * on too, so one poisonous row cannot take workers down forever.
 */
export function interruptedTooOften(ctx: AppContext, row: PresaveRow): Decision | null {
  const interrupted = row.attempts - 1 - row.failures;
  if (interrupted < ctx.config.worker.maxAttempts * 3) return null;
  return decide.failed(
    `gave up: work on this pre-save was interrupted ${interrupted} times (a worker stopped or lost its lease each time)`,
  );
}
