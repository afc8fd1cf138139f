/**
 * Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and Jitter"):
 * a random wait in [0, min(cap, base·2^(attempt-1))]. Full jitter spreads a crowd of retries
 * evenly instead of letting them hit a recovering service in waves. Any kind of work item uses
 * it for its retries (pre-saves: fulfillment/presave/decision.ts).
 */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}
