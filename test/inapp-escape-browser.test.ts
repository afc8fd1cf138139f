import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { findWorkspaceBySlug } from '../src/accounts/workspaces.js';
import { createCampaign } from '../src/campaigns/service.js';
import { createWorkspace, signUp } from './helpers/account.js';
import { axeProblems } from './helpers/axe.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { startSpotifyFake, type SpotifyFake } from './fakes/spotify/index.js';
import { INAPP_UA, ORDINARY_UA } from './helpers/user-agents.js';

/**
 * The in-app browser rescue in Chromium, with Instagram's and TikTok's real user agents: the
 * "Open in your browser" step instead of Spotify's sign-in (iOS: the app's menu and a copy-link
 * that works, or the field to copy by hand; Android: the intent:// hop), then the fan's own browser
 * opens the link, lands with Spotify chosen, pre-saves on the Spotify fake — and the dashboard's
 * "In-app browsers" panel counts the step shown, taken and completed.
 */
const NOW = Date.parse('2030-06-01T12:00:00Z');
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } as const;

describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('in-app browser rescue in Chromium (%s)', (dialect) => {
  let server: TestServer;
  let spotify: SpotifyFake;
  let browser: Browser;
  let campaignId: number;
  beforeAll(async () => {
    spotify = await startSpotifyFake({ now: () => NOW });
    server = await startTestServer(dialect, spotify.env(), () => NOW, { analytics: { flushIntervalMs: 60_000 } });
    spotify.state.registerRedirectUri(`${server.url}/callback/spotify`);
    const { ctx } = server;
    const campaign = await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'escape',
        artistName: 'Webview Blues',
        title: 'Way Out',
        upc: '036000291452',
        releaseAt: '2030-06-10T00:00',
        timezone: 'UTC',
        timing: 'global',
        services: ['spotify', 'sandbox'],
      },
    );
    campaignId = campaign.id;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await spotify?.close();
  });

  /** From the campaign page inside the app, the Spotify button: the escape step, with its id in the address. */
  async function openEscapeStep(page: Page, app: string): Promise<string> {
    await page.goto(`${server.url}/escape`);
    expect(await page.locator('[data-inapp]').getAttribute('data-inapp')).toBe(app);
    await page.screenshot({ path: `${ARTIFACTS}/inapp-campaign-page-${app}-${dialect}.png`, fullPage: true });
    expect(await axeProblems(page, `campaign page in ${app}`)).toBe('');
    // Services whose sign-in works in webviews connect directly.
    expect(await page.locator('form:has(button.svc-sandbox)').getAttribute('action')).toBe('/connect/sandbox');
    await page.getByRole('button', { name: 'Pre-save on Spotify' }).click();
    await page.waitForURL(/\/escape\/escape\/spotify\?esc=/);
    expect(await page.locator('h1').textContent()).toBe('Open in your browser');
    expect(await axeProblems(page, `escape step in ${app}`)).toBe('');
    return page.url();
  }

  it('Instagram on iOS: the app’s menu instruction and a copy-link that copies this campaign’s hop', async () => {
    const { context, page, errors } = await openPage(browser, { ...PHONE, userAgent: INAPP_UA.instagramIos });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const stepUrl = await openEscapeStep(page, 'instagram');
    expect(await page.locator('#escape-menu').textContent()).toBe('Tap ··· in the top right corner, then “Open in external browser”.');
    expect(await page.locator('#escape-open').count()).toBe(0); // iOS apps have no hop a page can trigger
    const field = page.getByLabel('Link to this page');
    expect(await field.inputValue()).toBe(stepUrl);
    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect
      .poll(() => page.locator('#escape-copy-status').textContent())
      .toBe('Link copied. Open your browser and paste it into the address bar.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(stepUrl);
    await page.screenshot({ path: `${ARTIFACTS}/inapp-escape-instagram-ios-${dialect}.png`, fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  let hop = '';
  it('TikTok on Android: the intent:// hop to the default browser, and the field when copying is refused', async () => {
    const { context, page, errors } = await openPage(browser, { ...PHONE, userAgent: INAPP_UA.tiktokAndroid });
    // Apps often refuse the clipboard: stand in for that refusal in this browser.
    await refuseClipboard(context);
    const stepUrl = await openEscapeStep(page, 'tiktok');
    const u = new URL(stepUrl);
    expect(await page.locator('#escape-open').getAttribute('href')).toBe(
      `intent://${u.host}${u.pathname}${u.search}#Intent;scheme=http;S.browser_fallback_url=${encodeURIComponent(stepUrl)};end`,
    );
    expect(await page.getByRole('link', { name: 'Open in my browser' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect
      .poll(() => page.locator('#escape-copy-status').textContent())
      .toBe('Copying did not work here. Press and hold the link above, then choose Copy.');
    // The link is selected in its field for a manual copy.
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).id)).toBe('escape-url');
    expect(
      await page.evaluate(() => window.getSelection()?.toString() || (document.activeElement as HTMLInputElement).selectionEnd),
    ).toBeTruthy();
    await page.screenshot({ path: `${ARTIFACTS}/inapp-escape-tiktok-android-${dialect}.png`, fullPage: true });
    hop = stepUrl;
    expect(errors).toEqual([]);

    // "Continue here anyway" goes on to Spotify's sign-in in the app.
    await page.getByRole('button', { name: 'Continue here anyway' }).click();
    await page.waitForURL((url) => url.toString().startsWith(spotify.url));
    await context.close();
  });

  it.each([
    ['instagramAndroid', 'instagram', null],
    ['tiktokIos', 'tiktok', 'Tap ··· in the top right corner, then “Open in browser”.'],
  ] as const)('%s: the step for that app and phone', async (ua, app, menu) => {
    const { context, page, errors } = await openPage(browser, { ...PHONE, userAgent: INAPP_UA[ua] });
    await openEscapeStep(page, app);
    expect(await page.locator('[data-escape-step]').getAttribute('data-escape-step')).toBe(`${app} ${menu ? 'ios' : 'android'}`);
    if (menu) expect(await page.locator('#escape-menu').textContent()).toBe(menu);
    else
      expect(await page.locator('#escape-open').getAttribute('href')).toMatch(
        /^intent:\/\/.+#Intent;scheme=http;S\.browser_fallback_url=.+;end$/,
      );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the fan’s own browser follows the hop, lands with Spotify chosen, pre-saves; the dashboard counts the escape', async () => {
    expect(hop).not.toBe('');
    const { context, page, errors } = await openPage(browser, { ...PHONE, userAgent: ORDINARY_UA.chromeAndroid });
    await page.goto(hop);
    await page.waitForURL(/\/escape\?service=spotify&esc=/);
    expect(await page.locator('[data-chosen="spotify"]').textContent()).toBe(
      'You chose Spotify. Tap its button to continue your pre-save.',
    );
    expect(await page.locator('[data-inapp]').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Pre-save on Spotify');
    await page.screenshot({ path: `${ARTIFACTS}/inapp-escape-landing-${dialect}.png`, fullPage: true });
    expect(await axeProblems(page, 'landing after the hop')).toBe('');
    expect(errors).toEqual([]); // (the fake's pages have no favicon: checked before leaving Dropday)
    const landing = page.url();
    // The fan pre-saves, then (unsure it worked) goes back and signs in again: one pre-save, one completion.
    for (let round = 0; round < 2; round++) {
      if (round) await page.goto(landing);
      await page.getByRole('button', { name: 'Pre-save on Spotify' }).click();
      await page.waitForURL((url) => url.toString().startsWith(spotify.url));
      await page.getByLabel('Spotify username').fill('escaped-fan');
      await page.getByRole('button', { name: 'Agree' }).click();
      await page.waitForURL(/\/p\/[A-Za-z0-9_-]+$/);
    }
    await context.close();

    const presaves = await server.ctx.db.selectFrom('presaves').selectAll().where('campaign_id', '=', campaignId).execute();
    expect(presaves.map((p) => p.service)).toEqual(['spotify']);
    await server.app.analytics!.flush();

    const artist = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    await signUp(artist.page, server.url, { email: `artist-${dialect}@example.com`, password: 'midnight synth parade' });
    await createWorkspace(artist.page, { name: 'Webview Blues', slug: `webview-${dialect}` });
    const ws = (await findWorkspaceBySlug(server.ctx.db, `webview-${dialect}`))!;
    await setCampaignWorkspace(server.ctx.db, campaignId, ws.id);
    await artist.page.goto(`${server.url}/w/${ws.slug}/campaigns/escape`);
    const panel = artist.page.locator('#inapp');
    const cell = (sel: string) => panel.locator(`${sel} td.n`).first().textContent();
    expect(await cell('[data-app="instagram"]')).toBe('2');
    expect(await cell('[data-app="tiktok"]')).toBe('2');
    expect(await cell('[data-escape="shown"]')).toBe('4');
    expect(await cell('[data-escape="taken"]')).toBe('1');
    expect(await cell('[data-escape="completed"]')).toBe('1');
    await panel.screenshot({ path: `${ARTIFACTS}/inapp-dashboard-panel-${dialect}.png` });
    expect(artist.errors).toEqual([]);
    await artist.context.close();
  });
});

async function refuseClipboard(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('refused by the app')) } });
  });
}
