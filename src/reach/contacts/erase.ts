import type { AppContext } from '../../context.js';
import { truncateWriteAheadLog } from '../../db/index.js';
import { eraseConsentsForPresave, openConsents } from '../consents.js';
import { cancelMessages } from '../messages/lifecycle/cancel.js';

/**
 * Erasure. The contact row goes, and with it (foreign keys cascade) every consent and every
 * message of the address; a forever save it was told about keeps the save but loses the contact.
 * On SQLite the deleted bytes are zeroed (`secure_delete`) and the write-ahead log, which still
 * holds earlier copies, is truncated, like a pre-save's erasure (presaves/lifecycle/erase.ts);
 * false when another connection kept it from being truncated now.
 */
export async function eraseContact(ctx: Pick<AppContext, 'db' | 'dialect'>, contactId: number): Promise<boolean> {
  await ctx.db.deleteFrom('contacts').where('id', '=', contactId).execute();
  return ctx.dialect === 'sqlite' ? truncateWriteAheadLog(ctx.db) : true;
}

/**
 * A pre-save's erasure (the receipt page's "Erase my data") reaches the addresses left on its
 * receipt: their consents for that pre-save are deleted and its messages cancelled; a contact
 * with nothing else standing is erased, one with other choices stays for them. Call before the
 * pre-save's own erasure, whose WAL truncation then covers these rows too.
 */
export async function eraseContactsForPresave(
  ctx: Pick<AppContext, 'db' | 'dialect'>,
  presave: { id: number; campaign_id: number },
  now: number,
): Promise<{ erased: number; kept: number }> {
  const holders = await ctx.db
    .selectFrom('consents')
    .select('contact_id')
    .distinct()
    .where('presave_id', '=', presave.id)
    .where('contact_id', 'is not', null)
    .execute();
  let erased = 0;
  let kept = 0;
  for (const { contact_id } of holders) {
    const contactId = contact_id!;
    await eraseConsentsForPresave(ctx.db, { contactId }, presave.id);
    // Other choices, standing or waiting for their confirmation, keep the contact.
    const left = await openConsents(ctx.db, { contactId });
    if (left.length === 0) {
      await ctx.db.deleteFrom('contacts').where('id', '=', contactId).execute();
      erased++;
      continue;
    }
    if (!left.some((c) => c.purpose === 'remind' && c.campaign_id === presave.campaign_id)) {
      await cancelMessages(ctx.db, { contactId }, now, { types: ['out_now', 'reauth'], campaignId: presave.campaign_id });
    }
    kept++;
  }
  return { erased, kept };
}
