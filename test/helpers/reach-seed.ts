import { randomBytes } from 'node:crypto';
import { createCampaign } from '../../src/campaigns/service.js';
import type { AppContext } from '../../src/context.js';
import type { ConsentPurpose, ContactStatus, MessageChannel, MessageStatus, MessageType } from '../../src/db/schema-reach.js';
import { normalizeEmail } from '../../src/reach/address.js';
import { reachKeys } from '../../src/reach/keys.js';
import { enqueueMessage } from '../../src/reach/messages/lifecycle/enqueue.js';

/**
 * Rows of migration 021 written directly, as the fan side would leave them, for tests of what
 * the artist sees (the report, the panel, the export). Addresses and subscriptions are encrypted
 * with the server's own cipher and hashed with its reach keys, exactly as stored in life.
 */
const manageId = () => randomBytes(16).toString('base64url').slice(0, 22);

/** A contact row as the contact forms leave it (no consents: {@link seedConsent}, or test/helpers/reach.ts). */
export async function insertContact(
  ctx: AppContext,
  c: {
    audience: string;
    email: string;
    status: ContactStatus;
    campaignId: number;
    lang?: string;
    confirmExpiresAt?: number | null;
    at: number;
  },
): Promise<{ contactId: number; manageId: string }> {
  const n = normalizeEmail(c.email);
  if (!n.ok) throw new Error(`bad test address ${c.email}`);
  const hash = reachKeys(ctx).hash('email', n.lookup);
  const manage = manageId();
  const row = await ctx.db
    .insertInto('contacts')
    .values({
      audience: c.audience,
      email_hash: hash,
      email_enc: ctx.cipher.encrypt(n.address, `contact:${hash}`),
      manage_id: manage,
      status: c.status,
      lang: c.lang ?? 'en',
      campaign_id: c.campaignId,
      confirm_expires_at: c.confirmExpiresAt ?? null,
      confirmed_at: c.status === 'confirmed' ? c.at : null,
      suppressed_at: c.status === 'suppressed' ? c.at : null,
      suppressed_reason: c.status === 'suppressed' ? 'bounced' : null,
      created_at: c.at,
      updated_at: c.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { contactId: Number(row.id), manageId: manage };
}

export async function seedContact(ctx: AppContext, c: Parameters<typeof insertContact>[1]): Promise<number> {
  return (await insertContact(ctx, c)).contactId;
}

export async function seedPush(ctx: AppContext, p: { audience: string; campaignId: number; at: number; host?: string }): Promise<number> {
  const endpoint = `https://${p.host ?? 'push.example'}/push/${manageId()}`;
  const hash = reachKeys(ctx).hash('push', endpoint);
  const row = await ctx.db
    .insertInto('push_subscriptions')
    .values({
      audience: p.audience,
      endpoint_hash: hash,
      subscription_enc: ctx.cipher.encrypt(JSON.stringify({ endpoint, keys: { p256dh: 'x', auth: 'y' } }), `push:${hash}`),
      endpoint_host: p.host ?? 'push.example',
      manage_id: manageId(),
      lang: 'en',
      campaign_id: p.campaignId,
      created_at: p.at,
      updated_at: p.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function seedConsent(
  ctx: AppContext,
  k: {
    holder: { contactId: number } | { pushId: number } | { foreverId: number };
    campaignId: number;
    purpose: ConsentPurpose;
    at: number;
    text?: string;
    page?: 'campaign' | 'receipt';
    lang?: string;
    withdrawn?: { at: number; via: 'unsubscribe' | 'preferences' | 'erase' | 'bounce' };
    /** When its owner confirmed it (default: as given — a standing consent); null: still waiting for the click. */
    confirmedAt?: number | null;
  },
): Promise<void> {
  const h = k.holder;
  await ctx.db
    .insertInto('consents')
    .values({
      contact_id: 'contactId' in h ? h.contactId : null,
      push_id: 'pushId' in h ? h.pushId : null,
      forever_id: 'foreverId' in h ? h.foreverId : null,
      campaign_id: k.campaignId,
      service: null,
      presave_id: null,
      purpose: k.purpose,
      text: k.text ?? (k.purpose === 'news' ? 'Send me news from The Band' : 'Remind me when it’s out'),
      text_version: `contact.${k.purpose}.v1`,
      lang: k.lang ?? 'en',
      page: k.page ?? 'campaign',
      timezone: 'Europe/Paris',
      given_at: k.at,
      confirmed_at: k.confirmedAt === undefined ? k.at : k.confirmedAt,
      withdrawn_at: k.withdrawn?.at ?? null,
      withdrawn_via: k.withdrawn?.via ?? null,
    })
    .execute();
}

export async function seedMessages(
  ctx: AppContext,
  m: {
    campaignId: number;
    type: MessageType;
    channel: MessageChannel;
    status: MessageStatus;
    count?: number;
    dueAt: number;
    at: number;
    reason?: string | null;
    variant?: string | null;
    contactId?: number | null;
    pushId?: number | null;
  },
): Promise<void> {
  for (let i = 0; i < (m.count ?? 1); i++) {
    // Queued as the engine queues it, then moved to the state the test needs.
    const id = await enqueueMessage(
      ctx.db,
      {
        campaignId: m.campaignId,
        type: m.type,
        channel: m.channel,
        contactId: m.contactId ?? null,
        pushId: m.pushId ?? null,
        dedupe: null,
        channelKey: m.channel === 'email' ? 'mail:smtp' : 'push:push.example',
        lang: 'en',
        dueAt: m.dueAt,
      },
      m.at,
    );
    await ctx.db
      .updateTable('messages')
      .set({ status: m.status, failure_reason: m.reason ?? null, variant: m.variant ?? null, sent_at: m.status === 'sent' ? m.at : null })
      .where('id', '=', id!)
      .execute();
  }
}

export async function seedGrant(ctx: AppContext, at: number, account = `acct-${manageId()}`): Promise<number> {
  const g = await ctx.db
    .insertInto('grants')
    .values({
      service: 'sandbox',
      account_id: account,
      display_name: null,
      access_token_enc: 'v1.not-used',
      refresh_token_enc: 'v1.not-used',
      access_expires_at: null,
      scopes: '',
      authorized_at: at,
      status: 'active',
      dead_reason: null,
      refresh_lock_owner: null,
      refresh_lock_until: null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(g.id);
}

export async function seedForever(
  ctx: AppContext,
  f: { audience: string; artistKey: string; grantId: number; at: number; stoppedAt?: number | null },
): Promise<number> {
  const row = await ctx.db
    .insertInto('forever_saves')
    .values({
      audience: f.audience,
      artist_key: f.artistKey,
      grant_id: f.grantId,
      service: 'sandbox',
      presave_id: null,
      contact_id: null,
      manage_id: manageId(),
      lang: 'en',
      timezone: 'Europe/Paris',
      locale: null,
      created_at: f.at,
      stopped_at: f.stoppedAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** "Song <slug>" by The Band on the sandbox, released three days after `clock` (global timing). */
export function bandCampaign(ctx: AppContext, slug: string, upc: string, clock: number) {
  return createCampaign(
    { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
    {
      slug,
      artistName: 'The Band',
      title: `Song ${slug}`,
      upc,
      releaseAt: new Date(clock + 3 * 86_400_000).toISOString().slice(0, 16),
      timezone: 'UTC',
      timing: 'global',
      services: ['sandbox'],
    },
  );
}

/** Glass Tides' "Lumen" (slug `lumen`) on the sandbox, released at `releaseAt` (ms, a UTC wall time), global timing unless told. */
export function lumenCampaign(ctx: AppContext, releaseAt: number, timing: 'global' | 'local' = 'global') {
  return createCampaign(
    { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
    {
      slug: 'lumen',
      artistName: 'Glass Tides',
      title: 'Lumen',
      upc: '036000291452',
      releaseAt: new Date(releaseAt).toISOString().slice(0, 16),
      timezone: 'UTC',
      timing,
      services: ['sandbox'],
    },
  );
}

/** A contact (confirmed unless told) and one consent of it, given on `campaignId` at `at`. */
export async function seedContactWithConsent(
  ctx: AppContext,
  c: { audience: string; email: string; campaignId: number; purpose: ConsentPurpose; at: number; status?: ContactStatus },
): Promise<number> {
  const contactId = await seedContact(ctx, { ...c, status: c.status ?? 'confirmed' });
  await seedConsent(ctx, { holder: { contactId }, campaignId: c.campaignId, purpose: c.purpose, at: c.at });
  return contactId;
}
