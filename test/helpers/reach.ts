import { createCampaign } from '../../src/campaigns/service.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { AppContext } from '../../src/context.js';
import type { Dialect } from '../../src/db/index.js';
import type { ContactStatus, ConsentPurpose } from '../../src/db/schema-reach.js';
import { audienceOf } from '../../src/reach/audience.js';
import { normalizeEmail } from '../../src/reach/address.js';
import { confirmConsents, recordConsents } from '../../src/reach/consents.js';
import { reachKeys } from '../../src/reach/keys.js';
import { launchChromium } from './browser.js';
import { startMailServer, type MailServer } from './mail-server.js';
import { insertContact } from './reach-seed.js';
import { startTestServer, type TestServer } from './server.js';

/**
 * Fans' contacts and consents written straight to the database, as the contact forms (reach/contacts/) leave them (a confirmed contact's consents confirmed, as its link leaves them): for tests of what the message engine does with them. The address is
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
  const { contactId, manageId } = await insertContact(ctx, {
    audience: audienceOf({ id: p.campaignId }),
    email: p.email,
    status: p.status ?? 'confirmed',
    campaignId: p.campaignId,
    lang: p.lang,
    confirmExpiresAt: p.confirmExpiresAt,
    at: p.now,
  });
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

const DAY = 86_400_000;

/** A release `days` from the real now, at midnight in the campaign's zone (a wall time). */
export function releaseWall(days = 3): string {
  return new Date(Date.now() + days * DAY).toISOString().slice(0, 10) + 'T00:00';
}

/** Mira Vale's "Northern Lights" on the sandbox service, released `days` from now (3 unless told). */
export async function reachCampaign(
  ctx: AppContext,
  slug: string,
  o: { timing?: 'global' | 'local'; timezone?: string; artworkUrl?: string | null; days?: number; title?: string } = {},
) {
  return createCampaign(
    { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
    {
      slug,
      artistName: 'Mira Vale',
      title: o.title ?? 'Northern Lights',
      upc: '036000291452',
      releaseAt: releaseWall(o.days),
      timezone: o.timezone ?? 'UTC',
      timing: o.timing ?? 'global',
      services: ['sandbox'],
      artworkUrl: o.artworkUrl ?? null,
    },
  );
}

/** The contact row of an address (found by its keyed hash, as Dropday finds it), or undefined. */
export function contactByEmail(ctx: AppContext, email: string) {
  const n = normalizeEmail(email);
  if (!n.ok) throw new Error(`bad test address ${email}`);
  return ctx.db.selectFrom('contacts').selectAll().where('email_hash', '=', reachKeys(ctx).hash('email', n.lookup)).executeTakeFirst();
}

/**
 * A test server whose fans' mail goes to a real SMTP server started with it (sender and postal
 * address set, as production requires); `env` adds to or overrides those settings.
 */
export async function startMailingServer(
  dialect: Dialect,
  env: Record<string, string> = {},
  now?: () => number,
): Promise<{ server: TestServer; smtp: MailServer; close(): Promise<void> }> {
  const smtp = await startMailServer();
  const server = await startTestServer(
    dialect,
    { SMTP_URL: smtp.url, MAIL_FROM: 'hello@dropday.test', MAIL_POSTAL_ADDRESS: '1 Harbour Street, Leith', ...env },
    now,
  );
  return {
    server,
    smtp,
    close: async () => {
      await server.close();
      await smtp.close();
    },
  };
}

/**
 * The frame of a reach browser suite: {@link startMailingServer} and Chromium, made before the
 * suite's tests (and before any later beforeAll of the suite) and closed after them.
 */
export function mailingBrowserSuite(dialect: Dialect, now?: () => number): { server: TestServer; smtp: MailServer; browser: Browser } {
  const held = {} as { server: TestServer; smtp: MailServer; browser: Browser };
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const started = await startMailingServer(dialect, {}, now);
    ({ server: held.server, smtp: held.smtp, close } = started);
    held.browser = await launchChromium();
  });
  afterAll(async () => {
    await held.browser?.close();
    await close?.();
  });
  return held;
}
