import { DateTime } from 'luxon';
import { wallStamp } from './ics.js';

/**
 * A VTIMEZONE (RFC 5545 §3.6.5) for an IANA zone, so an event written `DTSTART;TZID=<zone>` is
 * read at the right instant by every calendar, including those that do not know the zone's name.
 * The zone's rules are not written as RRULEs: the offsets luxon (the platform's tz database)
 * gives are written out as each change between a year before and two years after the event —
 * plenty for a reminder, and exact for the one instant that matters.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

const offsetAt = (zone: string, at: number) => DateTime.fromMillis(at, { zone }).offset;

/**
 * The instants in [from, to) where the zone's offset changes: found a day at a time (no zone
 * changes twice in a day), then narrowed to the minute — about a thousand look-ups for three years.
 */
function transitions(zone: string, from: number, to: number): number[] {
  const found: number[] = [];
  let prev = offsetAt(zone, from);
  for (let t = from + DAY; t < to; t += DAY) {
    const off = offsetAt(zone, t);
    if (off === prev) continue;
    let lo = t - DAY;
    let hi = t;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetAt(zone, mid) === prev) lo = mid;
      else hi = mid;
    }
    found.push(hi);
    prev = off;
  }
  return found;
}

/** The observance's local start, in the offset before it (§3.8.2.4: DTSTART of a sub-component). */
function localStart(at: number, offsetBeforeMinutes: number): string {
  return wallStamp(new Date(at + offsetBeforeMinutes * 60_000).toISOString());
}

/** Made once per zone and event day: the .ics route is open to anyone, so it stays cheap. */
const made = new Map<string, string[]>();
const MADE_MAX = 500;

export function vtimezoneLines(zone: string, around: number): string[] {
  const key = `${zone} ${Math.floor(around / DAY)}`;
  const known = made.get(key);
  if (known) return known;
  const lines = buildVtimezone(zone, Math.floor(around / DAY) * DAY);
  if (made.size >= MADE_MAX) made.delete(made.keys().next().value!);
  made.set(key, lines);
  return lines;
}

function buildVtimezone(zone: string, around: number): string[] {
  const from = around - 366 * DAY;
  const to = around + 2 * 366 * DAY;
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  const observance = (at: number, before: number, after: number) => {
    const dt = DateTime.fromMillis(at, { zone });
    const kind = dt.isInDST ? 'DAYLIGHT' : 'STANDARD';
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${localStart(at, before)}`,
      `TZOFFSETFROM:${offsetText(before)}`,
      `TZOFFSETTO:${offsetText(after)}`,
      ...(dt.offsetNameShort && /^[A-Za-z]{2,6}$/.test(dt.offsetNameShort) ? [`TZNAME:${dt.offsetNameShort}`] : []),
      `END:${kind}`,
    );
  };
  // The offset in force at the window's start, then every change in it.
  const first = offsetAt(zone, from);
  observance(from, first, first);
  let before = first;
  for (const at of transitions(zone, from, to)) {
    const after = offsetAt(zone, at);
    observance(at, before, after);
    before = after;
  }
  lines.push('END:VTIMEZONE');
  return lines;
}
