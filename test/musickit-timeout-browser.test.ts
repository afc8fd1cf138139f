import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { axeProblems } from './helpers/axe.js';
import { ARTIFACTS, CHROMIUM, recordErrors, withServerAndBrowser } from './helpers/browser.js';
import { startTestServer } from './helpers/server.js';
import { INAPP_UA } from './helpers/user-agents.js';
import { appleCampaign, appleMusicEnv, startFakeWithKeys } from './fakes/apple-music/dropday.js';
import type { AppleMusicFake } from './fakes/apple-music/index.js';

/**
 * MusicKit's authorize() can hang for ever in an app's browser: after APPLE_MUSIC_AUTHORIZE_TIMEOUT_MS
 * (injected short here; 20 s by default) the page shows the way out — the app's menu and the link to
 * copy — while a late answer still completes the pre-save.
 */
describe.skipIf(!fs.existsSync(CHROMIUM))('MusicKit authorize() that does not answer (Chromium)', () => {
  let fake: AppleMusicFake;
  const held = withServerAndBrowser(async () => {
    const keyed = await startFakeWithKeys();
    fake = keyed.fake;
    const server = await startTestServer('sqlite', appleMusicEnv(fake, keyed.privateKeyPem, { APPLE_MUSIC_AUTHORIZE_TIMEOUT_MS: '300' }));
    await appleCampaign(server.ctx, { slug: 'stuck', releaseAt: Date.now() + 3 * 86_400_000 });
    return {
      ...server,
      async close() {
        await server.close();
        await fake.close();
      },
    };
  });

  it('shows what to do instead, and a late answer still pre-saves', async () => {
    fake.addUser('stuckfan', { storefront: 'us' });
    const context = await held.browser.newContext({ userAgent: INAPP_UA.instagramIos, viewport: { width: 390, height: 844 } });
    await context.addCookies(
      Object.entries({ fake_apple_user: 'stuckfan', fake_apple_hang: '1' }).map(([name, value]) => ({ name, value, url: fake.url })),
    );
    const page = await context.newPage();
    const errors: string[] = [];
    recordErrors(page, errors);
    // "Continue here anyway" from the escape step leads here.
    await page.goto(`${held.server.url}/connect/apple-music?campaign=stuck&tz=UTC`);
    const connect = page.getByRole('button', { name: 'Continue with Apple Music' });
    await expect.poll(() => connect.isEnabled()).toBe(true);
    const stuck = page.locator('#mk-stuck');
    expect(await stuck.isVisible()).toBe(false);

    await connect.click();
    await expect.poll(() => stuck.isVisible()).toBe(true);
    expect(await stuck.locator('p').first().textContent()).toContain('Apple Music has not answered yet.');
    expect(await stuck.locator('#escape-menu').textContent()).toBe('Tap ··· in the top right corner, then “Open in external browser”.');
    // The hop keeps the page's language (docs/i18n.md).
    expect(await page.getByLabel('Link to this page').inputValue()).toBe(`${held.server.url}/stuck/escape/apple-music?lang=en`);
    await page.screenshot({ path: `${ARTIFACTS}/musickit-stuck.png`, fullPage: true });
    expect(await axeProblems(page, 'MusicKit page, stuck')).toBe('');

    // Apple answers after all: the pre-save goes on by itself.
    await page.evaluate(() => (window as unknown as { fakeAppleAnswer: () => void }).fakeAppleAnswer());
    await page.waitForURL(/\/p\//);
    expect(await page.locator('h1').textContent()).toBe("You're all set");
    expect(errors).toEqual([]);
    expect(await held.server.ctx.db.selectFrom('presaves').select('service').execute()).toEqual([{ service: 'apple-music' }]);
    await context.close();
  });

  it('a real browser opening the copied link lands on the campaign with Apple Music chosen', async () => {
    const res = await fetch(`${held.server.url}/stuck/escape/apple-music`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/stuck?service=apple-music');
  });
});
