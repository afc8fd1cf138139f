import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { ARTIFACTS, CHROMIUM, launchChromium } from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/** A real browser walks campaign page → Sandbox consent → thank-you, with JavaScript on. */
describe.skipIf(!fs.existsSync(CHROMIUM))('in a real browser (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
    const { ctx } = server;
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'browser',
        artistName: 'Headless',
        title: 'In Chromium',
        upc: '036000291452',
        releaseAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
        timing: 'local',
        services: ['sandbox'],
        followArtist: true,
      },
    );
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('page → consent → thank-you, with the fan’s time zone captured', async () => {
    const context = await browser.newContext({ timezoneId: 'Europe/Berlin', locale: 'de-DE' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

    // A German browser reads English here by choice (?lang=en): the language travels to the receipt.
    await page.goto(`${server.url}/browser?lang=en`);
    expect(await page.locator('h1').textContent()).toBe('In Chromium');
    await page.waitForFunction(() => /until release/.test(document.getElementById('countdown')?.textContent ?? ''));
    expect(await page.locator('[data-tz]').first().inputValue()).toBe('Europe/Berlin');
    expect(await page.locator('[data-consent="sandbox"]').textContent()).toContain('and follow Headless');
    await page.screenshot({ path: `${ARTIFACTS}/campaign-page.png`, fullPage: true });

    await page.getByRole('button', { name: 'Pre-save on Sandbox' }).click();
    await page.waitForURL(/\/sandbox\/authorize/);
    await page.getByLabel('Sandbox username').fill('browserfan');
    await page.screenshot({ path: `${ARTIFACTS}/sandbox-consent.png`, fullPage: true });
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.waitForURL(/\/p\//);
    expect(await page.locator('h1').textContent()).toBe("You're all set");
    const status = await page.locator('[data-status]').textContent();
    expect(status).toContain('Europe/Berlin');
    expect(status).toContain('follow');
    await page.screenshot({ path: `${ARTIFACTS}/thank-you.png`, fullPage: true });
    expect(errors).toEqual([]);

    const p = await server.ctx.db.selectFrom('presaves').selectAll().executeTakeFirstOrThrow();
    expect(p.timezone).toBe('Europe/Berlin');
    expect(p.account_id).toBe('browserfan');
    expect(p.locale).toBe('de-DE');
    expect(p.lang).toBe('en');
    await context.close();
  });

  it('denying on the consent screen shows a clear page and stores nothing', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/browser`);
    await page.getByRole('button', { name: 'Pre-save on Sandbox' }).click();
    await page.waitForURL(/\/sandbox\/authorize/);
    await page.getByLabel('Sandbox username').fill('nope');
    await page.getByRole('button', { name: 'Deny' }).click();
    expect(await page.locator('[role=alert]').textContent()).toContain('did not allow access');
    const n = await server.ctx.db.selectFrom('presaves').select('id').where('account_id', '=', 'nope').execute();
    expect(n).toHaveLength(0);
    await context.close();
  });
});
