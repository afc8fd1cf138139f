import type { AppContext } from '../../context.js';
import { isLang, type Lang } from '../../i18n/languages.js';
import type { ServiceId } from '../../providers/services.js';
import { foreverSaveOfMessage } from '../forever/fan-out.js';
import type { ComposeInput, Receipt } from './compose/index.js';
import type { MessageRow } from './lifecycle/claim.js';
import type { MessageOutcome } from './lifecycle/settle.js';
import { unconfirmedConsents } from '../consents.js';

/**
 * What one message needs at send time, read afresh (a fan may have withdrawn since it was
 * scheduled), and whether it may be sent at all:
 * - the recipient may still be written to: a contact `confirmed` (for every type but `confirm`,
 *   which goes to an unconfirmed contact, or a confirmed one with consents waiting for their
 *   confirmation, whose link has not expired), a push subscription that still exists;
 * - the purpose still stands (confirmed by its owner, not withdrawn): a `remind` consent for this
 *   campaign (out_now, reauth);
 *   forever save not stopped (forever_notice);
 * - for a pre-saver's receipt, where the pre-save stands: saved (verified), failed (why),
 *   still saving (defer a minute; after 24 h the plain reminder), cancelled (the plain reminder).
 * Anything else cancels the message, with the reason recorded.
 */
export type Prepared =
  | { kind: 'skip'; outcome: MessageOutcome }
  | { kind: 'mail'; to: string; contactId: number; compose: ComposeInput }
  | { kind: 'push'; subscription: string; pushId: number; compose: ComposeInput };

/** How long an out_now waits for a pre-save still saving at the fan's release moment, each time. */
export const RECEIPT_WAIT_MS = 60_000;
/** After this long past the release moment, the plain reminder goes instead of the receipt. */
export const RECEIPT_GIVE_UP_MS = 24 * 3_600_000;

const cancel = (reason: string): Prepared => ({ kind: 'skip', outcome: { kind: 'cancelled', reason } });

type CampaignFacts = { id: number; title: string; artist_name: string; slug: string; artwork_url: string | null; release_timezone: string };

/**
 * The campaign facts a message shows, read once per campaign every few seconds: an "out now" to
 * 100,000 fans reads its campaign a handful of times, not 100,000 (an edit shows within seconds).
 */
export class CampaignFactsCache {
  private readonly byId = new Map<number, { at: number; facts: Promise<CampaignFacts | undefined> }>();
  constructor(private readonly ttlMs = 5_000) {}

  get(ctx: AppContext, id: number, now: number): Promise<CampaignFacts | undefined> {
    const hit = this.byId.get(id);
    if (hit && now - hit.at < this.ttlMs) return hit.facts;
    const facts = ctx.db
      .selectFrom('campaigns')
      .select(['id', 'title', 'artist_name', 'slug', 'artwork_url', 'release_timezone'])
      .where('id', '=', id)
      .executeTakeFirst()
      .then((c) => (c ? { ...c, id: Number(c.id) } : undefined));
    if (this.byId.size > 1_000) this.byId.clear();
    this.byId.set(id, { at: now, facts });
    facts.catch(() => this.byId.delete(id));
    return facts;
  }
}

