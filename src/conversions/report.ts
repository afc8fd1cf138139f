import type { Db } from '../db/index.js';
import type { ConversionPlatform, ConversionStatus } from '../db/schema-conversions.js';
import { PLATFORMS } from './platforms.js';
import { conversionSettings } from './settings.js';

/** One platform's events of a campaign: counts by status, the token refusal, the latest failure in words. */
export interface PlatformReport {
  counts: Record<ConversionStatus, number>;
  /** Pending events that failed at least once (being retried). */
  retrying: number;
  /** The platform refused the token: when, and its words (nothing more is sent until it is replaced). */
  refused: { at: number; words: string } | null;
  /** The words of the most recent failure, of a failed or retrying event. */
  lastError: string | null;
}

/**
 * What became of a campaign's conversion events, per platform that has settings or events — for
 * `dropday status`, so an operator sees a refused token or an unreachable platform without SQL.
 */
export async function conversionReport(db: Db, campaignId: number): Promise<Partial<Record<ConversionPlatform, PlatformReport>>> {
  const [settings, rows, errors] = await Promise.all([
    conversionSettings(db, campaignId),
    db
      .selectFrom('conversion_events')
      .select(['platform', 'status'])
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>(eb.case().when('failures', '>', 0).then(1).else(0).end()).as('failing'),
      ])
      .where('campaign_id', '=', campaignId)
      .groupBy(['platform', 'status'])
      .execute(),
    db
      .selectFrom('conversion_events')
      .select(['platform', 'last_error'])
      .where('campaign_id', '=', campaignId)
      .where('last_error', 'is not', null)
      .where('status', 'in', ['pending', 'failed'])
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .execute(),
  ]);
  const out: Partial<Record<ConversionPlatform, PlatformReport>> = {};
  const of = (p: ConversionPlatform): PlatformReport =>
    (out[p] ??= {
      counts: { pending: 0, sent: 0, failed: 0, cancelled: 0 },
      retrying: 0,
      refused: settings[p]?.refused ?? null,
      lastError: errors.find((e) => e.platform === p)?.last_error ?? null,
    });
  for (const p of PLATFORMS) if (settings[p]) of(p);
  for (const r of rows) {
    const rep = of(r.platform);
    rep.counts[r.status] = Number(r.n);
    if (r.status === 'pending') rep.retrying = Number(r.failing ?? 0);
  }
  return out;
}
