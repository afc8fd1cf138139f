import { getCampaignById } from '../../campaigns/repo.js';
import type { AppContext } from '../../context.js';
import { confirmConsents, standingConsents, unconfirmedConsents } from '../consents.js';
import { readConfirmToken } from '../links.js';
import { planMailMessages } from '../messages/plan.js';
import { findContact, type ContactRow } from './read.js';

/**
 * Double opt-in's second step (GET /c/confirm/<token>): the signed link from the confirmation
 * mail. The contact becomes `confirmed` (a suppressed address too: a new confirmation is the only
 * thing that lifts a suppression), and every consent of the contact still waiting for its
 * confirmation and given at or before the link was issued is confirmed (reach/consents.ts: the
 * mail listed exactly those; one given since, by whoever typed the address, waits for its own
 * mail). Each "remind me" consent standing then schedules its release-day message (and a
 * pre-saver's re-authorization message). Planning is deduplicated, so clicking the link twice, or
 * a link from an earlier mail, schedules nothing more.
 */
export type ConfirmResult =
  | { error: 'invalid' | 'expired' }
  /**
   * `confirmed`: the consents this click confirmed (none and the address confirmed before:
   * `already`); `confirmedBefore`: the address was confirmed before this click.
   */
  | { contact: ContactRow; already: boolean; confirmedBefore: boolean; confirmed: ConsentRow[] };

type ConsentRow = Awaited<ReturnType<typeof confirmConsents>>[number];

export async function confirmContact(ctx: AppContext, token: string, now: number): Promise<ConfirmResult> {
  const read = readConfirmToken(ctx, token, now);
  if ('error' in read) return read;
  const found = await findContact(ctx.db, read.contactId);
  // Expired and deleted (reach/contacts/expire.ts), or erased: the link has nothing left to confirm.
  if (!found) return { error: 'expired' };
  const confirmed = await confirmConsents(ctx.db, found.id, read.issuedAt, now);
  const addressWasConfirmed = found.status === 'confirmed';
  // Choices left after this link was made still wait for a later mail's link: keep its expiry.
  const stillWaiting = (await unconfirmedConsents(ctx.db, found.id)).length > 0;
  const contact: ContactRow = {
    ...found,
    status: 'confirmed',
    confirmed_at: found.confirmed_at ?? now,
    confirm_expires_at: stillWaiting ? found.confirm_expires_at : null,
    suppressed_at: null,
    suppressed_reason: null,
    updated_at: now,
  };
  const already = addressWasConfirmed && confirmed.length === 0;
  if (!addressWasConfirmed || confirmed.length > 0) {
    await ctx.db
      .updateTable('contacts')
      .set({
        status: 'confirmed',
        confirmed_at: contact.confirmed_at,
        confirm_expires_at: contact.confirm_expires_at,
        suppressed_at: null,
        suppressed_reason: null,
        updated_at: now,
      })
      .where('id', '=', contact.id)
      .execute();
  }
  await planContactReminders(ctx, contact.id, now);
  return { contact, already, confirmedBefore: addressWasConfirmed, confirmed };
}

/**
 * Schedules the release-day message of every standing (confirmed) "remind me" consent of a confirmed contact
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
