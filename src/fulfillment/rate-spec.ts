/**
 * Rate limits as operators write them: `spotify=100/30s,tidal=5/s,deezer=50/5s`. A provider's
 * rolling window of W seconds is honoured with a per-second budget of R/(W+1): no W-second
 * span can then hold more than R requests, whichever way the window slides (less WINDOW_SLACK).
 */
/**
 * A request is counted by the provider when it arrives, not when the governor granted it; on a
 * busy machine the two drift apart by up to a few hundred milliseconds, enough to carry a few of
 * one second's requests into the next window. 1 % of the window (12 requests of 1200/30s) absorbs
 * that; without it a loaded run met the limit exactly and drew a burst of 429s.
 */
const WINDOW_SLACK = 0.01;

export function parseRateLimits(text: string | undefined): { limits: Record<string, number>; problems: string[] } {
  const limits: Record<string, number> = {};
  const problems: string[] = [];
  if (!text) return { limits, problems };
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([a-z-]+)=(\d+(?:\.\d+)?)\/(\d*)(s|min)$/.exec(part);
    if (!m) {
      problems.push(`RATE_LIMITS entry "${part}" must look like spotify=100/30s, tidal=5/s or deezer=50/5s`);
      continue;
    }
    const windowS = (Number(m[3] || '1') || 1) * (m[4] === 'min' ? 60 : 1);
    const n = Number(m[2]);
    limits[m[1]!] = n === 0 ? 0 : windowS === 1 ? n : (n / (windowS + 1)) * (1 - WINDOW_SLACK);
  }
  return { limits, problems };
}
