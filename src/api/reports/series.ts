import { DateTime } from 'luxon';
import type { TimeseriesPoint } from '../../analytics/dashboard.js';
import { timeseries } from '../../analytics/queries.js';
import { DAY } from '../../analytics/time.js';
import type { Range } from '../../analytics/types.js';
import type { Db } from '../../db/index.js';
import { DropdayError } from '../../errors.js';

/** At most this many days of local-day buckets: they are folded from hourly rollups (the dashboard query's 9,600-point cap). */
const MAX_LOCAL_DAYS = 400;

/**
 * The dashboard's time series (analytics/queries.ts `timeseries`, the same query) in hour or day
 * buckets. Hours and UTC days come straight from it. Days in another time zone are that zone's
 * calendar days, each the sum of the dashboard's hourly buckets inside it — exact for zones whose
 * offset is whole hours over the window; a zone with a half-hour offset (Asia/Kolkata) would cut
 * hours in two, so it is refused rather than answered with numbers that are not true.
 */
export async function seriesIn(
  db: Db,
  campaignId: number,
  asked: Range,
  interval: 'hour' | 'day',
  zone: string,
): Promise<{ range: Range; points: TimeseriesPoint[] }> {
  if (interval === 'hour' || zone === 'UTC') {
    const s = await timeseries(db, campaignId, asked, interval);
    return { range: s.range, points: s.points };
  }
  const from = DateTime.fromMillis(asked.from, { zone }).startOf('day');
  const toLocal = DateTime.fromMillis(asked.to - 1, { zone })
    .startOf('day')
    .plus({ days: 1 });
  if (toLocal.diff(from, 'days').days > MAX_LOCAL_DAYS)
    throw new DropdayError('VALIDATION', `Daily buckets in a time zone other than UTC cover at most ${MAX_LOCAL_DAYS} days.`, {
      'querystring.from': `must be at most ${MAX_LOCAL_DAYS} days before to`,
    });
  const range = { from: from.toMillis(), to: toLocal.toMillis() };
  for (let t = range.from; t <= range.to; t += DAY / 4)
    if (DateTime.fromMillis(t, { zone }).offset % 60 !== 0)
      throw new DropdayError('VALIDATION', `${zone} is not a whole number of hours from UTC: its days cannot be made of hourly counts.`, {
        'querystring.tz': 'has an offset that is not whole hours (ask for interval=hour, or days in UTC)',
      });
  const hourly = await timeseries(db, campaignId, range, 'hour');
  const days: TimeseriesPoint[] = [];
  const byDay = new Map<number, TimeseriesPoint>();
  for (let d = from; d.toMillis() < range.to; d = d.plus({ days: 1 })) {
    const p: TimeseriesPoint = {
      t: d.toMillis(),
      views: 0,
      visits: 0,
      uniqueVisitors: 0,
      serviceClicks: 0,
      listenClicks: 0,
      presaves: 0,
      cancellations: 0,
      saved: 0,
    };
    days.push(p);
    byDay.set(p.t, p);
  }
  for (const h of hourly.points) {
    const p = byDay.get(DateTime.fromMillis(h.t, { zone }).startOf('day').toMillis());
    if (!p) continue;
    for (const k of ['views', 'visits', 'uniqueVisitors', 'serviceClicks', 'listenClicks', 'presaves', 'cancellations', 'saved'] as const)
      p[k] += h[k];
  }
  return { range, points: days };
}
