import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog } from '../src/accounts/testing.js';
import { createWorkspace, signUp } from './helpers/account.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { freePort, startTestServer, type TestServer } from './helpers/server.js';
import { readable, startSmtpSink, type SmtpSink } from './helpers/smtp-sink.js';

/**
 * In Chromium, an admin invites someone: "Invitation sent by mail." only when a mail server took
 * the message (a real SMTP sink here); when the mail server refuses or cannot be reached, the page
 * says so and shows the link to pass on by hand. (Without SMTP_URL: test/auth-browser.test.ts.)
 */
describe.skipIf(!fs.existsSync(CHROMIUM))('invitation mail in a real browser (Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A server whose mail goes to `smtpUrl` (read with every other setting by loadConfig). */
  function serverWithMail(smtpUrl: string): Promise<TestServer> {
    return startTestServer('sqlite', { SMTP_URL: smtpUrl }, undefined, { log: captureLog().log });
  }

  async function invite(base: string, slug: string): Promise<Page> {
    const { page } = await openPage(browser);
    await signUp(page, base);
    await createWorkspace(page, { name: 'Mail Test', slug });
    await page.locator('#invite-email').fill('guest@example.com');
    await page.locator('#invite-role').selectOption('editor');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.waitForLoadState();
    return page;
  }

  describe('with a mail server', () => {
    let sink: SmtpSink;
    let server: TestServer;
    beforeAll(async () => {
      sink = await startSmtpSink();
      server = await serverWithMail(sink.url);
    });
    afterAll(async () => {
      await server?.close();
      await sink?.close();
    });

    it('mails the invitation and says so', async () => {
      const page = await invite(server.url, 'mailed');
      await page.waitForURL(/\/w\/mailed\/members\?done=invited$/);
      expect(await page.locator('[role=status]').first().textContent()).toContain('Invitation sent by mail.');
      expect(await page.locator('#invite-link').count()).toBe(0);
      // The artist's own address-confirmation mail went there too; one invitation went to the guest.
      const invitations = sink.messages.filter((m) => m.to.includes('guest@example.com'));
      expect(invitations).toHaveLength(1);
      expect(invitations[0]!.to).toEqual(['guest@example.com']);
      const body = readable(invitations[0]!);
      expect(body).toMatch(new RegExp(`${server.url.replace(/[.:/]/g, '\\$&')}/invite/[A-Za-z0-9_-]{20,}`));
      await page.screenshot({ path: `${ARTIFACTS}/invite-mailed.png`, fullPage: true });
    });
  });

  describe('with a mail server that cannot be reached', () => {
    let server: TestServer;
    beforeAll(async () => {
      // A port nothing listens on: the connection is refused at once.
      server = await serverWithMail(`smtp://127.0.0.1:${await freePort()}`);
    });
    afterAll(async () => {
      await server?.close();
    });

    it('does not claim it was sent: says why and shows the link to pass on', async () => {
      const page = await invite(server.url, 'unmailed');
      const box = page.locator('#invite-link');
      expect(await box.textContent()).toContain('The invitation mail could not be sent');
      expect(await page.getByText('Invitation sent').count()).toBe(0);
      const link = await page.getByLabel('Invitation link for guest@example.com').inputValue();
      expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{20,}$/);
      // The link is real: it opens the invitation.
      const other = await browser.newContext();
      const guest = await other.newPage();
      await guest.goto(link);
      expect(await guest.locator('h1').textContent()).toBe('Join Mail Test');
      await other.close();
      await page.screenshot({ path: `${ARTIFACTS}/invite-not-mailed.png`, fullPage: true });
    });
  });
});
