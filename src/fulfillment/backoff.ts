/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and Jitter"):
 * a random wait in [0, min(cap, base·2^(attempt-1))]. Full jitter spreads a crowd of retries
 * evenly instead of letting them hit a recovering service in waves.
 */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}

/**
 * Waiting for a release to appear: poll soon after the due time, then less often (a quarter of
 * the time waited so far), between 30 s and 15 min, lightly jittered so fans do not poll in step.
 */
export function releasePollMs(sinceDueMs: number, random: () => number = Math.random): number {
  const base = Math.min(15 * 60_000, Math.max(30_000, sinceDueMs / 4));
  return Math.round(base * (0.8 + 0.4 * random()));
}
