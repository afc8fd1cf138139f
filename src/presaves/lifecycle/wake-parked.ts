import type { Db } from '../../db/index.js';

/**
 * pending, parked (not leased, due later) → pending, due now: a paused service or a campaign's
 * pause was lifted, so the pre-saves parked behind it go at once. Counts are untouched (parking
 * never counted). `campaignId` narrows it to one campaign.
 */
export async function wakeParked(db: Db, p: { services: string[]; campaignId?: number }, now: number): Promise<number> {
  if (!p.services.length) return 0;
  let q = db
    .updateTable('presaves')
    .set({ next_attempt_at: now, updated_at: now })
    .where('status', '=', 'pending')
    .where('service', 'in', p.services)
    .where('next_attempt_at', '>', now)
    .where('lease_token', 'is', null);
  if (p.campaignId !== undefined) q = q.where('campaign_id', '=', p.campaignId);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}
