import type { Selectable } from 'kysely';
import { deliveryReport, type DeliveryReport } from '../analytics/delivery.js';
import type { Campaign } from '../campaigns/repo.js';
import { dueAtFor } from '../campaigns/timing.js';
import type { Db } from '../db/index.js';
import type { PresaveTable } from '../db/schema.js';
import { createPresave } from './lifecycle/create.js';
import { reauthorizePresave } from './lifecycle/reauthorize.js';

/** 'de-DE' → 'DE'; null when the locale names no region. */
export function marketFromLocale(locale: string | null): string | null {
  const m = locale ? /^[a-z]{2,3}-([A-Z]{2})\b/i.exec(locale) : null;
  return m ? m[1]!.toUpperCase() : null;
}

export type PresaveRow = Selectable<PresaveTable>;
export type PresaveStatus = 'pending' | 'saved' | 'failed' | 'cancelled';

/**
 * Records a fan's pre-save (one per campaign, service and account). A fan who authorizes again
 * updates their pending pre-save; a finished one is not repeated unless it had failed or was
 * cancelled. A release that is already out makes the save due now. Writes go through the
 * lifecycle (create.ts, reauthorize.ts). `added`: the fan had no standing (pending or saved)
 * pre-save on this service before — what a count of pre-saves made may count.
 */
export async function recordPresave(
  db: Db,
  p: {
    campaign: Campaign;
    grantId: number;
    service: string;
    accountId: string;
    timezone: string;
    locale: string | null;
    /** The language the fan chose (i18n/languages.ts): the receipt page's and later messages'. */
    lang?: string | null;
    /** The fan's country (ISO 3166-1 alpha-2) where known; defaults to the locale's region. */
    market?: string | null;
  },
  now: number,
): Promise<{ row: PresaveRow; added: boolean }> {
  const due = Math.max(dueAtFor(p.campaign, p.timezone), now);
  const existing = await db
    .selectFrom('presaves')
    .selectAll()
    .where('campaign_id', '=', p.campaign.id)
    .where('service', '=', p.service)
    .where('account_id', '=', p.accountId)
    .executeTakeFirst();
  const fields = {
    grant_id: p.grantId,
    timezone: p.timezone,
    locale: p.locale,
    lang: p.lang ?? null,
    market: p.market !== undefined ? p.market : marketFromLocale(p.locale),
    follow_artist: p.campaign.follow_artist ? 1 : 0,
    due_at: due,
    next_attempt_at: due,
  };
  if (existing) {
    if (existing.status === 'saved') return { row: existing, added: false };
    const added = existing.status !== 'pending';
    // Saved meanwhile (the fence held): the finished pre-save is what the fan has.
    const row =
      (await reauthorizePresave(db, existing.id, fields, now)) ??
      (await db.selectFrom('presaves').selectAll().where('id', '=', existing.id).executeTakeFirstOrThrow());
    return { row, added };
  }
  const row = await createPresave(db, { ...fields, campaign_id: p.campaign.id, service: p.service, account_id: p.accountId }, now);
  return { row, added: true };
}

export async function findPresaveByPublicId(db: Db, publicId: string): Promise<PresaveRow | undefined> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(publicId)) return undefined;
  return db.selectFrom('presaves').selectAll().where('public_id', '=', publicId).executeTakeFirst();
}

export interface StatusCounts {
  total: number;
  pending: number;
  /** Pending whose release time has come (worked on now, or waiting to retry). */
  due: number;
  /** Pending whose release time is still ahead. */
  scheduled: number;
  saved: number;
  failed: number;
  cancelled: number;
  byService: Record<string, { pending: number; saved: number; failed: number; cancelled: number }>;
  failureReasons: Record<string, number>;
}

/**
 * The counts of a campaign's pre-saves, read from the delivery report: `dropday status` and the
 * dashboard use the same query and definitions, so they agree at the same moment.
 */
export async function campaignStatusCounts(db: Db, campaignId: number, now: number): Promise<StatusCounts> {
  return statusCountsOf(await deliveryReport(db, campaignId, now));
}

export function statusCountsOf(r: DeliveryReport): StatusCounts {
  return {
    total: r.total,
    pending: r.pending,
    due: r.due,
    scheduled: r.scheduled,
    saved: r.saved,
    failed: r.failed,
    cancelled: r.cancelled,
    byService: Object.fromEntries(
      Object.entries(r.byService).map(([k, s]) => [
        k,
        { pending: s.due + s.scheduled, saved: s.saved, failed: s.failed, cancelled: s.cancelled },
      ]),
    ),
    failureReasons: r.failureReasons,
  };
}
