import { sql } from 'kysely';
import type { Db } from '../../../db/index.js';
import { redriveFailed } from '../../../delivery/redrive.js';
import { MESSAGE_QUEUE } from '../queue.js';

/**
 * failed → pending, due now, fresh counts (delivery/redrive.ts): the operator fixed the relay.
 * Bounced messages stay failed (the address is suppressed: nothing may be sent to it), and so do
 * messages to a push subscription that is gone.
 */
export function redriveFailedMessages(db: Db, p: { campaignId?: number; now: number }): Promise<number> {
  const scope = p.campaignId === undefined ? sql`1 = 1` : sql`campaign_id = ${p.campaignId}`;
  return redriveFailed(db, MESSAGE_QUEUE, {
    which: sql`${scope} AND (failure_reason IS NULL OR failure_reason NOT IN ('bounced', 'gone'))`,
    set: { failure_reason: null, last_error: null },
    now: p.now,
  });
}
