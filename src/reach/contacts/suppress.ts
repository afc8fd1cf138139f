import type { Db } from '../../db/index.js';
import { withdrawConsents } from '../consents.js';
import { cancelMessages } from '../messages/lifecycle/cancel.js';

/**
 * A permanent delivery failure (the mail server says the mailbox does not exist) suppresses the
 * address: it receives nothing more, its consents are withdrawn (`bounce`) and what was
 * scheduled for it is cancelled. The row stays (status `suppressed`) so the same address left
 * again is known; the fan can confirm it again to lift the suppression.
 */
export async function suppressContact(db: Db, contactId: number, reason: string, now: number): Promise<void> {
  await db
    .updateTable('contacts')
    .set({ status: 'suppressed', suppressed_at: now, suppressed_reason: reason.slice(0, 200), updated_at: now })
    .where('id', '=', contactId)
    .execute();
  await withdrawConsents(db, { contactId }, 'bounce', now);
  await cancelMessages(db, { contactId }, now);
}
