import { ALL_TIME } from '../../analytics/dashboard.js';
import { rollupSource } from '../../analytics/queries.js';
import { HOUR, alignRange } from '../../analytics/time.js';
import type { EventName, Range } from '../../analytics/types.js';
import type { Db } from '../../db/index.js';

/**
 * Preview plays: the receipt's player reports three stages — started, reached 30 s (or the clip's
 * end when the clip is shorter), completed — once each per page view. Each is an analytics event
 * (preview_start, preview_30s, preview_complete) recorded like every other event (after the
 * response, bots filtered, the visitor hashed with a daily salt), so the dashboard reads them from
 * the same rollups as its other numbers: the hourly/daily rollups keep a count per event name, so
 * these counts are exact, not estimates.
 *
 * No "unique listeners": analytics visitor ids change every day by design (salted), and no table
 * ties a play to a receipt, so any such number would be a guess.
 */
export const PLAY_STAGES = ['start', '30s', 'complete'] as const;
export type PlayStage = (typeof PLAY_STAGES)[number];

const EVENT: Record<PlayStage, EventName> = { start: 'preview_start', '30s': 'preview_30s', complete: 'preview_complete' };

/** The event a reported stage records, or null for anything else a request may carry. */
export function playEvent(stage: unknown): EventName | null {
  return typeof stage === 'string' && (PLAY_STAGES as readonly string[]).includes(stage) ? EVENT[stage as PlayStage] : null;
}

export type PlayCounts = Record<PlayStage, number>;

/** Plays of the campaign's preview per stage, all time (or in `asked`). */
export async function previewPlays(db: Db, campaignId: number, asked: Range = ALL_TIME): Promise<PlayCounts> {
  const rows = await rollupSource.totals(db, [campaignId], alignRange(asked, HOUR), 0);
  const counts: PlayCounts = { start: 0, '30s': 0, complete: 0 };
  for (const stage of PLAY_STAGES) counts[stage] = rows.filter((r) => r.event === EVENT[stage]).reduce((n, r) => n + r.n, 0);
  return counts;
}
