import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByEmail } from '../src/accounts/users.js';
import type { AppContext } from '../src/context.js';
import { ARTIST, logIn, signUp } from './helpers/account.js';
import { axeProblems } from './helpers/axe.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { artistWithCampaign } from './helpers/artist-campaign.js';
import { testDialects } from './helpers/db.js';
import { seedConsent, seedContact, seedMessages, seedPush } from './helpers/reach-seed.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const DAY = 86_400_000;
const VIEWER = { email: 'viewer@example.com', password: 'quiet lantern orbit' };

/**
 * In Chromium: the artist signs in, opens a campaign's dashboard, reads the "Fans you can reach"
 * panel (a table with headers), clicks the export link and gets the CSV of contacts who agreed to
 * news; a viewer of the same workspace sees the panel without the link, and is refused the file.
 */
describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('the reach panel and export in Chromium (%s)', (dialect) => {
  let server: TestServer;
  let ctx: AppContext;
  let browser: Browser;
  let base: string;
  const clock = Date.UTC(2026, 6, 14, 9, 0);

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => clock);
    ({ ctx, url: base } = server);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the artist sees the panel and downloads the news contacts; a viewer is refused', async () => {
    const { context, page, errors } = await openPage(browser, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const { ws, campaign } = await artistWithCampaign(page, ctx, base, clock + DAY);
    const audience = `w:${ws.id}`;
    const t = clock - DAY;
    const fan = await seedContact(ctx, {
      audience,
      email: 'fan@example.org',
      status: 'confirmed',
      campaignId: campaign.id,
      lang: 'de',
      at: t,
    });
    await seedConsent(ctx, {
      holder: { contactId: fan },
      campaignId: campaign.id,
      purpose: 'news',
      at: t,
      lang: 'de',
      text: 'Neuigkeiten von Neon Rain',
    });
    await seedConsent(ctx, { holder: { contactId: fan }, campaignId: campaign.id, purpose: 'remind', at: t });
    const waiting = await seedContact(ctx, {
      audience,
      email: 'later@example.org',
      status: 'unconfirmed',
      campaignId: campaign.id,
      confirmExpiresAt: clock + DAY,
      at: t,
    });
    await seedConsent(ctx, { holder: { contactId: waiting }, campaignId: campaign.id, purpose: 'news', at: t, confirmedAt: null });
    const push = await seedPush(ctx, { audience, campaignId: campaign.id, at: t });
    await seedConsent(ctx, { holder: { pushId: push }, campaignId: campaign.id, purpose: 'remind', at: t });
    await seedMessages(ctx, { campaignId: campaign.id, at: t, type: 'confirm', channel: 'email', status: 'sent', count: 2, dueAt: t });
    await seedMessages(ctx, { campaignId: campaign.id, at: t, type: 'out_now', channel: 'email', status: 'pending', dueAt: clock + DAY });

    await page.goto(`${base}/w/neon-rain/campaigns/afterglow`);
    const panel = page.getByRole('region', { name: 'Fans you can reach' });
    await expect(panel.isVisible()).resolves.toBe(true);
    const contacts = panel.getByRole('table').first();
    await expect(contacts.getByRole('columnheader').allTextContents()).resolves.toEqual([
      'Agreed to',
      'Confirmed email',
      'Awaiting confirmation',
      'Push subscribers',
    ]);
    const news = contacts.getByRole('row', { name: /News from Neon Rain/ });
    await expect(news.getByRole('cell').allTextContents()).resolves.toEqual(['News from Neon Rain', '1', '1', '0']);
    const remind = contacts.getByRole('row', { name: /Reminder for this release/ });
    await expect(remind.getByRole('cell').allTextContents()).resolves.toEqual(['Reminder for this release', '1', '0', '1']);
    // No visitor recorded by analytics: no rate is made up.
    await expect(panel.locator('[data-reach="optin.rate"]').textContent()).resolves.toBe('—');
    await expect(panel.locator('[data-reach="email.out_now.scheduled"]').textContent()).resolves.toBe('1');
    await panel.screenshot({ path: `${ARTIFACTS}/reach-panel-${dialect}.png` });
    expect(await axeProblems(page, 'campaign dashboard with the reach panel')).toBe('');
    // On a 320 px phone the panel's tables scroll inside it; the page does not widen.
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await page.setViewportSize({ width: 1280, height: 900 });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('link', { name: /Export contacts who agreed to news/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('neon-rain-news-contacts.csv');
    const text = fs.readFileSync((await download.path())!, 'utf8');
    expect(text.replace(/^\uFEFF/, '').split('\r\n')).toEqual([
      'Email Address,Language,Consent Time,Confirmation Time,Consent Source,Consent Text,Consent Version,Tags',
      `fan@example.org,de,${new Date(t).toISOString()},${new Date(t).toISOString()},afterglow (campaign page),Neuigkeiten von Neon Rain,contact.news.v1,"dropday,news,afterglow"`,
      '',
    ]);
    expect(errors).toEqual([]);
    await context.close();

    // A viewer of the workspace: the panel, no link, and the file refused.
    const v = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    await signUp(v.page, base, VIEWER);
    const viewer = (await findUserByEmail(ctx.db, VIEWER.email))!;
    await ctx.db
      .insertInto('workspace_members')
      .values({ workspace_id: ws.id, user_id: viewer.id, role: 'viewer', created_at: clock, updated_at: clock })
      .execute();
    await v.page.goto(`${base}/w/neon-rain/campaigns/afterglow`);
    const vpanel = v.page.getByRole('region', { name: 'Fans you can reach' });
    await expect(vpanel.isVisible()).resolves.toBe(true);
    await expect(vpanel.getByRole('link', { name: /Export contacts/ }).count()).resolves.toBe(0);
    await expect(vpanel.getByText('Editors of this workspace can export the contacts who agreed to news.').isVisible()).resolves.toBe(true);
    expect(v.errors).toEqual([]);
    const refused = await v.page.goto(`${base}/w/neon-rain/contacts.csv`);
    expect(refused!.status()).toBe(403);
    await expect(v.page.locator('body').textContent()).resolves.toMatch(/editor role or higher/);
    await expect(v.page.content()).resolves.not.toContain('fan@example.org');
    await v.context.close();

    // The artist again, signed in afresh: still allowed.
    const again = await openPage(browser);
    await logIn(again.page, base, ARTIST);
    const res = await again.page.request.get(`${base}/w/neon-rain/contacts.csv`);
    expect(res.status()).toBe(200);
    await again.context.close();
  });
});
