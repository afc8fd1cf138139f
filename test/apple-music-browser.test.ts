import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdFor } from '../src/providers/apple-music/adapter.js';
import { ARTIFACTS, CHROMIUM, launchChromium, recordErrors } from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { appleCampaign, appleMusicEnv, startFakeWithKeys } from './fakes/apple-music/dropday.js';
import type { AppleMusicFake } from './fakes/apple-music/index.js';

/** A real browser: campaign page → MusicKit page (the fake musickit.js) → thank-you, under the page's real CSP. */
describe.skipIf(!fs.existsSync(CHROMIUM))('Apple Music in a real browser (Chromium)', () => {
  let server: TestServer;
  let fake: AppleMusicFake;
  let browser: Browser;
  beforeAll(async () => {
    const f = await startFakeWithKeys();
    fake = f.fake;
    server = await startTestServer('sqlite', appleMusicEnv(fake, f.privateKeyPem));
    await appleCampaign(server.ctx, { slug: 'orchard', releaseAt: Date.now() + 3 * 86_400_000 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await fake?.close();
  });

  async function newPage(cookies: Record<string, string>) {
    const context = await browser.newContext({ timezoneId: 'Europe/Paris' });
    // The fake musickit.js reads the test user from a cookie on its own origin.
    await context.addCookies(Object.entries(cookies).map(([name, value]) => ({ name, value, url: fake.url })));
    const page = await context.newPage();
    const errors: string[] = [];
    recordErrors(page, errors);
    return { context, page, errors };
  }

  it('campaign page → Apple Music button → MusicKit authorize → thank-you page', async () => {
    fake.addUser('browserfan', { storefront: 'gb' });
    const { context, page, errors } = await newPage({ fake_apple_user: 'browserfan' });
    await page.goto(`${server.url}/orchard`);
    await page.getByRole('button', { name: 'Pre-save on Apple Music' }).click();
    await page.waitForURL(/\/connect\/apple-music\?/);
    const connect = page.getByRole('button', { name: 'Continue with Apple Music' });
    await expect.poll(() => connect.isEnabled()).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/apple-music-connect.png`, fullPage: true });
    await connect.click();
    await page.waitForURL(/\/p\//);
    expect(await page.locator('h1').textContent()).toBe("You're all set");
    expect(await page.locator('[data-status]').textContent()).toContain('Apple Music');
    expect(errors).toEqual([]); // no CSP violation, no script error

    const p = await server.ctx.db.selectFrom('presaves').selectAll().executeTakeFirstOrThrow();
    expect(p.account_id).toBe(accountIdFor(fake.tokenOf('browserfan')));
    expect(p.timezone).toBe('Europe/Paris');
    expect(p.market).toBe('GB');
    // MusicKit JS checked the developer token from the page against the API.
    expect(fake.requests.some((r) => r.path === '/v1/storefronts/us' && r.status === 200)).toBe(true);
    await context.close();
  });

  it('closing Apple’s sign-in shows a message and a way back, and stores nothing', async () => {
    const before = await server.ctx.db.selectFrom('presaves').select('id').execute();
    const { context, page } = await newPage({ fake_apple_user: 'declines', fake_apple_deny: '1' });
    await page.goto(`${server.url}/connect/apple-music?campaign=orchard&tz=UTC`);
    const connect = page.getByRole('button', { name: 'Continue with Apple Music' });
    await expect.poll(() => connect.isEnabled()).toBe(true);
    await connect.click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('did not allow access');
    expect(await alert.getByRole('link', { name: 'Back to the campaign' }).getAttribute('href')).toBe('/orchard');
    expect(await connect.isEnabled()).toBe(true); // the fan may try again
    expect(await server.ctx.db.selectFrom('presaves').select('id').execute()).toEqual(before);
    await context.close();
  });

  it('a sign-in that expired meanwhile is refused in the page’s language, not the browser’s', async () => {
    fake.addUser('slowfan', { storefront: 'de' });
    // An English browser on the campaign's German page (?lang=de), carried to the MusicKit page.
    const { context, page } = await newPage({ fake_apple_user: 'slowfan' });
    await page.goto(`${server.url}/connect/apple-music?campaign=orchard&tz=UTC&lang=de`);
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    const connect = page.getByRole('button', { name: 'Weiter mit Apple Music' });
    await expect.poll(() => connect.isEnabled()).toBe(true);
    // The fan left the page open past the sign-in's expiry: its state is gone.
    await server.ctx.db.deleteFrom('oauth_states').execute();
    await connect.click();
    await expect
      .poll(() => page.locator('#mk-problem-text').textContent())
      .toBe('Dieser Anmeldelink ist ungültig, wurde schon benutzt oder ist abgelaufen. Bitte fang noch einmal an.');
    await page.screenshot({ path: `${ARTIFACTS}/apple-music-expired-de.png`, fullPage: true });
    await context.close();
  });
});
