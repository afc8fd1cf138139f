import type { Db } from '../../db/index.js';
import { contains, LIVE_GRANT } from './live-grant.js';

/**
 * saved, follow failed | waiting → follow queued, due now, follow count reset (the row stays
 * `saved`). Two callers: an operator's re-drive (failed follows, `errorLike`, live grants only,
 * the error cleared) and a campaign's resume (waiting and failed follows on the resumed services).
 */
export async function requeueFollows(
  db: Db,
  p: {
    campaignId: number;
    from: ('failed' | 'waiting')[];
    services?: string[];
    errorLike?: string;
    liveGrantsOnly?: boolean;
    clearError?: boolean;
  },
  now: number,
): Promise<number> {
  let q = db
    .updateTable('presaves')
    .set({
      follow_status: 'queued',
      follow_attempts: 0,
      next_attempt_at: now,
      updated_at: now,
      ...(p.clearError ? { follow_error: null } : {}),
    })
    .where('campaign_id', '=', p.campaignId)
    .where('status', '=', 'saved')
    .where('follow_status', 'in', p.from);
  if (p.services) q = q.where('service', 'in', p.services);
  if (p.errorLike) q = q.where(contains('follow_error', p.errorLike));
  if (p.liveGrantsOnly) q = q.where(LIVE_GRANT);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}
