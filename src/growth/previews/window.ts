import { instantOf, parseReleaseAt } from '../../campaigns/timing.js';

/**
 * When pre-savers may start listening: an absolute date and time read in the campaign's own zone
 * (the zone its release is set in), or a number of hours before the campaign's first release
 * instant (with "local" timing, the moment the release reaches the first place on Earth). Hours
 * before are stored as such (`previews.hours_before`) and read against the release as it is then,
 * so a rescheduled release moves the moment with it; an absolute moment stays put, and the Growth
 * page says so when it is no longer before the release.
 *
 * The preview stops being *early* at release, but pre-savers keep hearing it after that: they
 * asked to hear the record, the full track is out anyway, and a player that disappears at release
 * would look broken on a receipt page they come back to. The artist removes the preview to stop it.
 */
export const MAX_HOURS_BEFORE = 24 * 90;

export interface CampaignTiming {
  release_timezone: string;
  first_release_at: number;
}

export type MomentInput = { mode: 'at'; at: string } | { mode: 'before'; hours: string };

export type MomentResult =
  { ok: true; at: number; hoursBefore: number | null } | { ok: false; field: 'available_at' | 'hours_before'; problem: string };

/** The moment an artist typed, as an instant, or what is wrong with it (for the field it names). */
export function momentFrom(input: MomentInput, c: CampaignTiming): MomentResult {
  let at: number;
  let hoursBefore: number | null = null;
  if (input.mode === 'before') {
    const text = input.hours.trim();
    if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > MAX_HOURS_BEFORE)
      return { ok: false, field: 'hours_before', problem: `must be a whole number of hours from 1 to ${MAX_HOURS_BEFORE}` };
    hoursBefore = Number(text);
    at = c.first_release_at - hoursBefore * 3_600_000;
  } else {
    const wall = parseReleaseAt(input.at, c.release_timezone);
    if (!wall)
      return { ok: false, field: 'available_at', problem: `must be a date and time like 2026-12-03T18:00 (read in ${c.release_timezone})` };
    at = instantOf(wall, c.release_timezone);
    if (at >= c.first_release_at) return { ok: false, field: 'available_at', problem: 'must be before the release' };
  }
  return { ok: true, at, hoursBefore };
}

/** Whether the preview may be heard at `now` (from the moment on; release does not close it). */
export function isOpen(availableFrom: number, now: number): boolean {
  return now >= availableFrom;
}
