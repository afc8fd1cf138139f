import type { Db } from '../db/index.js';
import type { ConsentPurpose } from '../db/schema-reach.js';

/**
 * THE ONLY WRITER of `consents` (test/reach-owners.test.ts): what a fan agreed to, with the exact
 * words shown, when its owner confirmed it, and when they took it back. Contacts (email), push
 * subscriptions and forever saves all record here. A consent is never edited but for the two
 * stamps: confirming and withdrawing; giving it again after a withdrawal is a new row.
 *
 * A consent STANDS only when confirmed and not withdrawn. An email consent is confirmed by the
 * address's owner through a confirmation link issued after it was given (double opt-in per
 * consent: anyone can type a fan's address, only its owner can click the link), so it starts
 * unconfirmed; a push consent (the browser's permission prompt is the owner's own act) and a
 * forever consent (given on the fan's own receipt, behind their pre-save's capability) are
 * confirmed as they are given. Unconfirmed consents nobody confirmed are deleted
 * (deleteUnconfirmedConsents).
 */
export interface ConsentGiven {
  purpose: ConsentPurpose;
  /** The words on the page, in the fan's language, exactly. */
  text: string;
  /** The catalog key and a hash of the words: which version of the text it was. */
  textVersion: string;
  lang: string;
  page: 'campaign' | 'receipt';
  campaignId: number;
  presaveId: number | null;
  timezone: string | null;
  /** The service chosen for the reminder's link (a link-out service); null: the smart link. */
  service?: string | null;
}

export type Holder = { contactId: number } | { pushId: number } | { foreverId: number };

function holderColumns(h: Holder): { contact_id: number | null; push_id: number | null; forever_id: number | null } {
  if ('contactId' in h) return { contact_id: h.contactId, push_id: null, forever_id: null };
  if ('pushId' in h) return { contact_id: null, push_id: h.pushId, forever_id: null };
  return { contact_id: null, push_id: null, forever_id: h.foreverId };
}

/** The holder's column and id. */
function holderWhere(h: Holder): ['contact_id' | 'push_id' | 'forever_id', '=', number] {
  if ('contactId' in h) return ['contact_id', '=', h.contactId];
  if ('pushId' in h) return ['push_id', '=', h.pushId];
  return ['forever_id', '=', h.foreverId];
}

/**
 * Records consents for a holder; a purpose already given and not withdrawn for the same campaign
 * (standing, or still waiting for its confirmation) is not doubled: its id is returned.
 */
export async function recordConsents(db: Db, holder: Holder, given: ConsentGiven[], now: number): Promise<number[]> {
  const ids: number[] = [];
  for (const g of given) {
    const cols = holderColumns(holder);
    const given = await db
      .selectFrom('consents')
      .select('id')
      .where(...holderWhere(holder))
      .where('campaign_id', '=', g.campaignId)
      .where('purpose', '=', g.purpose)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    if (given) {
      ids.push(given.id);
      continue;
    }
    const row = await db
      .insertInto('consents')
      .values({
        ...cols,
        campaign_id: g.campaignId,
        presave_id: g.presaveId,
        service: g.service ?? null,
        purpose: g.purpose,
        text: g.text,
        text_version: g.textVersion,
        lang: g.lang,
        page: g.page,
        timezone: g.timezone,
        given_at: now,
        // Email waits for its owner's click (confirmConsents); push and forever are the owner's own act.
        confirmed_at: 'contactId' in holder ? null : now,
        withdrawn_at: null,
        withdrawn_via: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  return ids;
}

/** Withdraws standing consents of a holder (all purposes, or the ones named; one campaign or all). */
export async function withdrawConsents(
  db: Db,
  holder: Holder,
  via: 'unsubscribe' | 'preferences' | 'erase' | 'bounce',
  now: number,
  only: { purposes?: ConsentPurpose[]; campaignId?: number } = {},
): Promise<number> {
  let q = db
    .updateTable('consents')
    .set({ withdrawn_at: now, withdrawn_via: via })
    .where('withdrawn_at', 'is', null)
    .where(...holderWhere(holder));
  if (only.purposes?.length) q = q.where('purpose', 'in', only.purposes);
  if (only.campaignId !== undefined) q = q.where('campaign_id', '=', only.campaignId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Standing consents of a holder: confirmed and not withdrawn. */
export async function standingConsents(db: Db, holder: Holder) {
  return db
    .selectFrom('consents')
    .selectAll()
    .where('withdrawn_at', 'is', null)
    .where('confirmed_at', 'is not', null)
    .where(...holderWhere(holder))
    .orderBy('id')
    .execute();
}

/** Consents of a holder not withdrawn: standing, or still waiting for their owner's confirmation. */
export async function openConsents(db: Db, holder: Holder) {
  return db
    .selectFrom('consents')
    .selectAll()
    .where('withdrawn_at', 'is', null)
    .where(...holderWhere(holder))
    .orderBy('id')
    .execute();
}

/** A contact's consents waiting for its owner's confirmation (not withdrawn), oldest first; given at or before `givenBy` when set. */
export async function unconfirmedConsents(db: Db, contactId: number, givenBy?: number) {
  let q = db
    .selectFrom('consents')
    .selectAll()
    .where('contact_id', '=', contactId)
    .where('withdrawn_at', 'is', null)
    .where('confirmed_at', 'is', null);
  if (givenBy !== undefined) q = q.where('given_at', '<=', givenBy);
  return q.orderBy('id').execute();
}

/**
 * The owner's confirmation link was followed: every unconfirmed, not withdrawn consent of the
 * contact given at or before the link was issued is confirmed. A consent given after the link was
 * made (by whoever typed the address since) is not: the owner never saw it. Returns the consents
 * confirmed now (none on a second click).
 */
export async function confirmConsents(db: Db, contactId: number, issuedAt: number, now: number) {
  const pending = await unconfirmedConsents(db, contactId, issuedAt);
  if (pending.length === 0) return [];
  await db
    .updateTable('consents')
    .set({ confirmed_at: now })
    .where(
      'id',
      'in',
      pending.map((k) => k.id),
    )
    .where('confirmed_at', 'is', null)
    .execute();
  return pending.map((k) => ({ ...k, confirmed_at: now }));
}

/**
 * Housekeeping (reach/contacts/expire.ts): an email consent nobody confirmed is deleted once no
 * confirmation link can confirm it any more — given more than `ttlMs` ago, and its contact's
 * latest link (`confirm_expires_at`) expired or none pending. An unconfirmed contact goes whole
 * (its consents cascade); this reaches the consents left later on an address already confirmed.
 */
export async function deleteUnconfirmedConsents(db: Db, now: number, ttlMs: number): Promise<number> {
  const r = await db
    .deleteFrom('consents')
    .where('confirmed_at', 'is', null)
    .where('contact_id', 'is not', null)
    .where('given_at', '<', now - ttlMs)
    .where(({ exists, selectFrom, not }) =>
      not(
        exists(
          selectFrom('contacts as c')
            .select('c.id')
            .whereRef('c.id', '=', 'consents.contact_id')
            .where('c.confirm_expires_at', 'is not', null)
            .where('c.confirm_expires_at', '>=', now),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Deletes a holder's consents given for one pre-save (that pre-save's erasure: its record goes,
 * not only its standing). Returns how many were deleted.
 */
export async function eraseConsentsForPresave(db: Db, holder: Holder, presaveId: number): Promise<number> {
  const r = await db
    .deleteFrom('consents')
    .where(...holderWhere(holder))
    .where('presave_id', '=', presaveId)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
