import type { Campaign } from '../../campaigns/repo.js';
import { instantOf } from '../../campaigns/timing.js';
import { isolate, t, type Lang } from '../../i18n/index.js';
import { escapeText, icsLines, utcStamp, wallStamp } from './ics.js';
import { vtimezoneLines } from './vtimezone.js';

/**
 * The release as a calendar entry, for a fan who leaves no contact at all (docs/reach.md,
 * "Calendar"): `GET /<slug>/reminder.ics` and an "Add to Google Calendar" link.
 *
 * When it starts:
 * - global timing: the one instant, in UTC (`DTSTART:…Z`);
 * - local timing with the fan's zone (`?tz=`, filled in by the page's script): the wall time in
 *   that zone (`DTSTART;TZID=<zone>:…` plus the zone's VTIMEZONE);
 * - local timing without a zone: a *floating* time (no `Z`, no TZID), which calendars read in
 *   whatever zone the fan's calendar is in — "midnight wherever you are", which is exactly what
 *   local timing means.
 */
export type CalendarCampaign = Pick<
  Campaign,
  'id' | 'slug' | 'title' | 'artist_name' | 'timing' | 'release_local' | 'release_timezone' | 'updated_at'
>;

/** How long the entry lasts: a reminder, not an appointment. */
const DURATION_MS = 3_600_000;

export interface ReminderWords {
  summary: string;
  description: string;
  alarm: string;
}

/** The entry's words in the fan's language, with the smart link in the description. */
export function reminderWords(c: CalendarCampaign, lang: Lang, smartLink: string): ReminderWords {
  const values = { title: isolate(lang, c.title), artist: isolate(lang, c.artist_name) };
  return {
    summary: t(lang, 'calendar.summary', values),
    description: t(lang, 'calendar.description', { ...values, link: smartLink }),
    alarm: t(lang, 'calendar.alarm', values),
  };
}

export const smartLinkOf = (publicUrl: string, slug: string) => `${publicUrl}/${slug}`;

/** Start and end as iCalendar writes them, and which of the three kinds of time it is. */
function times(c: CalendarCampaign, zone: string | null): { kind: 'utc' | 'zoned' | 'floating'; start: string; end: string } {
  if (c.timing === 'global') {
    const at = instantOf(c.release_local, c.release_timezone);
    return { kind: 'utc', start: utcStamp(at), end: utcStamp(at + DURATION_MS) };
  }
  // The end is the wall time an hour later, read the same way as the start.
  const start = wallStamp(c.release_local);
  const wallAsUtc = Date.parse(`${c.release_local.length === 16 ? `${c.release_local}:00` : c.release_local}Z`);
  const end = utcStamp(wallAsUtc + DURATION_MS).slice(0, -1);
  return { kind: zone ? 'zoned' : 'floating', start, end };
}

/** The .ics file (RFC 5545): one VEVENT with a display alarm at the moment. */
export function reminderIcs(o: { campaign: CalendarCampaign; lang: Lang; zone: string | null; publicUrl: string }): string {
  const c = o.campaign;
  const link = smartLinkOf(o.publicUrl, c.slug);
  const words = reminderWords(c, o.lang, link);
  const when = times(c, o.zone);
  const host = new URL(o.publicUrl).host;
  const param = when.kind === 'zoned' ? `;TZID=${o.zone}` : '';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Dropday//Release reminder//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...(when.kind === 'zoned' ? vtimezoneLines(o.zone!, instantOf(c.release_local, o.zone!)) : []),
    'BEGIN:VEVENT',
    // One entry per campaign: adding it again (another zone, a changed date) updates it.
    `UID:dropday-campaign-${c.id}@${host}`,
    `DTSTAMP:${utcStamp(c.updated_at)}`,
    `DTSTART${param}:${when.start}`,
    `DTEND${param}:${when.end}`,
    `SUMMARY:${escapeText(words.summary)}`,
    `DESCRIPTION:${escapeText(words.description)}`,
    `URL:${link}`,
    'TRANSP:TRANSPARENT',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    'TRIGGER:PT0S',
    `DESCRIPTION:${escapeText(words.alarm)}`,
    'END:VALARM',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return icsLines(lines);
}

/**
 * "Add to Google Calendar": Google's event template link. Global timing: UTC times; local timing
 * without a zone: times without `Z` or `ctz`, which Google reads in the fan's calendar zone (the
 * same floating "midnight wherever you are" as the file); with a zone: `ctz`.
 */
export function googleCalendarUrl(o: { campaign: CalendarCampaign; lang: Lang; zone: string | null; publicUrl: string }): string {
  const c = o.campaign;
  const link = smartLinkOf(o.publicUrl, c.slug);
  const words = reminderWords(c, o.lang, link);
  const when = times(c, o.zone);
  const q = new URLSearchParams({
    action: 'TEMPLATE',
    text: words.summary,
    dates: `${when.start}/${when.end}`,
    details: words.description,
  });
  if (when.kind === 'zoned') q.set('ctz', o.zone!);
  return `https://calendar.google.com/calendar/render?${q.toString()}`;
}
