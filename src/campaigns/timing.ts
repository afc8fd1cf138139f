import { DateTime, IANAZone } from 'luxon';

/**
 * Release timing. A campaign stores its release as a wall-clock time (`YYYY-MM-DDTHH:mm:ss`)
 * plus a time zone. `global` timing: one instant, that wall time in the campaign's zone.
 * `local` timing ("store turn"): the same wall time in each fan's own zone, so New Zealand
 * (UTC+13/+14) gets it first and Baker Island (UTC-12) last.
 */
export type Timing = 'local' | 'global';

const EARLIEST_ZONE = 'Etc/GMT-14'; // UTC+14, the first place a calendar day starts
const LATEST_ZONE = 'Etc/GMT+12'; // UTC-12, the last

export function isValidTimeZone(tz: unknown): tz is string {
  return typeof tz === 'string' && tz.length <= 64 && /^[A-Za-z0-9_+\-/]+$/.test(tz) && IANAZone.isValidZone(tz);
}

const WALL_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Reads a release time given by a person: an instant with an offset (`2026-12-05T00:00:00Z`),
 * a wall time (`2026-12-05T00:00`) or a date (`2026-12-05`, meaning midnight), read in `zone`.
 * Returns the wall time in `zone`, or null when the text is not a valid time.
 */
export function parseReleaseAt(input: string, zone: string): string | null {
  const text = input.trim();
  let dt: DateTime;
  if (INSTANT_RE.test(text)) dt = DateTime.fromISO(text, { setZone: true }).setZone(zone);
  else if (WALL_RE.test(text)) dt = DateTime.fromISO(text, { zone });
  else if (/^\d{4}-\d{2}-\d{2}$/.test(text)) dt = DateTime.fromISO(`${text}T00:00:00`, { zone });
  else return null;
  if (!dt.isValid) return null;
  return dt.toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

/** The instant a wall time happens in a zone (a wall time skipped by a DST jump moves forward). */
export function instantOf(releaseLocal: string, zone: string): number {
  const dt = DateTime.fromISO(releaseLocal, { zone });
  if (!dt.isValid) throw new Error(`invalid wall time ${releaseLocal} in ${zone}`);
  return dt.toMillis();
}

export interface ReleaseWindow {
  firstReleaseAt: number;
  lastReleaseAt: number;
}

export function releaseWindow(releaseLocal: string, zone: string, timing: Timing): ReleaseWindow {
  if (timing === 'global') {
    const at = instantOf(releaseLocal, zone);
    return { firstReleaseAt: at, lastReleaseAt: at };
  }
  return { firstReleaseAt: instantOf(releaseLocal, EARLIEST_ZONE), lastReleaseAt: instantOf(releaseLocal, LATEST_ZONE) };
}

/** When a fan's save falls due. */
export function dueAtFor(campaign: { timing: string; release_local: string; release_timezone: string }, fanZone: string): number {
  return campaign.timing === 'local'
    ? instantOf(campaign.release_local, fanZone)
    : instantOf(campaign.release_local, campaign.release_timezone);
}

/** "Friday 5 December 2026 at 00:00 (Europe/Paris)", in the reader's locale where given. */
export function describeInstant(at: number, zone: string, locale = 'en'): string {
  const dt = DateTime.fromMillis(at, { zone }).setLocale(safeLocale(locale));
  return `${dt.toLocaleString(DateTime.DATE_HUGE)} ${dt.toFormat('HH:mm')} (${zone})`;
}

function safeLocale(locale: string): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length ? locale : 'en';
  } catch {
    return 'en';
  }
}

/**
 * The release as the artist entered it, the one wording every page and command uses:
 * "Dec 8, 2026, 00:00 at each fan's local time" (local timing: a wall time, not an instant) or
 * "Dec 8, 2026, 00:00 Europe/Paris" (global timing: that wall time in the campaign's zone).
 */
export function describeRelease(c: { timing: string; release_local: string; release_timezone: string }): string {
  const dt = DateTime.fromISO(c.release_local, { zone: 'UTC' }).setLocale('en-US');
  const wall = dt.isValid ? `${dt.toFormat('MMM d, yyyy')}, ${dt.toFormat('HH:mm')}` : c.release_local;
  return c.timing === 'local' ? `${wall} at each fan's local time` : `${wall} ${c.release_timezone}`;
}
