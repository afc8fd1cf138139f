/**
 * When to look a release up again (docs/store-links.md). Catalogs list a release some days before
 * it comes out (pre-orders) or only at release, and link-out services follow over the next days:
 * rarely while the release is far, every hour around release day, then a few times a day for two
 * weeks. After that the look-ups stop: what was not found by then is not coming.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const LOOKUP_WINDOW_AFTER_RELEASE_MS = 14 * DAY;
/** After a network failure or a 5xx: soon, but not sooner than this. */
const AFTER_FAILURE_MS = 10 * 60_000;

/** The next regular look-up after `now`, or null when the schedule is over. */
export function nextLookupAt(now: number, releaseAt: number): number | null {
  if (now >= releaseAt + LOOKUP_WINDOW_AFTER_RELEASE_MS) return null;
  const step = now < releaseAt - 7 * DAY ? DAY : now < releaseAt - DAY ? 6 * HOUR : now < releaseAt + DAY ? HOUR : 6 * HOUR;
  return Math.min(now + step, releaseAt + LOOKUP_WINDOW_AFTER_RELEASE_MS);
}

/** After a failure that may pass (network, 5xx): a little later, never later than the regular look-up. */
export function retryAfterFailureAt(now: number, releaseAt: number): number | null {
  const regular = nextLookupAt(now, releaseAt);
  return regular === null ? null : Math.min(regular, now + AFTER_FAILURE_MS);
}
