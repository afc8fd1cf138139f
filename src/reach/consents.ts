import type { Db } from '../db/index.js';
import type { ConsentPurpose } from '../db/schema-reach.js';

/**
 * THE ONLY WRITER of `consents` (test/reach-owners.test.ts): what a fan agreed to, with the exact
 * words shown, and when they took it back. Contacts (email) and push subscriptions both record
 * here. A consent is never edited: withdrawing stamps it; giving it again is a new row.
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

/** Records consents for a holder; a purpose already standing for the same campaign is not doubled. */
export async function recordConsents(db: Db, holder: Holder, given: ConsentGiven[], now: number): Promise<number[]> {
  const ids: number[] = [];
  for (const g of given) {
    const cols = holderColumns(holder);
    const standing = await db
      .selectFrom('consents')
      .select('id')
      .where(...holderWhere(holder))
      .where('campaign_id', '=', g.campaignId)
      .where('purpose', '=', g.purpose)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    if (standing) {
      ids.push(standing.id);
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

/** Standing consents of a holder. */
export async function standingConsents(db: Db, holder: Holder) {
  return db
    .selectFrom('consents')
    .selectAll()
    .where('withdrawn_at', 'is', null)
    .where(...holderWhere(holder))
    .orderBy('id')
    .execute();
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
