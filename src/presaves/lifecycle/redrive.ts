import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/index.js';
import { redriveFailed } from '../../delivery/redrive.js';
import { contains, LIVE_GRANT } from './live-grant.js';
import { PRESAVE_QUEUE } from './queue.js';

/**
 * failed → pending, due now, counts reset: an operator puts a campaign's failed pre-saves back
 * (only those whose reason contains `reason`, and only on `service`, when given). Idempotent. Pre-saves whose grant is
 * dead are left alone unless `includeDeadGrants`: those fans must pre-save again. One statement
 * (delivery/redrive.ts).
 */
export async function redrivePresaves(
  db: Db,
  campaignId: number,
  opts: { reason?: string; service?: string; includeDeadGrants?: boolean },
  now: number,
): Promise<number> {
  const which: RawBuilder<unknown>[] = [sql`campaign_id = ${campaignId}`];
  if (opts.reason) which.push(contains('failure_reason', opts.reason));
  if (opts.service) which.push(sql`service = ${opts.service}`);
  if (!opts.includeDeadGrants) which.push(LIVE_GRANT);
  return redriveFailed(db, PRESAVE_QUEUE, { which: sql.join(which, sql` AND `), set: { failure_reason: null }, now });
}
