import type { Campaign } from '../../campaigns/repo.js';
import type { AppContext } from '../../context.js';
import { release, reserve, throttleKey } from '../../accounts/throttle.js';
import type { Lang } from '../../i18n/index.js';
import { base62Id } from '../../util/random.js';
import { recordConsents, standingConsents, type ConsentGiven } from '../consents.js';
import { reachKeys } from '../keys.js';
import { MAIL_KEY } from '../messages/channel.js';
import { enqueueMessage } from '../messages/lifecycle/enqueue.js';
import type { AddressCheck } from '../address.js';
import { audienceOfCampaign } from '../audience.js';
import { contactAad, type ContactRow } from './read.js';
import { consentWords, type ContactPurpose } from './words.js';

/**
 * A fan leaves an address (the campaign page's or the receipt page's reminder form): the contact
 * is created or found (one per address and audience: reach/audience.ts), the consents
 * are recorded with the words the form showed, and a confirmation mail is queued. The address
 * receives nothing else until the fan clicks its link (confirm.ts plans the release-day message).
 *
 * Every email consent is confirmed by the address's owner, not only the address: anyone can type
 * a fan's address, so a new choice left for an address already confirmed is recorded unconfirmed
 * (it stands for nothing: no message, no export) and a confirmation mail asks the owner about it;
 * only choices already standing cost no mail (`already`). The page a stranger sees is the same
 * "we sent a link" either way: it does not tell whether the address was known. A suppressed
 * address gets a confirmation mail: only a new confirmation lifts a suppression. Confirmation
 * mails are limited per IP (an
 * hour: checked first, and a refusal stores nothing — the fan's form stays filled on the page) and
 * per address (a day: the choices are kept, no new mail goes out, the fan is told to use an
 * earlier mail's link).
 */
export interface CaptureInput {
  campaign: Pick<Campaign, 'id' | 'title' | 'artist_name'>;
  address: Extract<AddressCheck, { ok: true }>;
  purposes: ContactPurpose[];
  lang: Lang;
  page: 'campaign' | 'receipt';
  presaveId: number | null;
  /** The fan's IANA zone (validated by the caller), or null: the campaign's. */
  timezone: string | null;
  /** The service the reminder should link to (a link-out such as youtube-music); null: the smart link. */
  service: string | null;
  ip: string;
}

export type CaptureResult =
  | { outcome: 'confirm_sent'; contact: ContactRow; expiresAt: number }
  | { outcome: 'already'; contact: ContactRow }
  /** Too many confirmation mails from this IP: nothing was stored (the fan's form is kept on the page). */
  | { outcome: 'limited_ip'; waitMs: number }
  /** Too many confirmation mails to this address today: the choices are stored, no new mail. */
  | { outcome: 'limited_address'; contact: ContactRow; waitMs: number };

