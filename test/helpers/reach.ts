import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../src/context.js';
import type { ContactStatus, ConsentPurpose } from '../../src/db/schema-reach.js';
import { normalizeEmail } from '../../src/reach/address.js';
import { confirmConsents, recordConsents } from '../../src/reach/consents.js';
import { reachKeys } from '../../src/reach/keys.js';

/**
 * Fans' contacts and consents written straight to the database, as the contact forms (helper A's
 * reach/contacts/) leave them (a confirmed contact's consents confirmed, as its link leaves them): for tests of what the message engine does with them. The address is
 * encrypted at rest with the AAD the engine expects (`contact:<email_hash>`).
 */
export async function seedContact(
  ctx: AppContext,
  p: {
    campaignId: number;
    email: string;
    status?: ContactStatus;
    lang?: string;
    confirmExpiresAt?: number | null;
    purposes?: ConsentPurpose[];
    timezone?: string | null;
    service?: string | null;
    presaveId?: number | null;
    now: number;
  },
): Promise<{ contactId: number; manageId: string }> {
  const n = normalizeEmail(p.email);
  if (!n.ok) throw new Error(`bad test address ${p.email}`);
  const hash = reachKeys(ctx).hash('email', n.lookup);
  const manageId = randomBytes(16).toString('base64url').slice(0, 22);
  const row = await ctx.db
    .insertInto('contacts')
    .values({
      audience: `c:${p.campaignId}`,
      email_hash: hash,
      email_enc: ctx.cipher.encrypt(n.address, `contact:${hash}`),
      manage_id: manageId,
      status: p.status ?? 'confirmed',
      lang: p.lang ?? 'en',
      campaign_id: p.campaignId,
      confirm_expires_at: p.confirmExpiresAt ?? null,
      confirmed_at: (p.status ?? 'confirmed') === 'confirmed' ? p.now : null,
      suppressed_at: null,
      suppressed_reason: null,
      created_at: p.now,
      updated_at: p.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const contactId = Number(row.id);
  await recordConsents(
    ctx.db,
    { contactId },
    (p.purposes ?? ['remind']).map((purpose) => ({
      purpose,
      text: `test consent ${purpose}`,
      textVersion: `consent.${purpose}:test`,
      lang: p.lang ?? 'en',
      page: p.presaveId ? ('receipt' as const) : ('campaign' as const),
      campaignId: p.campaignId,
      presaveId: p.presaveId ?? null,
      timezone: p.timezone ?? null,
      service: p.service ?? null,
    })),
    p.now,
  );
  // A confirmed contact's choices were confirmed by its owner (double opt-in per consent); an
  // unconfirmed one's wait for the click.
  if ((p.status ?? 'confirmed') === 'confirmed') await confirmConsents(ctx.db, contactId, p.now, p.now);
  return { contactId, manageId };
}

export async function messagesOf(ctx: AppContext, contactId: number) {
  const rows = await ctx.db.selectFrom('messages').selectAll().where('contact_id', '=', contactId).orderBy('id').execute();
  return rows.map((r) => ({ ...r, id: Number(r.id), attempts: Number(r.attempts), failures: Number(r.failures) }));
}
