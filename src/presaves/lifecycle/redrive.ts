import type { Db } from '../../db/index.js';
import { containsPattern, liveGrant } from './live-grant.js';

/**
 * failed → pending, due now, counts reset: an operator puts a campaign's failed pre-saves back
 * (only those whose reason contains `reason`, when given). Idempotent. Pre-saves whose grant is
 * dead are left alone unless `includeDeadGrants`: those fans must pre-save again.
 */
export async function redrivePresaves(
  db: Db,
  campaignId: number,
  opts: { reason?: string; includeDeadGrants?: boolean },
  now: number,
): Promise<number> {
  let q = db
    .updateTable('presaves')
    .set({ status: 'pending', attempts: 0, failures: 0, next_attempt_at: now, failure_reason: null, updated_at: now })
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'failed');
  if (opts.reason) q = q.where('failure_reason', 'like', containsPattern(opts.reason));
  if (!opts.includeDeadGrants) q = q.where(liveGrant);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}