export async function captureContact(ctx: AppContext, input: CaptureInput, now: number): Promise<CaptureResult> {
  const audience = await audienceOfCampaign(ctx.db, input.campaign.id);
  const emailHash = reachKeys(ctx).hash('email', input.address.lookup);
  const expiresAt = now + ctx.config.reach.contacts.confirmTtlMs;
  const limits = ctx.config.reach.contacts;

  // Anything not already standing costs a confirmation mail: the IP's slot is taken before
  // anything is stored, so a refused request leaves nothing behind.
  const known = await ctx.db
    .selectFrom('contacts')
    .select(['id', 'status'])
    .where('audience', '=', audience)
    .where('email_hash', '=', emailHash)
    .executeTakeFirst();
  const standsAlready = (standing: { campaign_id: number; purpose: string }[]) =>
    input.purposes.every((p) => standing.some((s) => Number(s.campaign_id) === input.campaign.id && s.purpose === p));
  const nothingNew = known?.status === 'confirmed' && standsAlready(await standingConsents(ctx.db, { contactId: Number(known.id) }));
  const ipKey = throttleKey('confirm-ip', input.ip);
  let ipTaken = false;
  if (!nothingNew) {
    const ipSlot = await reserve(ctx.db, 'confirm-ip', ipKey, now, { windowMs: 3_600_000, max: limits.confirmMailsPerIpPerHour });
    if (!ipSlot.ok) return { outcome: 'limited_ip', waitMs: ipSlot.waitMs };
    ipTaken = true;
  }

  let contact = await upsertContact(
    ctx,
    { audience, emailHash, address: input.address.address, lang: input.lang, campaignId: input.campaign.id },
    now,
  );

  const given: ConsentGiven[] = input.purposes.map((purpose) => {
    const words = consentWords(input.campaign, purpose, input.lang);
    return {
      purpose,
      text: words.text,
      textVersion: words.version,
      lang: input.lang,
      page: input.page,
      campaignId: input.campaign.id,
      presaveId: input.presaveId,
      timezone: input.timezone,
      service: purpose === 'remind' ? input.service : null,
    };
  });
  await recordConsents(ctx.db, { contactId: contact.id }, given, now);

  // Confirmed meanwhile with these very choices (another tab's link): nothing to ask.
  if (contact.status === 'confirmed' && standsAlready(await standingConsents(ctx.db, { contactId: contact.id }))) {
    if (ipTaken) await release(ctx.db, 'confirm-ip', ipKey);
    return { outcome: 'already', contact };
  }

  // And one slot per address (a day) for each confirmation mail.
  const addressSlot = await reserve(ctx.db, 'confirm-address', throttleKey('confirm-address', emailHash), now, {
    windowMs: 86_400_000,
    max: limits.confirmMailsPerAddressPerDay,
  });
  if (!addressSlot.ok) {
    if (ipTaken) await release(ctx.db, 'confirm-ip', ipKey);
    return { outcome: 'limited_address', contact, waitMs: addressSlot.waitMs };
  }

  // The link's expiry is the row's: the message engine signs the link with confirm_expires_at
  // (and the moment it lists the choices waiting: the consents that link confirms).
  await ctx.db.updateTable('contacts').set({ confirm_expires_at: expiresAt, updated_at: now }).where('id', '=', contact.id).execute();
  contact = { ...contact, confirm_expires_at: expiresAt };
  await enqueueMessage(
    ctx.db,
    {
      campaignId: input.campaign.id,
      type: 'confirm',
      channel: 'email',
      contactId: contact.id,
      // The confirmation is about the address, not a pre-save (erasing one must not touch it).
      presaveId: null,
      dedupe: null,
      channelKey: MAIL_KEY,
      lang: input.lang,
      dueAt: now,
    },
    now,
  );
  return { outcome: 'confirm_sent', contact, expiresAt };
}

/** The audience's row for this address, created when new (its address encrypted, its capability random). */
async function upsertContact(
  ctx: AppContext,
  c: { audience: string; emailHash: string; address: string; lang: Lang; campaignId: number },
  now: number,
): Promise<ContactRow> {
  await ctx.db
    .insertInto('contacts')
    .values({
      audience: c.audience,
      email_hash: c.emailHash,
      email_enc: ctx.cipher.encrypt(c.address, contactAad(c.emailHash)),
      manage_id: base62Id(22),
      status: 'unconfirmed',
      lang: c.lang,
      campaign_id: c.campaignId,
      confirm_expires_at: now + ctx.config.reach.contacts.confirmTtlMs,
      confirmed_at: null,
      suppressed_at: null,
      suppressed_reason: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['audience', 'email_hash']).doNothing())
    .execute();
  // The fan's latest language is the one their messages are written in.
  await ctx.db
    .updateTable('contacts')
    .set({ lang: c.lang, updated_at: now })
    .where('audience', '=', c.audience)
    .where('email_hash', '=', c.emailHash)
    .execute();
  return ctx.db
    .selectFrom('contacts')
    .selectAll()
    .where('audience', '=', c.audience)
    .where('email_hash', '=', c.emailHash)
    .executeTakeFirstOrThrow();
}
