import { DAY, HOUR } from './time.js';
import type { Range } from './types.js';

/** Up to two weeks the series is hourly, then daily. */
const HOURLY_UP_TO = 14 * DAY;
/** A new campaign's chart still spans two days, so a first visit is not a lone point. */
const MIN_SPAN = 2 * DAY;

/**
 * A campaign's time series window when none is asked for: from the day the campaign was created to
 * now (at least two days). The dashboard's chart and the API's timeseries default to it.
 */
export function seriesWindow(c: { created_at: number }, now: number): { range: Range; bucket: 'hour' | 'day' } {
  const from = Math.floor(Math.min(c.created_at, now) / DAY) * DAY;
  const to = Math.max(Math.ceil((now + 1) / HOUR) * HOUR, from + MIN_SPAN);
  const bucket = to - from <= HOURLY_UP_TO ? 'hour' : 'day';
  return { range: { from, to }, bucket };
}
