import type { Db } from '../../db/index.js';
import { deleteUnconfirmedConsents } from '../consents.js';

/**
 * Unconfirmed addresses are kept only as long as their confirmation link works: after
 * `confirm_expires_at` the contact is deleted with its consents and the messages queued for it
 * (foreign keys cascade). Run by the web processes' housekeeping timer (web/housekeeping.ts).
 * A suppressed address waiting for a new confirmation is not deleted: its suppression must stay.
 *
 * The same goes for choices left later on an address already confirmed and never confirmed by
 * its owner (`ttlMs`: CONTACT_CONFIRM_TTL_HOURS): those consents are deleted, the contact and its
 * confirmed choices stay (reach/consents.ts deleteUnconfirmedConsents). Nothing was planned for
 * them, so no message is left behind.
 */
export async function deleteExpiredContacts(db: Db, now: number, ttlMs: number): Promise<number> {
  const r = await db.deleteFrom('contacts').where('status', '=', 'unconfirmed').where('confirm_expires_at', '<', now).executeTakeFirst();
  await deleteUnconfirmedConsents(db, now, ttlMs);
  return Number(r.numDeletedRows);
}