export async function prepareMessage(
  ctx: AppContext,
  row: MessageRow,
  now: number,
  campaigns: CampaignFactsCache = new CampaignFactsCache(0),
): Promise<Prepared> {
  const { db } = ctx;
  const campaign = await campaigns.get(ctx, row.campaign_id, now);
  if (!campaign) return cancel('campaign_gone');
  const lang: Lang = isLang(row.lang) ? row.lang : 'en';

  // The recipient, and whether it may be written to.
  let recipient:
    | { kind: 'mail'; to: string; contactId: number; manageId: string }
    | { kind: 'push'; subscription: string; pushId: number; manageId: string };
  if (row.channel === 'email') {
    if (row.contact_id === null) return cancel('no_recipient');
    const contact = await db.selectFrom('contacts').selectAll().where('id', '=', row.contact_id).executeTakeFirst();
    if (!contact) return cancel('no_recipient');
    // A suppressed address left again gets its confirmation: only a new confirmation lifts a
    // suppression (reach/contacts/suppress.ts); nothing else goes to it.
    if (contact.status === 'suppressed' && row.type !== 'confirm') return cancel('suppressed');
    if (row.type === 'confirm') {
      // A confirmed address is asked again only about choices left since (double opt-in per
      // consent: whoever typed the address, only its owner can confirm them).
      if (contact.status === 'confirmed' && !(await hasUnconfirmedConsents(ctx, Number(contact.id), now))) {
        return cancel('already_confirmed');
      }
      if (contact.confirm_expires_at === null || Number(contact.confirm_expires_at) <= now) return cancel('expired');
    } else if (contact.status !== 'confirmed') return cancel('not_confirmed');
    recipient = {
      kind: 'mail',
      to: ctx.cipher.decrypt(contact.email_enc, `contact:${contact.email_hash}`),
      contactId: Number(contact.id),
      manageId: contact.manage_id,
    };
  } else {
    if (row.push_id === null) return cancel('no_recipient');
    const sub = await db.selectFrom('push_subscriptions').selectAll().where('id', '=', row.push_id).executeTakeFirst();
    if (!sub) return cancel('no_recipient');
    recipient = {
      kind: 'push',
      subscription: ctx.cipher.decrypt(sub.subscription_enc, `push:${sub.endpoint_hash}`),
      pushId: Number(sub.id),
      manageId: sub.manage_id,
    };
  }

  // Standing consents of the holder for this campaign (the latest first).
  const consents = await db
    .selectFrom('consents')
    .select(['purpose', 'service', 'presave_id', 'timezone'])
    .where(recipient.kind === 'mail' ? 'contact_id' : 'push_id', '=', recipient.kind === 'mail' ? recipient.contactId : recipient.pushId)
    .where('campaign_id', '=', row.campaign_id)
    .where('withdrawn_at', 'is', null)
    .where('confirmed_at', 'is not', null)
    .orderBy('id', 'desc')
    .execute();
  const remind = consents.find((c) => c.purpose === 'remind');
  const zone = remind?.timezone ?? consents[0]?.timezone ?? campaign.release_timezone;

  const compose: ComposeInput = {
    type: row.type,
    lang,
    campaign: { title: campaign.title, artist_name: campaign.artist_name, slug: campaign.slug, artwork_url: campaign.artwork_url },
    manageId: recipient.manageId,
  };

  switch (row.type) {
    case 'confirm':
      if (recipient.kind !== 'mail') return cancel('wrong_channel');
      {
        const contact = await db
          .selectFrom('contacts')
          .select(['confirm_expires_at', 'status'])
          .where('id', '=', recipient.contactId)
          .executeTakeFirstOrThrow();
        // The mail lists what its link confirms: the choices waiting now, and no later one.
        const waiting = await unconfirmedConsents(db, recipient.contactId, now);
        compose.confirm = {
          contactId: recipient.contactId,
          expiresAt: Number(contact.confirm_expires_at),
          zone: waiting.at(-1)?.timezone ?? zone,
          issuedAt: now,
          choices: waiting.map((k) => k.text),
          addressConfirmed: contact.status === 'confirmed',
        };
      }
      break;
    case 'out_now': {
      if (!remind) return cancel('consent_withdrawn');
      const presaveId = row.presave_id ?? (remind.presave_id === null ? null : Number(remind.presave_id));
      let receipt: Receipt | null = null;
      if (presaveId !== null) {
        const p = await db
          .selectFrom('presaves')
          .select(['status', 'service', 'failure_reason', 'due_at'])
          .where('id', '=', presaveId)
          .executeTakeFirst();
        if (p?.status === 'saved') receipt = { variant: 'verified', service: p.service };
        else if (p?.status === 'failed') receipt = { variant: 'failed', service: p.service, reason: p.failure_reason ?? '' };
        else if (p?.status === 'pending' && now < Number(p.due_at) + RECEIPT_GIVE_UP_MS) {
          // Still saving at the fan's release moment: the receipt waits for the outcome.
          return { kind: 'skip', outcome: { kind: 'defer', at: now + RECEIPT_WAIT_MS } };
        }
      }
      compose.outNow = { service: remind.service ?? null, receipt };
      break;
    }
    case 'reauth': {
      if (!consents.some((c) => c.purpose === 'remind' || c.purpose === 'forever')) return cancel('consent_withdrawn');
      if (row.presave_id === null) return cancel('no_presave');
      const p = await db
        .selectFrom('presaves as p')
        .innerJoin('grants as g', 'g.id', 'p.grant_id')
        .select(['p.status', 'p.service', 'p.due_at', 'g.authorized_at', 'g.status as grant_status'])
        .where('p.id', '=', row.presave_id)
        .executeTakeFirst();
      if (!p || p.status !== 'pending') return cancel('not_needed');
      const lifetime = ctx.providers.enabled().includes(p.service as ServiceId) ? ctx.providers.get(p.service).grantLifetimeMs : null;
      const endsAt = lifetime === null ? null : Number(p.authorized_at) + lifetime;
      // Authorized again since it was scheduled (or the grant no longer expires before release): nothing to ask.
      if (endsAt === null || endsAt >= Number(p.due_at)) return cancel('not_needed');
      compose.reauth = { service: p.service, endsAt, zone };
      break;
    }
    case 'forever_notice': {
      if (row.presave_id === null) return cancel('no_presave');
      const p = await db
        .selectFrom('presaves')
        .select(['status', 'service', 'due_at', 'grant_id', 'timezone'])
        .where('id', '=', row.presave_id)
        .executeTakeFirst();
      if (!p || p.status === 'cancelled') return cancel('not_needed');
      // The forever save the notice was made for (its dedupe names it), not any of the grant's.
      const forever = await foreverSaveOfMessage({ db }, row);
      if (!forever || forever.stopped_at !== null) return cancel('forever_stopped');
      compose.forever = { service: p.service, at: Number(p.due_at), zone: forever.timezone || p.timezone, manageId: forever.manage_id };
      break;
    }
  }
  return recipient.kind === 'mail'
    ? { kind: 'mail', to: recipient.to, contactId: recipient.contactId, compose }
    : { kind: 'push', subscription: recipient.subscription, pushId: recipient.pushId, compose };
}

/** Whether a contact has consents waiting for its owner's confirmation, given by now. */
async function hasUnconfirmedConsents(ctx: AppContext, contactId: number, now: number): Promise<boolean> {
  return (await unconfirmedConsents(ctx.db, contactId, now)).length > 0;
}
