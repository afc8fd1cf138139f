import { beforeAll, describe, expect, it } from 'vitest';
import { dueAtFor } from '../src/campaigns/timing.js';
import type { Campaign } from '../src/campaigns/repo.js';
import { newsContactsCsv } from '../src/reach/export.js';
import { deleteExpiredContacts } from '../src/reach/contacts/expire.js';
import { openPage } from './helpers/browser.js';
import { FanBrowser } from './helpers/fan.js';
import { waitFor } from './helpers/wait.js';
import { setCampaignLink } from '../src/smartlink/links.js';
import { testDialects } from './helpers/db.js';
import { contactByEmail, mailingBrowserSuite, reachCampaign } from './helpers/reach.js';

/**
 * A fan in Chromium: leaves an address on the campaign page, confirms from the mail the real
 * SMTP server received, gets the "out now" mail at release with the right link, and uses the
 * preference page's forms (withdraw, erase) and the mail's one-click unsubscribe. Someone who
 * types a confirmed fan's address cannot subscribe it: only the owner's click confirms a choice.
 */
describe.each(testDialects())('a fan leaves an address in the browser (%s)', (dialect) => {
  let campaign: Campaign;
  let offset = 0;
  const now = () => Date.now() + offset;
  const suite = mailingBrowserSuite(dialect, now);

  beforeAll(async () => {
    const { ctx } = suite.server;
    campaign = await reachCampaign(ctx, 'tidewater', { title: 'Tidewater', timezone: 'Europe/London' });
    await setCampaignLink(ctx.db, campaign.id, 'wynk', 'https://wynk.in/music/album/tidewater/ab_1', Date.now());
    suite.server.worker.start();
  });

  const contactOf = (email: string) => contactByEmail(suite.server.ctx, email);

  it('campaign page → confirmation mail → confirm in the browser → "out now" at release with the link → withdraw and erase on the preference page', async () => {
    const { page, context, errors } = await openPage(suite.browser, { timezoneId: 'America/Chicago' });
    try {
      await page.goto(`${suite.server.url}/tidewater`);
      const section = page.locator('section#remind');
      await expect(section.locator('#reach-remind').isChecked()).resolves.toBe(false);
      await expect(section.locator('#reach-news').isChecked()).resolves.toBe(false);
      // A mistake first: no box ticked. The fan is told, and what they typed is still there.
      await page.fill('#reach-email', 'Tide.Fan@Example.com');
      await page.click('#reach-form button[type=submit]');
      await page.waitForSelector('#remind-problems');
      expect(await page.locator('#remind-problems').innerText()).toContain('Tick at least one box');
      expect(await page.inputValue('#reach-email')).toBe('Tide.Fan@Example.com');

      const confirmation = suite.smtp.next('tide.fan@example.com');
      await page.check('#reach-remind');
      await page.click('#reach-form button[type=submit]');
      await page.waitForSelector('[data-status="sent"]');
      expect(await page.locator('h1').innerText()).toBe('Check your inbox');
      const contact = (await contactOf('tide.fan@example.com'))!;
      expect(contact.status).toBe('unconfirmed');
      // The zone the page's script filled in (the browser's) is the one recorded.
      const consent = await suite.server.ctx.db
        .selectFrom('consents')
        .selectAll()
        .where('contact_id', '=', contact.id)
        .executeTakeFirstOrThrow();
      expect(consent.timezone).toBe('America/Chicago');

      const mail = await confirmation;
      const link = mail.links().find((l) => l.includes('/c/confirm/'))!;
      expect(link).toMatch(new RegExp(`^${suite.server.url}/c/confirm/`));
      await page.goto(link);
      await page.waitForSelector('[data-status="confirmed"]');
      expect(await page.locator('article').innerText()).toContain('Remind me when “Tidewater” is out');
      expect((await contactOf('tide.fan@example.com'))?.status).toBe('confirmed');

      // Release: the "out now" mail, with the campaign's link and one-click unsubscribe.
      const outNow = suite.smtp.next('tide.fan@example.com');
      offset += dueAtFor(campaign, 'UTC') + 1000 - now();
      suite.server.worker.nudge();
      const out = await outNow;
      expect(out.links()).toContain(`${suite.server.url}/tidewater`);
      expect(out.header('List-Unsubscribe')).toBe(`<${suite.server.url}/c/${contact.manage_id}/unsubscribe>`);

      // The preference page from the mail: withdraw, then erase, by clicking.
      const prefs = out.links().find((l) => l === `${suite.server.url}/c/${contact.manage_id}`)!;
      await page.goto(prefs);
      expect(await page.locator('article').innerText()).toContain('Tide.Fan@example.com');
      await page.click('[data-withdraw="remind"]');
      await page.waitForSelector('[data-notice="withdrawn"]');
      expect(await page.locator('[data-purpose="remind"]').getAttribute('data-standing')).toBe('no');
      await page.click('[data-erase]');
      await page.waitForSelector('[data-status="erased"]');
      expect(await contactOf('tide.fan@example.com')).toBeUndefined();
      expect(await suite.server.ctx.db.selectFrom('consents').select('id').where('contact_id', '=', contact.id).execute()).toEqual([]);
      // The 400 of the first try is the only thing the console reports.
      expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
    } finally {
      await context.close();
      offset = 0;
    }
  });

  it('a pre-saver leaves an address on the receipt page; at release the mail is a verified receipt', async () => {
    const thanks = await new FanBrowser().presave(suite.server.url, 'tidewater', 'receipt-fan', 'UTC');
    const { page, context } = await openPage(suite.browser);
    try {
      await page.goto(thanks);
      await page.fill('#reach-email', 'saver@example.org');
      await page.check('#reach-remind');
      const confirmation = suite.smtp.next('saver@example.org');
      await page.click('#reach-form button[type=submit]');
      await page.waitForSelector('[data-status="sent"]');
      await page.goto((await confirmation).links().find((l) => l.includes('/c/confirm/'))!);
      await page.waitForSelector('[data-status="confirmed"]');
      const receipt = suite.smtp.next('saver@example.org');
      offset += dueAtFor(campaign, 'UTC') + 1000 - now();
      suite.server.worker.nudge();
      // The pre-save is saved at release; a receipt that met it still saving looks again a minute later.
      const publicId = thanks.split('/p/')[1]!;
      await waitFor(
        async () =>
          (await suite.server.ctx.db.selectFrom('presaves').select('status').where('public_id', '=', publicId).executeTakeFirst())
            ?.status === 'saved',
        { what: 'the pre-save saved' },
      );
      offset += 2 * 60_000;
      suite.server.worker.nudge();
      const mail = await receipt;
      expect(mail.parsed.subject).toBe('Tidewater is in your Sandbox library');
      expect(mail.parsed.text).toContain('verified');
    } finally {
      await context.close();
      offset = 0;
    }
  });

  it('"Remind me on Wynk Music" works without JavaScript: the form opens with the service chosen, and the consent records it', async () => {
    const { page, context } = await openPage(suite.browser, { javaScriptEnabled: false });
    try {
      await page.goto(`${suite.server.url}/tidewater?lang=en`);
      await page.click('[data-remind-on="wynk"]');
      await page.waitForURL(/remind=wynk/);
      expect(await page.inputValue('#reach-service')).toBe('wynk');
      await page.fill('#reach-email', 'wynk.fan@example.org');
      await page.check('#reach-remind');
      await page.click('#reach-form button[type=submit]');
      await page.waitForSelector('[data-status="sent"]');
      const contact = (await contactOf('wynk.fan@example.org'))!;
      const consent = await suite.server.ctx.db
        .selectFrom('consents')
        .selectAll()
        .where('contact_id', '=', contact.id)
        .executeTakeFirstOrThrow();
      // No script ran: no zone was sent, so none is recorded (the campaign's is used).
      expect(consent).toMatchObject({ purpose: 'remind', service: 'wynk', timezone: null });
    } finally {
      await context.close();
    }
  });

  it('an address suppressed by a bounce, left again, gets a confirmation mail; confirming lifts the suppression', async () => {
    const { suppressContact } = await import('../src/reach/contacts/suppress.js');
    const form = (email: string) =>
      suite.server.app.inject({
        method: 'POST',
        url: '/tidewater/remind',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
        payload: new URLSearchParams({ email, remind: '1', lang: 'en', tz: '', service: '' }).toString(),
      });
    const first = suite.smtp.next('bounced@example.org');
    await form('bounced@example.org');
    const c = (await contactOf('bounced@example.org'))!;
    await fetch((await first).links().find((l) => l.includes('/c/confirm/'))!);
    await suppressContact(suite.server.ctx.db, c.id, 'bounced', now());
    const again = suite.smtp.next('bounced@example.org');
    expect((await form('bounced@example.org')).body).toContain('data-status="sent"');
    const link = (await again).links().find((l) => l.includes('/c/confirm/'))!;
    expect((await fetch(link)).status).toBe(200);
    expect(await contactOf('bounced@example.org')).toMatchObject({ status: 'confirmed', suppressed_at: null });
  });

  it('unsubscribe from the mail: the link’s page has one button; the mail client’s one-click POST works without cookies', async () => {
    const { page, context } = await openPage(suite.browser);
    try {
      await page.goto(`${suite.server.url}/tidewater`);
      await page.fill('#reach-email', 'leave@example.org');
      await page.check('#reach-news');
      const confirmation = suite.smtp.next('leave@example.org');
      await page.click('#reach-form button[type=submit]');
      await page.waitForSelector('[data-status="sent"]');
      await page.goto((await confirmation).links().find((l) => l.includes('/c/confirm/'))!);
      await page.waitForSelector('[data-status="confirmed"]');
      const contact = (await contactOf('leave@example.org'))!;
      await page.goto(`${suite.server.url}/c/${contact.manage_id}/unsubscribe`);
      await page.click('[data-unsubscribe]');
      await page.waitForSelector('[data-status="unsubscribed"]');
      const consents = await suite.server.ctx.db.selectFrom('consents').selectAll().where('contact_id', '=', contact.id).execute();
      expect(consents.map((c) => c.withdrawn_via)).toEqual(['unsubscribe']);
      // The mail client's POST: no cookies, no token, from no page of ours.
      const res = await fetch(`${suite.server.url}/c/${contact.manage_id}/unsubscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(res.status).toBe(200);
    } finally {
      await context.close();
    }
  });
  it('a stranger leaves a confirmed fan’s address with "news": only a mail asking the owner; ignored, it expires; the owner’s click confirms it', async () => {
    const form = (email: string, purpose: 'remind' | 'news') =>
      suite.server.app.inject({
        method: 'POST',
        url: '/tidewater/remind',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
        payload: new URLSearchParams({ email, [purpose]: '1', lang: 'en', tz: '', service: '' }).toString(),
      });
    const exported = async () => {
      let csv = '';
      for await (const chunk of newsContactsCsv(suite.server.ctx.db, suite.server.ctx.cipher, `c:${campaign.id}`)) csv += chunk;
      return csv;
    };
    // The owner asked for the reminder and confirmed it.
    const own = suite.smtp.next('owner@example.org');
    await form('owner@example.org', 'remind');
    expect((await fetch((await own).links().find((l) => l.includes('/c/confirm/'))!)).status).toBe(200);
    const owner = (await contactOf('owner@example.org'))!;
    expect(owner.status).toBe('confirmed');

    const { page, context } = await openPage(suite.browser);
    try {
      // A stranger types the owner's address with "news": the page is the one any address gets.
      const asked = suite.smtp.next('owner@example.org');
      await page.goto(`${suite.server.url}/tidewater`);
      await page.fill('#reach-email', 'owner@example.org');
      await page.check('#reach-news');
      await page.click('#reach-form button[type=submit]');
      await page.waitForSelector('[data-status="sent"]');
      expect(await page.locator('h1').innerText()).toBe('Check your inbox');
      // The owner gets one mail asking about that choice, in its words; nothing else is sent.
      const mail = await asked;
      expect(mail.parsed.subject).toBe('Confirm your choices for Mira Vale');
      expect(mail.parsed.text).toContain('News from Mira Vale');
      const messages = () =>
        suite.server.ctx.db.selectFrom('messages').select(['type', 'status']).where('contact_id', '=', owner.id).execute();
      // The engine settles the mail just after the suite.server took it.
      await waitFor(async () => (await messages()).filter((m) => m.status === 'sent').length === 2, { what: 'the mail settled' });
      const sent = await messages();
      expect(sent.filter((m) => m.status === 'sent').map((m) => m.type)).toEqual(['confirm', 'confirm']);
      // The only other message is the owner's own reminder, waiting for the release.
      expect(sent.filter((m) => m.type !== 'confirm')).toEqual([{ type: 'out_now', status: 'pending' }]);
      // Not consent: not in the artist's export.
      expect(await exported()).not.toContain('owner@example.org');

      // Ignored: once its link has expired the choice is deleted; the owner's reminder stays.
      const ttl = suite.server.ctx.config.reach.contacts.confirmTtlMs;
      await deleteExpiredContacts(suite.server.ctx.db, now() + ttl + 60_000, ttl);
      const left = await suite.server.ctx.db
        .selectFrom('consents')
        .select(['purpose', 'confirmed_at'])
        .where('contact_id', '=', owner.id)
        .execute();
      expect(left.map((k) => k.purpose)).toEqual(['remind']);
      expect((await contactOf('owner@example.org'))?.status).toBe('confirmed');

      // Asked again, and this time the owner clicks: the page says what was confirmed; exported.
      const again = suite.smtp.next('owner@example.org');
      await page.goto(`${suite.server.url}/tidewater`);
      await page.fill('#reach-email', 'owner@example.org');
      await page.check('#reach-news');
      await page.click('#reach-form button[type=submit]');
      await page.waitForSelector('[data-status="sent"]');
      await page.goto((await again).links().find((l) => l.includes('/c/confirm/'))!);
      await page.waitForSelector('[data-status="confirmed"]');
      const confirmedText = await page.locator('article').innerText();
      expect(confirmedText).toContain('these choices are confirmed');
      expect(confirmedText).toContain('News from Mira Vale');
      expect(await exported()).toContain('owner@example.org');
    } finally {
      await context.close();
    }
  });
});
