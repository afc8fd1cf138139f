import fs from 'node:fs';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createUser } from '../src/accounts/users.js';
import { createWorkspace } from '../src/accounts/workspaces.js';
import { planFromForm } from '../src/editor/form.js';
import { createFromPlan } from '../src/editor/service.js';
import { CHROMIUM, openPage } from './helpers/browser.js';
import { testDialects } from './helpers/db.js';
import { contactByEmail, mailingBrowserSuite } from './helpers/reach.js';
import { waitFor } from './helpers/wait.js';

/**
 * Issue 12's forever save "done when", end to end WITH the message engine and a real SMTP server:
 * two pre-savers of Nova Lake's first campaign leave an address and turn forever save on in
 * Chromium; one stops it. When the artist's workspace launches a second campaign of the same
 * artist, the one who kept it gets a pre-save of it and the forever_notice mail with their /f/
 * link; the one who stopped gets nothing more — no pre-save, no mail.
 */
const DAY = 86_400_000;
const inDays = (d: number) => DateTime.fromMillis(Date.now() + d * DAY, { zone: 'UTC' }).toFormat("yyyy-MM-dd'T'HH:mm");

describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('reach, done when: forever save with the engine (%s)', (dialect) => {
  const suite = mailingBrowserSuite(dialect);
  let band = 0;

  async function create(over: Record<string, string | string[]>) {
    const { ctx } = suite.server;
    const form = {
      artist: 'Nova Lake',
      title: 'First Light',
      type: 'single',
      upc: '',
      isrcs: 'GB-AAA-26-00011',
      releaseAt: inDays(10),
      timezone: 'UTC',
      timing: 'global',
      services: ['sandbox'],
      slug: 'first-light',
      themeAccent: '',
      themeBackground: '',
      languages: '',
      ...over,
    };
    return createFromPlan(ctx, band, await planFromForm(form, null, { now: ctx.now(), enabledServices: ctx.providers.enabled() }));
  }

  beforeAll(async () => {
    const { ctx } = suite.server;
    const owner = await createUser(ctx.db, { email: 'owner@example.com', password: 'correct horse battery' }, ctx.now());
    band = (await createWorkspace(ctx.db, { slug: 'nova', name: 'Nova Lake', kind: 'artist' }, owner.id, ctx.now())).id;
    await create({});
    suite.server.worker.start();
  });

  /** In Chromium: pre-save on the Sandbox, leave a confirmed address on the receipt, turn forever save on. */
  async function foreverSaver(page: Page, user: string, email: string): Promise<string> {
    await page.goto(`${suite.server.url}/first-light?lang=en`);
    await page.getByRole('button', { name: 'Pre-save on Sandbox' }).click();
    await page.waitForURL(/\/sandbox\/authorize/);
    await page.getByLabel('Sandbox username').fill(user);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/\/p\//);
    const receipt = page.url();
    await page.fill('#reach-email', email);
    await page.check('#reach-remind');
    const confirmation = suite.smtp.next(email);
    await page.click('#reach-form button[type=submit]');
    await page.waitForSelector('[data-status="sent"]');
    await page.goto((await confirmation).links().find((l) => l.includes('/c/confirm/'))!);
    await page.waitForSelector('[data-status="confirmed"]');
    await page.goto(receipt);
    await page.getByLabel('Also pre-save Nova Lake’s future releases to my Sandbox library, until I stop it.').check();
    await page.getByRole('button', { name: 'Save future releases' }).click();
    await page.waitForURL(/#forever$/);
    expect(await page.locator('[data-forever]').getAttribute('data-forever')).toBe('on');
    return receipt;
  }

  const presavesOf = (campaignId: number, account: string) =>
    suite.server.ctx.db
      .selectFrom('presaves')
      .innerJoin('grants', 'grants.id', 'presaves.grant_id')
      .select(['presaves.id', 'presaves.status'])
      .where('presaves.campaign_id', '=', campaignId)
      .where('grants.account_id', '=', account)
      .execute();

  it('a second campaign of the same artist gets the forever-savers’ pre-saves and the notice mail; a fan who stopped gets nothing more', async () => {
    const keep = await openPage(suite.browser, { timezoneId: 'Europe/Berlin' });
    const quit = await openPage(suite.browser, { timezoneId: 'Asia/Kolkata' });
    try {
      await foreverSaver(keep.page, 'keeps-it', 'keeps@example.org');
      await foreverSaver(quit.page, 'stops-it', 'stops@example.org');
      // The second fan stops it, from the receipt's forever section.
      await quit.page.getByRole('button', { name: 'Stop forever save' }).click();
      await quit.page.waitForURL(/\/f\//);
      expect(await quit.page.locator('[role="status"]').textContent()).toContain('Forever save is stopped');
      const mailsToQuitter = () => suite.smtp.received.filter((m) => m.envelope.to.includes('stops@example.org')).length;
      const before = mailsToQuitter();

      // The workspace launches a new campaign of the same artist (its name spelt differently).
      const notice = suite.smtp.next('keeps@example.org');
      const second = await create({
        artist: ' nova  LAKE',
        title: 'Second Tide',
        slug: 'second-tide',
        isrcs: 'GB-AAA-26-00012',
        releaseAt: inDays(40),
      });
      suite.server.worker.nudge();

      // The one who kept it: a pre-save of the new release, and the notice at the real SMTP suite.server.
      expect(await presavesOf(second.id, 'keeps-it')).toMatchObject([{ status: 'pending' }]);
      const forever = await suite.server.ctx.db
        .selectFrom('forever_saves')
        .innerJoin('grants', 'grants.id', 'forever_saves.grant_id')
        .select('forever_saves.manage_id')
        .where('grants.account_id', '=', 'keeps-it')
        .executeTakeFirstOrThrow();
      const mail = await notice;
      expect(mail.parsed.text).toContain('Second Tide');
      const stopLink = `${suite.server.url}/f/${forever.manage_id}`;
      expect(mail.links()).toContain(stopLink);
      // The link opens the fan's forever save page, which lists the new receipt.
      await keep.page.goto(stopLink);
      expect(await keep.page.locator('body').textContent()).toContain('Second Tide');

      // The one who stopped: no pre-save, no message queued, no mail — even once the engine is idle.
      expect(await presavesOf(second.id, 'stops-it')).toEqual([]);
      await waitFor(
        async () =>
          (
            await suite.server.ctx.db
              .selectFrom('messages')
              .select('id')
              .where('campaign_id', '=', second.id)
              .where('type', '=', 'forever_notice')
              .where('status', '=', 'pending')
              .execute()
          ).length === 0,
        { what: 'every forever notice settled' },
      );
      const quitter = (await contactByEmail(suite.server.ctx, 'stops@example.org'))!;
      const quitterMessages = await suite.server.ctx.db
        .selectFrom('messages')
        .select('id')
        .where('contact_id', '=', quitter.id)
        .where('campaign_id', '=', second.id)
        .execute();
      expect(quitterMessages).toEqual([]);
      expect(mailsToQuitter()).toBe(before);
      expect([...keep.errors, ...quit.errors]).toEqual([]);
    } finally {
      await keep.context.close();
      await quit.context.close();
    }
  });
});
