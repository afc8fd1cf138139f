/**
 * Rate limits as operators write them: `spotify=100/30s,tidal=5/s,deezer=50/5s`. A provider's
 * rolling window of W seconds is honoured with a per-second budget of R/(W+1): no W-second
 * span can then hold more than R requests, whichever way the window slides.
 */
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
    limits[m[1]!] = n === 0 ? 0 : windowS === 1 ? n : n / (windowS + 1);
  }
  return { limits, problems };
}
