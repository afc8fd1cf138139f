import { instantOf, parseReleaseAt } from '../../campaigns/timing.js';

/**
 * When pre-savers may start listening: an absolute date and time read in the campaign's own zone
 * (the zone its release is set in), or a number of hours before the campaign's first release
 * instant (with "local" timing, the moment the release reaches the first place on Earth). It is
 * stored as one instant (`previews.available_from`): moving the release later does not move the
 * moment, and the Growth page says so when the moment is no longer before the release.
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

export type MomentResult = { ok: true; at: number } | { ok: false; field: 'available_at' | 'hours_before'; problem: string };

/** The moment an artist typed, as an instant, or what is wrong with it (for the field it names). */
export function momentFrom(input: MomentInput, c: CampaignTiming): MomentResult {
  let at: number;
  if (input.mode === 'before') {
    const text = input.hours.trim();
    if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > MAX_HOURS_BEFORE)
      return { ok: false, field: 'hours_before', problem: `must be a whole number of hours from 1 to ${MAX_HOURS_BEFORE}` };
    at = c.first_release_at - Number(text) * 3_600_000;
  } else {
    const wall = parseReleaseAt(input.at, c.release_timezone);
    if (!wall)
      return { ok: false, field: 'available_at', problem: `must be a date and time like 2026-12-03T18:00 (read in ${c.release_timezone})` };
    at = instantOf(wall, c.release_timezone);
    if (at >= c.first_release_at) return { ok: false, field: 'available_at', problem: 'must be before the release' };
  }
  return { ok: true, at };
}

/** Whether the preview may be heard at `now` (from the moment on; release does not close it). */
export function isOpen(availableFrom: number, now: number): boolean {
  return now >= availableFrom;
}
