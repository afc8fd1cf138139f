import type { Selectable } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import type { ContactTable } from '../../db/schema-reach.js';

export type ContactRow = Selectable<ContactTable>;

/** The associated data an address is encrypted under: a copied `email_enc` decrypts in no other row. */
export function contactAad(emailHash: string): string {
  return `contact:${emailHash}`;
}

/** The preference page's capability: 22 characters (base62 here; base64url accepted), its shape checked before any query. */
export const MANAGE_ID = /^[0-9A-Za-z_-]{22}$/;

export async function findContactByManage(db: Db, manageId: string): Promise<ContactRow | undefined> {
  if (!MANAGE_ID.test(manageId)) return undefined;
  return db.selectFrom('contacts').selectAll().where('manage_id', '=', manageId).executeTakeFirst();
}

export async function findContact(db: Db, id: number): Promise<ContactRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The address as the fan typed it (normalized), for their own pages and for mail. */
export function contactAddress(ctx: Pick<AppContext, 'cipher'>, c: Pick<ContactRow, 'email_enc' | 'email_hash'>): string {
  return ctx.cipher.decrypt(c.email_enc, contactAad(c.email_hash));
}

/** Every consent of a contact (standing, waiting for its confirmation, withdrawn) with the campaign it was given on, oldest first. */
export async function contactConsents(db: Db, contactId: number) {
  return db
    .selectFrom('consents')
    .innerJoin('campaigns', 'campaigns.id', 'consents.campaign_id')
    .select([
      'consents.id',
      'consents.purpose',
      'consents.text',
      'consents.lang',
      'consents.page',
      'consents.given_at',
      'consents.confirmed_at',
      'consents.withdrawn_at',
      'consents.campaign_id',
      'consents.presave_id',
      'campaigns.title',
      'campaigns.slug',
    ])
    .where('consents.contact_id', '=', contactId)
    .orderBy('consents.id')
    .execute();
}
