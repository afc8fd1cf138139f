import type { Db } from '../../db/index.js';

/**
 * Unconfirmed addresses are kept only as long as their confirmation link works: after
 * `confirm_expires_at` the contact is deleted with its consents and the messages queued for it
 * (foreign keys cascade). Run by the web processes' housekeeping timer (web/housekeeping.ts).
 * A suppressed address waiting for a new confirmation is not deleted: its suppression must stay.
 */
export async function deleteExpiredContacts(db: Db, now: number): Promise<number> {
  const r = await db.deleteFrom('contacts').where('status', '=', 'unconfirmed').where('confirm_expires_at', '<', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
