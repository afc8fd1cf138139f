/**
 * Waiting for a release to appear: poll soon after the due time, then less often (a quarter of
 * the time waited so far), between 30 s and 15 min, lightly jittered so fans do not poll in step.
 */
export function releasePollMs(sinceDueMs: number, random: () => number = Math.random): number {
  const base = Math.min(15 * 60_000, Math.max(30_000, sinceDueMs / 4));
  return Math.round(base * (0.8 + 0.4 * random()));
}
