import type { Db } from '../../db/index.js';
import type { ConsentPurpose } from '../../db/schema-reach.js';
import { openConsents, withdrawConsents } from '../consents.js';
import { cancelMessages } from '../messages/lifecycle/cancel.js';

/**
 * A fan takes back one purpose (the preference page) or everything (one-click unsubscribe). What
 * was scheduled because of it stops: a withdrawn reminder cancels that campaign's release-day and
 * re-authorization messages; once nothing stands or waits for its confirmation, every pending
 * message to the address stops (a confirmation mail not yet sent included). A choice still waiting
 * for its confirmation can be withdrawn the same way (the preference page shows it).
 */
export async function withdrawPurpose(
  db: Db,
  contactId: number,
  purpose: ConsentPurpose,
  campaignId: number,
  now: number,
): Promise<number> {
  const n = await withdrawConsents(db, { contactId }, 'preferences', now, { purposes: [purpose], campaignId });
  if (purpose === 'remind') await cancelMessages(db, { contactId }, now, { types: ['out_now', 'reauth'], campaignId });
  // Nothing left, standing or waiting for its confirmation: nothing more goes to the address.
  if ((await openConsents(db, { contactId })).length === 0) await cancelMessages(db, { contactId }, now);
  return n;
}

/** RFC 8058 one-click unsubscribe: every standing consent withdrawn, every pending message cancelled. */
export async function unsubscribeContact(db: Db, contactId: number, now: number): Promise<number> {
  const n = await withdrawConsents(db, { contactId }, 'unsubscribe', now);
  await cancelMessages(db, { contactId }, now);
  return n;
}
