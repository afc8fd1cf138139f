import type { Db } from '../db/index.js';
import type { ConversionPlatform, ConversionStatus } from '../db/schema-conversions.js';
import { RESEND_WINDOW_MS } from './events/redrive.js';
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

/** A conversion problem the artist should act on, for the workspace overview's "Needs attention". */
export interface ConversionProblem {
  campaignId: number;
  platform: ConversionPlatform;
  /** `refused`: the platform refused the token (nothing is sent); `failed`: events given up on. */
  kind: 'refused' | 'failed';
  /** When: the refusal, or the latest event given up on. */
  at: number;
  /** The platform's words (refused), or the latest failure's (failed). */
  words: string;
  /** Events given up on (`failed` only). */
  count: number;
}

/**
 * Of these campaigns, the conversion problems that do not mend themselves and can still be fixed: a
 * refused token (nothing more is sent until it is replaced), and events given up on that could be
 * sent again — of a platform still set up with a token that was not refused, and recent enough for
 * it (events/redrive.ts RESEND_WINDOW_MS). Older ones, or a removed platform's, are history: the
 * item goes by itself. Events still being retried are not listed: they may yet get through. Three
 * queries whatever the number of campaigns.
 */
export async function conversionProblems(db: Db, campaignIds: readonly number[], now: number): Promise<ConversionProblem[]> {
  if (!campaignIds.length) return [];
  const [settings, failed] = await Promise.all([
    db
      .selectFrom('conversion_settings')
      .select([
        'campaign_id',
        'meta_token_enc',
        'meta_refused_at',
        'meta_refusal',
        'tiktok_token_enc',
        'tiktok_refused_at',
        'tiktok_refusal',
        'ga4_secret_enc',
      ])
      .where('campaign_id', 'in', campaignIds)
      .execute(),
    db
      .selectFrom('conversion_events as e')
      .select(['e.campaign_id', 'e.platform'])
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.max('e.updated_at').as('at'),
        // The latest failure's words: one scalar subquery per group (an OR per group would not scale on SQLite).
        eb
          .selectFrom('conversion_events as l')
          .select('l.last_error')
          .whereRef('l.campaign_id', '=', 'e.campaign_id')
          .whereRef('l.platform', '=', 'e.platform')
          .where('l.status', '=', 'failed')
          .orderBy('l.updated_at', 'desc')
          .orderBy('l.id', 'desc')
          .limit(1)
          .as('words'),
      ])
      .where('e.campaign_id', 'in', campaignIds)
      .where('e.status', '=', 'failed')
      .where((eb) => eb.or(PLATFORMS.map((p) => eb.and([eb('e.platform', '=', p), eb('e.created_at', '>=', now - RESEND_WINDOW_MS[p])]))))
      .groupBy(['e.campaign_id', 'e.platform'])
      .execute(),
  ]);
  const out: ConversionProblem[] = [];
  const usable = new Set<string>();
  for (const r of settings) {
    const id = Number(r.campaign_id);
    if (r.meta_refused_at !== null)
      out.push({ campaignId: id, platform: 'meta', kind: 'refused', at: Number(r.meta_refused_at), words: r.meta_refusal ?? '', count: 0 });
    else if (r.meta_token_enc) usable.add(`${id}|meta`);
    if (r.tiktok_refused_at !== null)
      out.push({
        campaignId: id,
        platform: 'tiktok',
        kind: 'refused',
        at: Number(r.tiktok_refused_at),
        words: r.tiktok_refusal ?? '',
        count: 0,
      });
    else if (r.tiktok_token_enc) usable.add(`${id}|tiktok`);
    if (r.ga4_secret_enc) usable.add(`${id}|ga4`);
  }
  for (const f of failed) {
    if (!usable.has(`${Number(f.campaign_id)}|${f.platform}`)) continue;
    out.push({
      campaignId: Number(f.campaign_id),
      platform: f.platform,
      kind: 'failed',
      at: Number(f.at),
      words: f.words ?? '',
      count: Number(f.n),
    });
  }
  return out.sort((a, b) => b.at - a.at);
}

/** A platform's events given up on, for the editor panel: how many, how many are still new enough to send again, the last error. */
export interface FailedEvents {
  count: number;
  resendable: number;
  lastError: string | null;
}

/** Per platform, the campaign's failed events (events/redrive.ts RESEND_WINDOW_MS says which may be sent again). */
export async function failedEvents(db: Db, campaignId: number, now: number): Promise<Partial<Record<ConversionPlatform, FailedEvents>>> {
  const failed = () => db.selectFrom('conversion_events').where('campaign_id', '=', campaignId).where('status', '=', 'failed');
  const counts = await failed()
    .select(['platform', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('platform')
    .execute();
  const out: Partial<Record<ConversionPlatform, FailedEvents>> = {};
  for (const c of counts) {
    const [recent, last] = await Promise.all([
      failed()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('platform', '=', c.platform)
        .where('created_at', '>=', now - RESEND_WINDOW_MS[c.platform])
        .executeTakeFirstOrThrow(),
      failed()
        .select('last_error')
        .where('platform', '=', c.platform)
        .orderBy('updated_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst(),
    ]);
    out[c.platform] = { count: Number(c.n), resendable: Number(recent.n), lastError: last?.last_error ?? null };
  }
  return out;
}
