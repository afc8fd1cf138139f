import fs from 'node:fs';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { captureLog } from '../src/accounts/testing.js';
import { editorSettings } from '../src/editor/service.js';
import { findCampaignBySlug } from '../src/campaigns/repo.js';
import { createWorkspace, signUp } from './helpers/account.js';
import { axeViolations } from './helpers/axe.js';
import { ARTIFACTS, CHROMIUM, openPage, withServerAndBrowser } from './helpers/browser.js';
import { startTestServer } from './helpers/server.js';

/**
 * In Chromium: an artist types theme colours that make text hard to read; the editor warns while
 * they type (naming the pair and the ratio), saves anyway (a warning, not a refusal), and warns
 * again on the saved campaign's page; fixed colours make the warnings go away. What it says is
 * what axe measures on the public page: a pale button colour fails, a pale background does not
 * (the words sit on the page's card, which no theme changes).
 */
describe.skipIf(!fs.existsSync(CHROMIUM))('the editor warns about hard-to-read theme colours (Chromium)', () => {
  const held = withServerAndBrowser(() => startTestServer('sqlite', {}, undefined, { log: captureLog().log }));

  it('live while typing, again after saving, gone once the colours read well', async () => {
    const { server, browser } = held;
    const base = server.url;
    const { context, page, errors } = await openPage(browser, { viewport: { width: 1400, height: 1000 } });
    await signUp(page, base);
    await createWorkspace(page, { name: 'Pale Lights', slug: 'pale-lights' });
    await page.goto(`${base}/w/pale-lights/campaigns/new`);
    const warnings = page.locator('#contrast-warnings p');
    expect(await warnings.count()).toBe(0);

    await page.getByLabel('Main artist').fill('Pale Lights');
    await page.getByLabel('Title', { exact: true }).fill('Lemon Haze');
    await page.getByLabel('ISRCs').fill('GB-AAA-26-00002');
    await page.getByLabel('Date and time').fill(DateTime.utc().plus({ days: 20 }).startOf('day').toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.getByLabel('Address', { exact: true }).fill('lemon-haze');
    // Yellow buttons with white text, on a cream background under the page's light text.
    await page.getByLabel('Button colour').fill('#facc15');
    await expect.poll(() => warnings.allTextContents()).toEqual(['Button text on your button colour: 1.5:1 — below 4.5:1, hard to read']);
    await page.getByLabel('Background colour').fill('#fdf6e3');
    await page.getByLabel('Background colour').dispatchEvent('input');
    expect(await warnings.allTextContents()).toEqual(['Button text on your button colour: 1.5:1 — below 4.5:1, hard to read']);
    await page.screenshot({ path: `${ARTIFACTS}/editor-contrast-live.png`, fullPage: true });

    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(`${base}/w/pale-lights/campaigns/lemon-haze/edit?done=created`);
    const campaign = (await findCampaignBySlug(server.ctx.db, 'lemon-haze'))!;
    expect(await editorSettings(server.ctx, campaign.id)).toMatchObject({ themeAccent: '#facc15', themeBackground: '#fdf6e3' });
    // Rendered by the server with the saved campaign.
    expect(
      await page.locator('#contrast-warnings p').evaluateAll((ps) => ps.map((p) => [p.getAttribute('data-contrast'), p.textContent])),
    ).toEqual([['button-on-accent', 'Button text on your button colour: 1.5:1 — below 4.5:1, hard to read']]);
    await page.screenshot({ path: `${ARTIFACTS}/editor-contrast-saved.png`, fullPage: true });

    // The public page agrees: only the buttons' text is too faint; the cream background costs nothing.
    const fan = await context.newPage();
    const contrast = async () => {
      await fan.goto(`${base}/lemon-haze`);
      return (await axeViolations(fan)).filter((v) => v.id === 'color-contrast').flatMap((v) => v.targets);
    };
    const faint = await contrast();
    expect(faint.length).toBeGreaterThan(0);
    // (The calendar links are buttons too — `.btn` on the accent colour; axe names them by attribute.)
    expect(faint.filter((target) => !/\bbutton\b|\.btn\b|\.svc-|data-calendar/.test(target))).toEqual([]);

    // A dark blue button, the cream background kept: nothing to warn about, live and after saving.
    await page.getByLabel('Button colour').fill('#1e3a8a');
    await expect.poll(() => warnings.count()).toBe(0);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`${base}/w/pale-lights/campaigns/lemon-haze/edit?done=saved`);
    expect(await page.locator('#contrast-warnings p').count()).toBe(0);
    expect(await editorSettings(server.ctx, campaign.id)).toMatchObject({ themeAccent: '#1e3a8a', themeBackground: '#fdf6e3' });
    await expect.poll(contrast).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
