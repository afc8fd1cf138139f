import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../src/i18n/languages.js';
import { t } from '../src/i18n/index.js';
import { artistWithCampaign } from './helpers/artist-campaign.js';
import { axeProblems } from './helpers/axe.js';
import { ARTIFACTS, CHROMIUM, openPage, withServerAndBrowser } from './helpers/browser.js';
import { testDialects } from './helpers/db.js';
import { startTestServer } from './helpers/server.js';

const NARROW = { width: 360, height: 740 };

/** Nothing on the page is wider than the screen (a 360 px phone scrolls only down). */
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/**
 * Issue 14's pages as a first-time artist and a fan meet them, in Chromium at 360 px: API keys and
 * webhooks are found from the workspace's dashboard; their pages explain themselves, say when
 * nothing is there yet, show a secret once with a Copy button that copies it, ask before deleting,
 * and pass axe-core. The campaign page's ad-measurement prompt passes axe in all eight languages
 * (Arabic right to left), is answered with the keyboard alone, and can be changed afterwards.
 */
describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('issue 14 pages for artists and fans (Chromium, %s)', (dialect) => {
  const s = withServerAndBrowser(() => startTestServer(dialect, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }));

  it('API keys and webhooks: found from the dashboard, explained, copied, asked before deleting, axe-clean at 360 px', async () => {
    const base = s.server.url;
    const { context, page, errors } = await openPage(s.browser, { viewport: NARROW });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const problems: string[] = [];
    const check = async (name: string) => {
      problems.push(await axeProblems(page, name));
      if (!(await fitsWidth(page))) problems.push(`${name}: wider than 360 px`);
      await page.screenshot({ path: `${ARTIFACTS}/integrations-${name}.png`, fullPage: true });
    };
    try {
      await artistWithCampaign(page, s.server.ctx, base, Date.now() + 30 * 86_400_000);
      // The dashboard links to them; the members page has them in one section.
      await page.goto(`${base}/w/neon-rain`);
      await page.getByRole('link', { name: 'API keys and webhooks' }).click();
      await page.waitForURL(`${base}/w/neon-rain/members#integrations`);
      await check('members');
      await page.getByRole('link', { name: 'Manage API keys' }).click();
      await page.waitForURL(`${base}/w/neon-rain/api-keys`);
      expect(await page.locator('[data-empty]').textContent()).toContain('No API keys yet — create one below');
      expect(await page.locator('main').textContent()).toContain('Read lets the program see that part');
      // Each scope box says which resource it is for.
      expect(await page.getByRole('checkbox', { name: 'campaigns: read' }).count()).toBe(1);
      await check('api-keys-empty');

      // Made with the keyboard only: type, tick with Space, submit with Enter.
      await page.getByLabel('Name', { exact: true }).focus();
      await page.keyboard.type('Website');
      await page.getByRole('checkbox', { name: 'campaigns: read' }).focus();
      await page.keyboard.press('Space');
      await page.getByRole('button', { name: 'Create key' }).focus();
      await page.keyboard.press('Enter');
      const secret = (await page.locator('#new-key-value').textContent())!;
      expect(secret).toMatch(/^ddk_/);
      await page.getByRole('button', { name: 'Copy' }).focus();
      await page.keyboard.press('Enter');
      await page.getByText('Copied.').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      await check('api-keys-made');
      await page.getByRole('link', { name: 'Revoke' }).click();
      expect(await page.locator('main').textContent()).toContain('create a new key and give it that one');
      await check('api-keys-revoke');

      // Webhooks: what they are for, the empty state, the secret with a working Copy button.
      await page.goto(`${base}/w/neon-rain/members`);
      await page.getByRole('link', { name: 'Manage webhooks' }).click();
      await page.waitForURL(`${base}/w/neon-rain/webhooks`);
      expect(await page.locator('main').textContent()).toContain('A webhook tells another program the moment something happens');
      expect(await page.locator('[data-empty]').textContent()).toContain('No endpoints yet — add one below');
      await check('webhooks-empty');
      // Two mistakes (an address that is not one, no event): both named at once, at their fields.
      await page.getByLabel('URL').fill('not a url');
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await page.locator('#events-error').waitFor();
      expect(await page.locator('#url-error').count()).toBe(1);
      expect(await page.getByRole('alert').textContent()).toBe('The endpoint was not added: see the marked fields below.');
      expect(await page.getByLabel('URL').getAttribute('aria-describedby')).toBe('url-error');
      expect(await page.getByLabel('URL').inputValue()).toBe('not a url');
      await check('webhooks-mistake');

      await page.getByLabel('URL').fill('http://127.0.0.1:9/in');
      await page.getByRole('checkbox', { name: /presave\.created/ }).check();
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      const whsec = (await page.locator('[data-secret]').textContent())!;
      expect(whsec).toMatch(/^whsec_/);
      await page.getByRole('button', { name: 'Copy' }).click();
      await page.getByText('Copied.').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(whsec);
      await check('webhooks-secret');
      // A reload does not post the form again: one endpoint, the secret gone.
      await page.reload();
      expect(page.url()).toBe(`${base}/w/neon-rain/webhooks`);
      expect(await page.locator('[data-secret]').count()).toBe(0);
      expect(await s.server.ctx.db.selectFrom('webhook_endpoints').select('id').execute()).toHaveLength(1);

      // Turned off, it says how to come back; the delivery log says what "Send again" does.
      await page.getByRole('button', { name: 'Turn off' }).click();
      await page.getByText('Endpoint turned off.').waitFor();
      expect(await page.locator('[data-endpoint] [data-state]').textContent()).toContain('Fix the receiver, then turn it on.');
      // The workspace overview says so to whoever can fix it, with the way back.
      await page.goto(`${base}/w/neon-rain`);
      expect(await page.locator('[data-attention="webhook"]').textContent()).toContain('127.0.0.1:9 is off: turned off by the workspace.');
      await check('overview-attention');
      await page.locator('[data-attention="webhook"]').getByRole('link', { name: 'Webhooks' }).click();
      await page.waitForURL(`${base}/w/neon-rain/webhooks`);
      await page.getByRole('button', { name: 'Turn on' }).click();
      await page.getByText('Endpoint turned on.').waitFor();
      await page.getByRole('link', { name: 'Delivery log' }).click();
      expect(await page.locator('main').textContent()).toContain('“Send again” sends that same event once more, with the same id');
      await check('webhooks-log');

      // Deleting asks first, and offers turning off instead.
      await page.getByRole('link', { name: 'All endpoints' }).click();
      await page.getByRole('link', { name: 'Delete…' }).click();
      expect(await page.locator('main').textContent()).toContain('To pause it instead, turn it off');
      await check('webhooks-delete');
      await page.getByRole('button', { name: 'Delete endpoint' }).click();
      await page.getByText('Endpoint deleted.').waitFor();
      expect(await s.server.ctx.db.selectFrom('webhook_endpoints').select('id').execute()).toHaveLength(0);

      expect(problems.filter(Boolean)).toEqual([]);
      expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('the ad-measurement prompt: axe-clean in all 8 languages at 360 px, answered by keyboard, changed later', async () => {
    const base = s.server.url;
    // The artist sets a GA4 stream in the editor's panel (GA4 is server-side only: no script loads in a fan's page).
    const artist = await openPage(s.browser, { viewport: NARROW });
    await artist.page.goto(`${base}/login`);
    await artist.page.getByLabel('Email').fill('artist@example.com');
    await artist.page.getByLabel('Password').fill('midnight synth parade');
    await artist.page.getByRole('button', { name: 'Sign in' }).click();
    await artist.page.waitForURL(`${base}/workspaces`);
    await artist.page.goto(`${base}/w/neon-rain/campaigns/afterglow/edit#conversions`);
    const panel = artist.page.locator('#conversions');
    await panel.getByLabel('GA4 measurement id').fill('G-ABC123XYZ');
    await panel.getByLabel('Measurement Protocol API secret').fill('ga4SecretValue123');
    await panel.getByRole('button', { name: 'Save conversion tracking' }).click();
    await artist.page.getByText('Conversion tracking saved.').waitFor();
    const problems = [await axeProblems(artist.page, 'editor-conversions')];
    await artist.context.close();

    for (const lang of LANGUAGES) {
      const fan = await openPage(s.browser, { viewport: NARROW });
      try {
        await fan.page.goto(`${base}/afterglow?lang=${lang}`);
        const ask = fan.page.locator('[data-tracking-ask]');
        await ask.waitFor();
        expect(await fan.page.locator('html').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        problems.push(await axeProblems(fan.page, `prompt-${lang}`));
        if (!(await fitsWidth(fan.page))) problems.push(`prompt-${lang}: wider than 360 px`);
        await fan.page.screenshot({ path: `${ARTIFACTS}/integrations-prompt-${lang}.png`, fullPage: true });

        // Keyboard only: Tab reaches "No thanks"; Enter answers; focus lands on the way back.
        const deny = ask.getByRole('button', { name: t(lang, 'conversions.deny') });
        for (let i = 0; i < 60 && !(await deny.evaluate((b) => b === document.activeElement)); i++) await fan.page.keyboard.press('Tab');
        expect(await deny.evaluate((b) => b === document.activeElement)).toBe(true);
        await fan.page.keyboard.press('Enter');
        await ask.waitFor({ state: 'hidden' });
        const change = fan.page.getByRole('button', { name: t(lang, 'conversions.change') });
        expect(await change.evaluate((b) => b === document.activeElement)).toBe(true);
        expect(await fan.page.locator('[data-tracking-status]').textContent()).toBe(t(lang, 'conversions.saved'));
        problems.push(await axeProblems(fan.page, `prompt-answered-${lang}`));

        // Later, the fan changes their mind: the question comes back, and the new answer is recorded.
        await fan.page.reload();
        await change.waitFor();
        await change.press('Enter');
        await ask.waitFor();
        await ask.getByRole('button', { name: t(lang, 'conversions.allow') }).click();
        await ask.waitFor({ state: 'hidden' });
        const cookies = await fan.context.cookies();
        expect(cookies.find((c) => c.name.startsWith('dropday_tracking_'))?.value).toBe('allow');
        expect(fan.errors).toEqual([]);
      } finally {
        await fan.context.close();
      }
    }
    const answers = await s.server.ctx.db.selectFrom('conversion_consents').select(['choice']).orderBy('id').execute();
    expect(answers.map((a) => a.choice)).toEqual(LANGUAGES.flatMap(() => ['deny', 'allow']));
    expect(problems.filter(Boolean)).toEqual([]);
  }, 180_000);
});
