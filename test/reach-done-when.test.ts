import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Campaign } from '../src/campaigns/repo.js';
import { dueAtFor } from '../src/campaigns/timing.js';
import { CHROMIUM, openPage } from './helpers/browser.js';
import { testDialects } from './helpers/db.js';
import { contactByEmail, mailingBrowserSuite, reachCampaign } from './helpers/reach.js';
import { waitFor } from './helpers/wait.js';

/**
 * Issue 12's first "done when", as one story in Chromium against a real SMTP server: a fan leaves
 * an address on the campaign page and confirms it from the mail; a pre-saver leaves one on the
 * receipt page; at release the fan receives "out now" with the campaign's link and the pre-saver
 * the verified receipt; the mail's one-click unsubscribe (RFC 8058, the mail client's POST) stops
 * everything; and erasure — the preference page's, and the receipt's "Erase my data" — leaves no
 * row of that fan in contacts, consents, messages or push subscriptions.
 */
describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('reach, done when: the whole story in Chromium (%s)', (dialect) => {
  let campaign: Campaign;
  let offset = 0;
  const now = () => Date.now() + offset;
  const suite = mailingBrowserSuite(dialect, now);

  beforeAll(async () => {
    campaign = await reachCampaign(suite.server.ctx, 'harbour', { title: 'Harbour Lights' });
    suite.server.worker.start();
  });

  const contactOf = (email: string) => contactByEmail(suite.server.ctx, email);

  /** Everything reach keeps of one contact (and of a pre-save, when given): rows left per table. */
  async function rowsOf(contactId: number, presaveId?: number) {
    const db = suite.server.ctx.db;
    const consents = await db.selectFrom('consents').select('id').where('contact_id', '=', contactId).execute();
    const byPresave = presaveId ? await db.selectFrom('consents').select('id').where('presave_id', '=', presaveId).execute() : [];
    const messages = await db
      .selectFrom('messages')
      .select('id')
      .where((eb) => eb.or([eb('contact_id', '=', contactId), ...(presaveId ? [eb('presave_id', '=', presaveId)] : [])]))
      .execute();
    return {
      contacts: (await db.selectFrom('contacts').select('id').where('id', '=', contactId).execute()).length,
      consents: consents.length + byPresave.length,
      messages: messages.length,
      push_subscriptions: (await db.selectFrom('push_subscriptions').select('id').where('campaign_id', '=', campaign.id).execute()).length,
    };
  }

  /** The reminder form of the page open in `page`, sent in Chromium; then the confirmation link from the mail, followed. */
  async function leaveAndConfirm(page: Page, email: string): Promise<void> {
    await page.fill('#reach-email', email);
    await page.check('#reach-remind');
    const confirmation = suite.smtp.next(email);
    await page.click('#reach-form button[type=submit]');
    await page.waitForSelector('[data-status="sent"]');
    expect((await contactOf(email))?.status).toBe('unconfirmed');
    const link = (await confirmation).links().find((l) => l.includes('/c/confirm/'))!;
    expect(link.startsWith(`${suite.server.url}/c/confirm/`)).toBe(true);
    await page.goto(link);
    await page.waitForSelector('[data-status="confirmed"]');
    expect((await contactOf(email))?.status).toBe('confirmed');
  }

  it('leave an address → confirm from the mail → "out now" and the verified receipt at release → one-click unsubscribe → erasure removes everything', async () => {
    const fan = await openPage(suite.browser, { timezoneId: 'Europe/Lisbon' });
    const saver = await openPage(suite.browser, { timezoneId: 'Europe/Lisbon' });
    try {
      // A fan leaves an address on the campaign page (next to the service buttons) and confirms it.
      await fan.page.goto(`${suite.server.url}/harbour?lang=en`);
      expect(await fan.page.getByRole('button', { name: 'Pre-save on Sandbox' }).count()).toBe(1);
      await leaveAndConfirm(fan.page, 'shore.fan@example.org');
      const fanContact = (await contactOf('shore.fan@example.org'))!;

      // A pre-saver pre-saves on the Sandbox, then leaves an address on the receipt page.
      await saver.page.goto(`${suite.server.url}/harbour?lang=en`);
      await saver.page.getByRole('button', { name: 'Pre-save on Sandbox' }).click();
      await saver.page.waitForURL(/\/sandbox\/authorize/);
      await saver.page.getByLabel('Sandbox username').fill('harbour-saver');
      await saver.page.getByRole('button', { name: 'Allow' }).click();
      await saver.page.waitForURL(/\/p\//);
      const receiptUrl = saver.page.url();
      const publicId = new URL(receiptUrl).pathname.split('/p/')[1]!;
      await leaveAndConfirm(saver.page, 'saver@example.org');
      const saverContact = (await contactOf('saver@example.org'))!;
      const presave = await suite.server.ctx.db
        .selectFrom('presaves')
        .selectAll()
        .where('public_id', '=', publicId)
        .executeTakeFirstOrThrow();

      // Release: the fan's "out now" links the campaign; the pre-saver's is a verified receipt.
      const outNow = suite.smtp.next('shore.fan@example.org');
      const receipt = suite.smtp.next('saver@example.org');
      offset += dueAtFor(campaign, 'UTC') + 1000 - now();
      suite.server.worker.nudge();
      const out = await outNow;
      expect(out.parsed.subject).toContain('Harbour Lights');
      expect(out.links()).toContain(`${suite.server.url}/harbour`);
      await waitFor(
        async () =>
          (await suite.server.ctx.db.selectFrom('presaves').select('status').where('id', '=', presave.id).executeTakeFirst())?.status ===
          'saved',
        { what: 'the pre-save saved' },
      );
      // A receipt that met the pre-save still saving looks again a minute later.
      offset += 2 * 60_000;
      suite.server.worker.nudge();
      const verified = await receipt;
      expect(verified.parsed.subject).toBe('Harbour Lights is in your Sandbox library');
      expect(verified.parsed.text).toContain('verified');
      expect(verified.links()).toContain(`${suite.server.url}/c/${saverContact.manage_id}`);

      // One click in the mail client: the List-Unsubscribe POST (no cookie, no token, no page of ours).
      const unsubscribe = /^<(.+)>$/.exec(out.header('List-Unsubscribe') ?? '')?.[1];
      expect(unsubscribe).toBe(`${suite.server.url}/c/${fanContact.manage_id}/unsubscribe`);
      expect(out.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      const res = await fetch(unsubscribe!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(res.status).toBe(200);
      const consents = await suite.server.ctx.db.selectFrom('consents').selectAll().where('contact_id', '=', fanContact.id).execute();
      expect(consents.map((c) => [c.purpose, c.withdrawn_via])).toEqual([['remind', 'unsubscribe']]);
      // The fan sees it on the preference page the mail links to, and erases everything there.
      const prefs = out.links().find((l) => l === `${suite.server.url}/c/${fanContact.manage_id}`)!;
      await fan.page.goto(prefs);
      expect(await fan.page.locator('[data-purpose="remind"]').getAttribute('data-standing')).toBe('no');
      await fan.page.click('[data-erase]');
      await fan.page.waitForSelector('[data-status="erased"]');
      expect(await rowsOf(fanContact.id)).toEqual({ contacts: 0, consents: 0, messages: 0, push_subscriptions: 0 });
      // The preference link is dead now: nothing is left to show.
      expect((await fetch(prefs)).status).toBe(404);

      // The pre-saver erases from the receipt: the pre-save, and the address left on it, are gone.
      await saver.page.goto(receiptUrl);
      await saver.page.getByRole('button', { name: 'Erase my data' }).click();
      await saver.page.waitForSelector('[data-status="erased"]');
      expect(await saver.page.locator('[data-contact]').getAttribute('data-contact')).toBe('erased');
      expect(await suite.server.ctx.db.selectFrom('presaves').select('id').where('id', '=', presave.id).execute()).toEqual([]);
      expect(await rowsOf(saverContact.id, presave.id)).toEqual({ contacts: 0, consents: 0, messages: 0, push_subscriptions: 0 });
      expect(await contactOf('saver@example.org')).toBeUndefined();

      expect([...fan.errors, ...saver.errors]).toEqual([]);
    } finally {
      await fan.context.close();
      await saver.context.close();
      offset = 0;
    }
  });
});
