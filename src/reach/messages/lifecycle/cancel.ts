import { sql } from 'kysely';
import type { Db } from '../../../db/index.js';
import type { MessageType } from '../../../db/schema-reach.js';

/**
 * Cancel: messages not yet sent to a contact or push subscription stop (withdrawal, erasure,
 * suppression). A message a worker holds right now is cancelled too: its settle is fenced on
 * `status = 'pending'` and changes nothing.
 */
export async function cancelMessages(
  db: Db,
  to: { contactId: number } | { pushId: number },
  now: number,
  only: { types?: MessageType[]; campaignId?: number; dedupePrefix?: string } = {},
): Promise<number> {
  let q = db
    .updateTable('messages')
    .set({ status: 'cancelled', lease_owner: null, lease_token: null, lease_until: null, updated_at: now })
    .where('status', '=', 'pending');
  q = 'contactId' in to ? q.where('contact_id', '=', to.contactId) : q.where('push_id', '=', to.pushId);
  if (only.types?.length) q = q.where('type', 'in', only.types);
  if (only.campaignId !== undefined) q = q.where('campaign_id', '=', only.campaignId);
  // One sender's messages among the recipient's (a forever save's notices: `forever:<id>:`).
  // (substr, not LIKE: no wildcard in the prefix can widen it, on either database)
  if (only.dedupePrefix !== undefined) {
    const prefix = only.dedupePrefix;
    q = q.where(sql<string>`substr(dedupe, 1, ${prefix.length})`, '=', prefix);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
