import { getCampaignById } from '../../campaigns/repo.js';
import type { AppContext } from '../../context.js';
import { standingConsents } from '../consents.js';
import { readConfirmToken } from '../links.js';
import { planMailMessages } from '../messages/plan.js';
import { findContact, type ContactRow } from './read.js';

/**
 * Double opt-in's second step (GET /c/confirm/<token>): the signed link from the confirmation
 * mail. The contact becomes `confirmed` (a suppressed address too: a new confirmation is the only
 * thing that lifts a suppression), and each standing "remind me" consent schedules its
 * release-day message (and a pre-saver's re-authorization message). Planning is deduplicated, so
 * clicking the link twice, or a link from an earlier mail, schedules nothing more.
 */
export type ConfirmResult = { error: 'invalid' | 'expired' } | { contact: ContactRow; already: boolean };

export async function confirmContact(ctx: AppContext, token: string, now: number): Promise<ConfirmResult> {
  const read = readConfirmToken(ctx, token, now);
  if ('error' in read) return read;
  const found = await findContact(ctx.db, read.contactId);
  // Expired and deleted (reach/contacts/expire.ts), or erased: the link has nothing left to confirm.
  if (!found) return { error: 'expired' };
  const already = found.status === 'confirmed' && found.confirm_expires_at === null;
  const contact: ContactRow = {
    ...found,
    status: 'confirmed',
    confirmed_at: found.confirmed_at ?? now,
    confirm_expires_at: null,
    suppressed_at: null,
    suppressed_reason: null,
    updated_at: now,
  };
  if (!already) {
    await ctx.db
      .updateTable('contacts')
      .set({
        status: 'confirmed',
        confirmed_at: contact.confirmed_at,
        confirm_expires_at: null,
        suppressed_at: null,
        suppressed_reason: null,
        updated_at: now,
      })
      .where('id', '=', contact.id)
      .execute();
  }
  await planContactReminders(ctx, contact.id, now);
  return { contact, already };
}

/**
 * Schedules the release-day message of every standing "remind me" consent of a confirmed contact
 * (deduplicated: planning again schedules nothing more). Campaigns archived since are skipped.
 */
export async function planContactReminders(ctx: AppContext, contactId: number, now: number): Promise<void> {
  for (const consent of await standingConsents(ctx.db, { contactId })) {
    if (consent.purpose !== 'remind') continue;
    const campaign = await getCampaignById(ctx.db, consent.campaign_id);
    if (campaign.status !== 'active') continue;
    await planMailMessages(
      ctx,
      { campaign, contactId, presaveId: consent.presave_id, timezone: consent.timezone, lang: consent.lang },
      now,
    );
  }
}
