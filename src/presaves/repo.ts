import type { Selectable } from 'kysely';
import type { Campaign } from '../campaigns/repo.js';
import { dueAtFor } from '../campaigns/timing.js';
import type { Db } from '../db/index.js';
import type { PresaveTable } from '../db/schema.js';
import { randomToken } from '../util/random.js';

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
 * cancelled. A release that is already out makes the save due now.
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
    /** The fan's country (ISO 3166-1 alpha-2) where known; defaults to the locale's region. */
    market?: string | null;
  },
  now: number,
): Promise<PresaveRow> {
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
    market: p.market !== undefined ? p.market : marketFromLocale(p.locale),
    follow_artist: p.campaign.follow_artist ? 1 : 0,
    due_at: due,
    next_attempt_at: due,
    updated_at: now,
  };
  if (existing) {
    if (existing.status === 'saved') return existing;
    return db
      .updateTable('presaves')
      .set({ ...fields, status: 'pending', attempts: 0, failures: 0, last_error: null, failure_reason: null })
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  return db
    .insertInto('presaves')
    .values({
      ...fields,
      public_id: randomToken(16),
      campaign_id: p.campaign.id,
      service: p.service,
      account_id: p.accountId,
      status: 'pending',
      attempts: 0,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findPresaveByPublicId(db: Db, publicId: string): Promise<PresaveRow | undefined> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(publicId)) return undefined;
  return db.selectFrom('presaves').selectAll().where('public_id', '=', publicId).executeTakeFirst();
}

export interface StatusCounts {
  total: number;
  pending: number;
  due: number;
  saved: number;
  failed: number;
  cancelled: number;
  byService: Record<string, { pending: number; saved: number; failed: number; cancelled: number }>;
  failureReasons: Record<string, number>;
}

export async function campaignStatusCounts(db: Db, campaignId: number, now: number): Promise<StatusCounts> {
  const rows = await db
    .selectFrom('presaves')
    .select(['service', 'status'])
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>(eb.case().when('next_attempt_at', '<=', now).then(1).else(0).end()).as('due'),
    ])
    .where('campaign_id', '=', campaignId)
    .groupBy(['service', 'status'])
    .execute();
  const counts: StatusCounts = { total: 0, pending: 0, due: 0, saved: 0, failed: 0, cancelled: 0, byService: {}, failureReasons: {} };
  for (const r of rows) {
    const n = Number(r.n);
    const status = r.status as PresaveStatus;
    counts.total += n;
    counts[status] += n;
    if (status === 'pending') counts.due += Number(r.due ?? 0);
    const s = (counts.byService[r.service] ??= { pending: 0, saved: 0, failed: 0, cancelled: 0 });
    s[status] += n;
  }
  const reasons = await db
    .selectFrom('presaves')
    .select('failure_reason')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'failed')
    .groupBy('failure_reason')
    .execute();
  for (const r of reasons) counts.failureReasons[r.failure_reason ?? 'unknown'] = Number(r.n);
  return counts;
}
