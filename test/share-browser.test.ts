import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { captureLog } from '../src/accounts/testing.js';
import { findWorkspaceBySlug } from '../src/accounts/workspaces.js';
import { createWorkspace, signUp } from './helpers/account.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { decodeQr } from './helpers/qr-decode.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { lumenCampaign } from './helpers/reach-seed.js';

const require = createRequire(import.meta.url);

/**
 * In Chromium: the share buttons of the campaign and thank-you pages (network links, copy link,
 * the Web Share API where the browser has it), always with the campaign's address; the editor's
 * QR downloads and the dashboard's social-proof card download.
 */
describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('sharing and QR codes (Chromium, %s)', (dialect) => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let publicUrl: string;
  const clock = Date.UTC(2026, 6, 14, 9, 0);
  const text = 'Pre-save “Lumen” by Glass Tides';
  const link = (source: string) => `${publicUrl}/lumen?utm_source=${source}&utm_medium=social&utm_campaign=lumen`;

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => clock, { log: captureLog().log });
    base = server.url;
    publicUrl = server.ctx.config.publicUrl;
    browser = await launchChromium();
    const { ctx } = server;
    await lumenCampaign(ctx, clock + 20 * 86_400_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const share = (page: Page) => page.locator('[data-share]');

  /** axe-core's serious and critical findings inside the share section (evaluated by the test, not through the page's CSP). */
  async function axeProblems(page: Page): Promise<string[]> {
    await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    return page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: string): Promise<{ violations: { id: string; impact: string | null }[] }> } })
        .axe;
      const r = await axe.run('[data-share]');
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    });
  }

  async function expectNetworkLinks(page: Page, shared: (source: string) => string = link): Promise<void> {
    const link = shared;
    const href = async (name: string) => share(page).getByRole('link', { name }).getAttribute('href');
    expect(await href('Share on WhatsApp')).toBe(`https://wa.me/?text=${encodeURIComponent(`${text} ${link('whatsapp')}`)}`);
    expect(await href('Share on X')).toBe(
      `https://x.com/intent/post?text=${encodeURIComponent(text)}&url=${encodeURIComponent(link('x'))}`,
    );
    expect(await href('Share on Facebook')).toBe(`https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(link('facebook'))}`);
    expect(await href('Share on Telegram')).toBe(
      `https://t.me/share/url?url=${encodeURIComponent(link('telegram'))}&text=${encodeURIComponent(text)}`,
    );
  }

  it('campaign page: network links with the campaign link and UTMs; Copy link copies it', async () => {
    const { context, page, errors } = await openPage(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
    await page.goto(`${base}/lumen`);
    // Headless Chromium on Linux has no Web Share API: the links are the way.
    expect(await page.evaluate(() => typeof navigator.share)).toBe('undefined');
    await expect.poll(() => share(page).getByRole('button', { name: 'Share', exact: true }).isVisible()).toBe(false);
    await expectNetworkLinks(page);
    for (const name of ['WhatsApp', 'X', 'Facebook', 'Telegram']) {
      const a = share(page).getByRole('link', { name: `Share on ${name}` });
      expect(await a.isVisible()).toBe(true);
      expect(await a.locator('svg.mark').getAttribute('aria-hidden')).toBe('true');
    }
    // With a working clipboard the field is hidden and the button copies.
    expect(await share(page).getByLabel('Copy this link:').isVisible()).toBe(false);
    await share(page).getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => share(page).getByRole('status').textContent()).toBe('Link copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link('copy'));
    await page.screenshot({ path: `${ARTIFACTS}/share-campaign-page.png`, fullPage: true });
    expect(await axeProblems(page)).toEqual([]);
    // The page's own scripts and styles run under its hashed CSP: nothing refused.
    expect(errors).toEqual([]);
    await context.close();
  });

  it('when the clipboard refuses, or without JavaScript, the link is there to copy by hand', async () => {
    const refused = await openPage(browser);
    // A test double: a clipboard that refuses, as a browser without permission does.
    await refused.page.addInitScript(() => {
      Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) } });
    });
    await refused.page.goto(`${base}/lumen`);
    const field = share(refused.page).getByLabel('Copy this link:');
    expect(await field.isVisible()).toBe(false);
    await share(refused.page).getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => field.isVisible()).toBe(true);
    expect(await field.inputValue()).toBe(link('copy'));
    // Selected, ready for the fan's own copy.
    expect(await field.evaluate((el: HTMLInputElement) => el.value.slice(el.selectionStart ?? 0, el.selectionEnd ?? 0))).toBe(link('copy'));
    expect(refused.errors).toEqual([]);
    await refused.context.close();

    const noJs = await openPage(browser, { javaScriptEnabled: false });
    await noJs.page.goto(`${base}/lumen`);
    expect(await share(noJs.page).getByLabel('Copy this link:').inputValue()).toBe(link('copy'));
    expect(await share(noJs.page).getByLabel('Copy this link:').isVisible()).toBe(true);
    expect(await share(noJs.page).getByRole('button', { name: 'Copy link' }).isVisible()).toBe(false);
    await expectNetworkLinks(noJs.page);
    expect(await share(noJs.page).getByRole('link', { name: 'Share on WhatsApp' }).isVisible()).toBe(true);
    await noJs.context.close();
  });

  it('where the browser has the Web Share API, one Share button opens it with the campaign link', async () => {
    const { context, page, errors } = await openPage(browser);
    // A test double for the system share sheet: records what the page hands it.
    await page.addInitScript(() => {
      const w = window as unknown as { shared: unknown[] };
      w.shared = [];
      Object.defineProperty(navigator, 'share', {
        value: (data: unknown) => {
          w.shared.push(data);
          return Promise.resolve();
        },
      });
    });
    await page.goto(`${base}/lumen`);
    const button = share(page).getByRole('button', { name: 'Share', exact: true });
    await expect.poll(() => button.isVisible()).toBe(true);
    expect(await share(page).getByRole('link', { name: 'Share on WhatsApp' }).isVisible()).toBe(false);
    await button.click();
    expect(await page.evaluate(() => (window as unknown as { shared: unknown[] }).shared)).toEqual([
      { title: 'Lumen — Glass Tides', text, url: link('share') },
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the thank-you page shares the fan’s personal link to the campaign (growth/referrals), never its own address', async () => {
    const receipt = await new FanBrowser().presave(base, 'lumen', 'ana', 'UTC');
    expect(receipt).toMatch(/\/p\/[A-Za-z0-9_-]+$/);
    const { context, page, errors } = await openPage(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
    await page.goto(receipt);
    const personal = await page.locator('#referral-link').inputValue();
    expect(personal).toMatch(new RegExp(`^${publicUrl}/lumen\\?r=[0-9a-z]{10}$`));
    await expectNetworkLinks(page, (source) => `${personal}&utm_source=${source}&utm_medium=social&utm_campaign=lumen`);
    await share(page).getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => share(page).getByRole('status').textContent()).toBe('Link copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(personal);
    const shared = await share(page).evaluate((el) => el.outerHTML);
    expect(shared).not.toContain('/p/');
    await page.screenshot({ path: `${ARTIFACTS}/share-thank-you-page.png`, fullPage: true });
    expect(await axeProblems(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('editor: choose a channel, download the QR code as SVG and PNG; dashboard: download the social-proof card', async () => {
    const { ctx } = server;
    const { context, page, errors } = await openPage(browser, { acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    await signUp(page, base);
    await createWorkspace(page, { name: 'Glass Tides', slug: 'glass-tides' });
    const ws = (await findWorkspaceBySlug(ctx.db, 'glass-tides'))!;
    const campaign = (await ctx.db.selectFrom('campaigns').select('id').where('slug', '=', 'lumen').executeTakeFirstOrThrow()).id;
    await setCampaignWorkspace(ctx.db, Number(campaign), ws.id);

    await page.goto(`${base}/w/glass-tides/campaigns/lumen/edit`);
    const panel = page.locator('#qr');
    await panel.getByLabel('Where it will be used').selectOption('merch');
    await panel.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/[?&]qr=merch/);
    expect(await panel.getByRole('img').getAttribute('src')).toBe('/lumen/qr.svg?channel=merch');
    expect(await panel.getByRole('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await panel.screenshot({ path: `${ARTIFACTS}/editor-qr-panel.png` });
    const merch = `${publicUrl}/lumen?utm_source=qr&utm_medium=merch&utm_campaign=lumen`;

    const download = async (name: string) => {
      const [d] = await Promise.all([page.waitForEvent('download'), panel.getByRole('link', { name }).click()]);
      return { name: d.suggestedFilename(), body: fs.readFileSync((await d.path())!) };
    };
    const svg = await download('Download SVG');
    expect(svg.name).toBe('lumen-qr-merch.svg');
    expect((await decodeQr(svg.body, { density: 300 })).text).toBe(merch);
    const png = await download('Download PNG (2048 px)');
    expect(png.name).toBe('lumen-qr-merch-2048.png');
    expect(await decodeQr(png.body)).toEqual({ text: merch, width: 2048, height: 2048 });

    await page.goto(`${base}/w/glass-tides/campaigns/lumen`);
    const [card] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Social-proof card (PNG)' }).click()]);
    expect(card.suggestedFilename()).toBe('lumen-social-proof.png');
    expect(await sharp(fs.readFileSync((await card.path())!)).metadata()).toMatchObject({ format: 'png', width: 1200, height: 630 });
    expect(errors).toEqual([]);
    await context.close();
  });
});
