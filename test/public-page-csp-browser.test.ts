import { afterEach, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { launchChromium, openPage } from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * The cached campaign page allows its inline style and script by hash. In a real browser: its own
 * script runs (the countdown, the fan's time zone) and its style applies, while a script injected
 * into the page (as an XSS would) is blocked, because its hash is not in the policy.
 */
describe('the campaign page’s hashed CSP in Chromium', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('runs the page’s own script and style, and blocks an injected inline script', async () => {
    server = await startTestServer('sqlite');
    const { ctx, url } = server;
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'hashed',
        artistName: 'A',
        title: 'T',
        upc: '036000291452',
        releaseAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
        timing: 'global',
        services: ['sandbox'],
      },
    );
    const browser = await launchChromium();
    try {
      const { page, errors } = await openPage(browser, { timezoneId: 'Asia/Tokyo' });
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      // The injected script sits in the page's bytes as markup would after an escaping bug.
      await page.route(`${url}/hashed`, async (route) => {
        const res = await route.fetch();
        const body = (await res.text()).replace('</main>', '</main><script>window.injected = true;</script>');
        await route.fulfill({ response: res, body });
      });
      await page.goto(`${url}/hashed`);
      // The page's own script: the countdown ticks and the connect forms carry the fan's zone.
      await page.waitForFunction(() => /until release$/.test(document.getElementById('countdown')?.textContent ?? ''));
      expect(await page.locator('input[data-tz]').first().inputValue()).toBe('Asia/Tokyo');
      // Its own style: the card has the page's background colour, not the browser's default.
      expect(await page.locator('.card').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(26, 26, 35)');
      // The injected one did not run, and the browser says why.
      expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
      expect(violations.join('\n')).toMatch(/script/i);
      expect(errors.filter((e) => !/Content Security Policy/i.test(e))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
