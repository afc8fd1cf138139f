import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog } from '../src/accounts/testing.js';
import type { AppContext } from '../src/context.js';
import { createWorkspace, signUp } from './helpers/account.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * In Chromium: an artist signs up, creates a workspace and invites a viewer; the viewer opens the
 * logged invitation link, signs up with that address, cannot join until the address is confirmed
 * through the logged link, then joins, and finds no edit or invite controls — and a hand-made POST
 * with a valid CSRF token is still refused by the role check.
 */
describe.skipIf(!fs.existsSync(CHROMIUM))('accounts in a real browser (Chromium)', () => {
  let server: TestServer;
  let ctx: AppContext;
  let browser: Browser;
  let base: string;
  const logs = captureLog();
  beforeAll(async () => {
    server = await startTestServer('sqlite', {}, undefined, { log: logs.log });
    ({ ctx, url: base } = server);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sign up, create a workspace, invite a viewer who joins and cannot edit', async () => {
    const { context: owner, page, errors } = await openPage(browser);

    await signUp(page, base, undefined, { beforeSubmit: () => page.screenshot({ path: `${ARTIFACTS}/auth-signup.png`, fullPage: true }) });
    // Chromium keeps a __Host- Secure cookie on http://127.0.0.1.
    const cookie = (await owner.cookies()).find((c) => c.name === '__Host-dropday_session');
    expect(cookie?.secure).toBe(true);
    expect(cookie?.httpOnly).toBe(true);

    await createWorkspace(page, { name: 'Midnight Parade', slug: 'midnight-parade' });
    await page.waitForURL(/\/w\/midnight-parade\/members/);
    expect(await page.locator('h1').textContent()).toBe('Midnight Parade');

    await page.locator('#invite-email').fill('viewer@example.com');
    await page.locator('#invite-role').selectOption('viewer');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    // No SMTP_URL: nothing was mailed, and the page says so and shows the link to pass on.
    const box = page.locator('#invite-link');
    await expect
      .poll(() => box.textContent())
      .toContain('No invitation mail was sent: this server has no mail configured (SMTP_URL is not set).');
    expect(await page.getByText('Invitation sent').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/auth-members-owner.png`, fullPage: true });
    const link = await page.getByLabel('Invitation link for viewer@example.com').inputValue();
    expect(link.startsWith(`${base}/invite/`)).toBe(true);
    // The log has it too, for whoever runs the server.
    expect(logs.lastLinkTo('viewer@example.com')).toBe(link);

    const member = await browser.newContext();
    const mpage = await member.newPage();
    mpage.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await mpage.goto(link);
    expect(await mpage.locator('h1').textContent()).toBe('Join Midnight Parade');
    await mpage.getByRole('link', { name: 'Create an account' }).click();
    await mpage.waitForURL(/\/signup\?/);
    expect(await mpage.getByLabel('Email').inputValue()).toBe('viewer@example.com');
    await mpage.getByLabel('Password').fill('quiet listener 2030');
    await mpage.getByRole('button', { name: 'Create account' }).click();
    await mpage.waitForURL(link);
    // Anyone could have signed up with this address: until it is confirmed, there is no way in.
    expect(await mpage.getByRole('alert').textContent()).toContain('Confirm your email address first');
    expect(await mpage.getByRole('button', { name: 'Join Midnight Parade' }).count()).toBe(0);
    const forced = await mpage.evaluate(async (path) => {
      const token = (document.querySelector('input[name=_csrf]') as HTMLInputElement).value;
      const res = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token }).toString(),
      });
      return { status: res.status, text: await res.text() };
    }, new URL(link).pathname);
    expect(forced.status).toBe(403);
    expect(forced.text).toContain('Confirm your email address first');
    expect(await ctx.db.selectFrom('workspace_members').select('user_id').execute()).toHaveLength(1);
    // The first mail is lost: ask for another, then confirm through it.
    const firstLink = logs.lastLinkTo('viewer@example.com');
    await mpage.getByRole('button', { name: 'Send the link again' }).click();
    await mpage.waitForURL(`${link}?sent=1`);
    expect(await mpage.getByRole('status').textContent()).toContain('We sent a new link');
    const confirm = logs.lastLinkTo('viewer@example.com');
    expect(confirm).not.toBe(firstLink);
    expect(confirm.startsWith(`${base}/verify/`)).toBe(true);
    await mpage.goto(confirm);
    expect(await mpage.locator('h1').textContent()).toBe('Confirm your email address');
    await mpage.getByRole('button', { name: 'Confirm my address' }).click();
    await mpage.waitForLoadState('load');
    expect(await mpage.getByRole('status').textContent()).toContain('viewer@example.com is confirmed');
    await mpage.goto(link);
    await mpage.getByRole('button', { name: 'Join Midnight Parade' }).click();
    await mpage.waitForURL(/\/w\/midnight-parade\/members\?done=joined/);
    expect(await mpage.locator('.muted').first().textContent()).toContain('you are Viewer');

    // A viewer sees the members but none of the controls to change them.
    expect(await mpage.locator('tr[data-member]').count()).toBe(2);
    expect(await mpage.locator('#invite').count()).toBe(0);
    expect(await mpage.locator('select[name=role]').count()).toBe(0);
    expect(await mpage.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    expect(await mpage.getByRole('button', { name: 'Delete workspace' }).count()).toBe(0);
    await mpage.screenshot({ path: `${ARTIFACTS}/auth-members-viewer.png`, fullPage: true });

    expect(errors).toEqual(['Failed to load resource: the server responded with a status of 403 (Forbidden)']);

    // Even a well-formed POST from the viewer's own page (right Origin, right CSRF token) is refused.
    const invitesBefore = await ctx.db.selectFrom('workspace_invitations').select('id').execute();
    const status = await mpage.evaluate(async () => {
      const token = (document.querySelector('input[name=_csrf]') as HTMLInputElement).value;
      const res = await fetch('/w/midnight-parade/invitations', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token, email: 'sneaky@example.com', role: 'admin' }).toString(),
      });
      return res.status;
    });
    expect(status).toBe(403);
    expect(await ctx.db.selectFrom('workspace_invitations').select('id').execute()).toHaveLength(invitesBefore.length);

    // The owner sees the new member.
    await page.goto(`${base}/w/midnight-parade/members`);
    expect(await page.locator('tr[data-member="viewer@example.com"]').textContent()).toContain('Viewer');
    // The only console errors are the two refused POSTs above.
    expect(errors).toEqual(Array(2).fill('Failed to load resource: the server responded with a status of 403 (Forbidden)'));
    await owner.close();
    await member.close();
  });
});
