import fs from 'node:fs';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { captureLog } from '../src/accounts/testing.js';
import { findCampaignBySlug } from '../src/campaigns/repo.js';
import { createWorkspace, signUp } from './helpers/account.js';
import { ARTIFACTS, CHROMIUM, openPage, withServerAndBrowser } from './helpers/browser.js';
import { startTestServer } from './helpers/server.js';

/**
 * In Chromium: a name pasted with a zero-width space (it looks exactly like the real one) is
 * refused next to its field, with the other fields kept; once retyped, the campaign is saved, and
 * a name typed in decomposed form is stored in NFC.
 */
describe.skipIf(!fs.existsSync(CHROMIUM))('hidden characters in names, in a real browser (Chromium)', () => {
  const suite = withServerAndBrowser(() => startTestServer('sqlite', {}, undefined, { log: captureLog().log }));

  it('refuses a zero-width space in a workspace name and an artist name, says so at the field, and saves once retyped', async () => {
    const { server, browser } = suite;
    const base = server.url;
    const { page, errors } = await openPage(browser, { viewport: { width: 390, height: 900 } });
    await signUp(page, base);

    await page.getByLabel('Name').fill('Ghost\u200b Lights');
    await page.getByLabel('Address').fill('ghost-lights');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await expect.poll(() => page.locator('body').textContent()).toContain('must not contain invisible characters (U+200B');
    await page.getByLabel('Name').fill('');
    await createWorkspace(page, { name: 'Ghost Lights', slug: 'ghost-lights' });

    await page.goto(`${base}/w/ghost-lights/campaigns/new`);
    await page.getByLabel('Main artist').fill('Sand\u200bbox Artist');
    await page.getByLabel('Title', { exact: true }).fill('Cafe\u0301 Noir');
    await page.getByLabel('ISRCs').fill('GB-AAA-26-00001');
    await page.getByLabel('Date and time').fill(DateTime.utc().plus({ days: 20 }).startOf('day').toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.getByLabel('Address', { exact: true }).fill('cafe-noir');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#artist-error').textContent()).toContain(
      'must not contain invisible characters (U+200B, e.g. a zero-width space)',
    );
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Cafe\u0301 Noir');
    await page.screenshot({ path: `${ARTIFACTS}/names-hidden-character.png`, fullPage: true });

    await page.getByLabel('Main artist').fill('Sandbox Artist');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(`${base}/w/ghost-lights/campaigns/cafe-noir/edit?done=created`);
    const campaign = (await findCampaignBySlug(server.ctx.db, 'cafe-noir'))!;
    expect(campaign.artist_name).toBe('Sandbox Artist');
    expect(campaign.title).toBe('Café Noir');
    expect(campaign.title.length).toBe(9); // one é, not e + combining accent
    // The two refusals are 400 pages (the browser logs them); nothing else went wrong.
    expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
  });
});
