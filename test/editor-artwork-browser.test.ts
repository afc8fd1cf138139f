import fs from 'node:fs';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog } from '../src/accounts/testing.js';
import { findCampaignBySlug } from '../src/campaigns/repo.js';
import { makeNoisePng } from '../src/editor/testing.js';
import { uploadTmpDir } from '../src/web/routes/editor.js';
import { createWorkspace, signUp } from './helpers/account.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * In Chromium, the artwork a first-time artist really has: a file over 25 MB is refused in the
 * browser before anything is sent; a 3000×3000 PNG of about 21 MB is accepted; a file that is not
 * an image comes back refused next to the artwork field with everything else typed still there.
 */
describe.skipIf(!fs.existsSync(CHROMIUM))('artwork uploads in a real browser (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    server = await startTestServer('sqlite', {}, undefined, { log: captureLog().log });
    base = server.url;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function fillForm(page: Page, title: string, slug: string): Promise<void> {
    await page.goto(`${base}/w/big-art/campaigns/new`);
    await page.getByLabel('Main artist').fill('Big Art');
    await page.getByLabel('Title', { exact: true }).fill(title);
    await page.getByLabel('ISRCs').fill('GB-AAA-26-00009');
    await page.getByLabel('Date and time').fill(DateTime.utc().plus({ days: 21 }).startOf('day').toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.getByLabel('Address', { exact: true }).fill(slug);
  }

  it('refuses >25 MB in the browser, accepts a 21 MB PNG, and answers a non-image next to the field with the form kept', async () => {
    const { page, errors } = await openPage(browser, { viewport: { width: 1300, height: 1000 } });
    await signUp(page, base);
    await createWorkspace(page, { name: 'Big Art', slug: 'big-art' });
    const posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));

    // Over 25 MB: a message next to the field at once, and the form is not sent.
    await fillForm(page, 'Too Big', 'too-big');
    const huge = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(26 * 1024 * 1024)]);
    await page.locator('#f-artwork').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: huge });
    const sizeError = page.locator('#f-artwork-size-error');
    await expect.poll(() => sizeError.textContent()).toContain('The file is 26.0 MB; artwork can be at most 25 MB.');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-artwork');
    await page.screenshot({ path: `${ARTIFACTS}/editor-artwork-too-large.png`, fullPage: true });
    expect(posts).toEqual([]);
    expect(page.url()).toBe(`${base}/w/big-art/campaigns/new`);
    expect(await findCampaignBySlug(server.ctx.db, 'too-big')).toBeNull();

    // A 3000×3000 PNG of about 21 MB: the message goes, the campaign is created with it.
    const big = await makeNoisePng(3000);
    expect(big.length).toBeGreaterThan(20 * 1024 * 1024);
    await page.locator('#f-artwork').setInputFiles({ name: 'cover-3000.png', mimeType: 'image/png', buffer: big });
    await expect.poll(() => sizeError.count()).toBe(0);
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(`${base}/w/big-art/campaigns/too-big/edit?done=created`, { timeout: 60_000 });
    const created = (await findCampaignBySlug(server.ctx.db, 'too-big'))!;
    expect(created.artwork_url).toMatch(/^\/assets\/artwork\/\d+\/[0-9a-f]{16}\/1000\.jpg$/);
    const served = await page.request.get(`${base}${created.artwork_url!.replace('1000.jpg', '3000.jpg')}`);
    expect(served.status()).toBe(200);

    // Not an image (whatever its name): refused next to the artwork field; every other field kept.
    await fillForm(page, 'Not A Picture', 'not-a-picture');
    await page.getByLabel('Button colour').fill('#e11d48');
    await page
      .locator('#f-artwork')
      .setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: Buffer.from('these are my liner notes') });
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForLoadState();
    const fieldError = page.locator('#artwork-error');
    await expect.poll(() => fieldError.textContent()).toContain('This file is not a JPEG, PNG or WebP image');
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Not A Picture');
    expect(await page.getByLabel('Main artist').inputValue()).toBe('Big Art');
    expect(await page.getByLabel('ISRCs').inputValue()).toBe('GB-AAA-26-00009');
    expect(await page.getByLabel('Address', { exact: true }).inputValue()).toBe('not-a-picture');
    expect(await page.getByLabel('Button colour').inputValue()).toBe('#e11d48');
    expect(await page.locator('#f-artwork').getAttribute('aria-describedby')).toBe('artwork-error');
    await page.screenshot({ path: `${ARTIFACTS}/editor-artwork-not-image.png`, fullPage: true });
    expect(await findCampaignBySlug(server.ctx.db, 'not-a-picture')).toBeNull();
    expect(fs.readdirSync(uploadTmpDir(server.ctx.config.dataDir))).toEqual([]);
    // The server answered the refused upload with 400: Chromium logs that as a console error.
    expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
  }, 120_000);
});
