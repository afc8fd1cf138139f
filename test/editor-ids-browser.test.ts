import fs from 'node:fs';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { captureLog } from '../src/accounts/testing.js';
import { findCampaignBySlug } from '../src/campaigns/repo.js';
import { editorDb } from '../src/editor/db.js';
import { createWorkspace, signUp } from './helpers/account.js';
import { ARTIFACTS, CHROMIUM, openPage, withServerAndBrowser } from './helpers/browser.js';
import { startTestServer } from './helpers/server.js';

/**
 * In Chromium: the first-time artist's mistake — an artist id the Sandbox does not know — is
 * refused when the form is submitted, next to its field, with every value kept; the right id
 * then saves.
 */
describe.skipIf(!fs.existsSync(CHROMIUM))('the editor checks artist ids with the service (Chromium)', () => {
  const suite = withServerAndBrowser(() => startTestServer('sqlite', {}, undefined, { log: captureLog().log }));

  it('an unknown Sandbox artist id is refused on its field; the right one saves', async () => {
    const { server, browser } = suite;
    const base = server.url;
    const { page, errors } = await openPage(browser, { viewport: { width: 1200, height: 1000 } });
    await signUp(page, base);
    await createWorkspace(page, { name: 'Nova Lights', slug: 'nova' });
    await page.goto(`${base}/w/nova/campaigns/new`);
    await page.getByLabel('Main artist').fill('Nova Lights');
    await page.getByLabel('Title', { exact: true }).fill('Afterglow');
    await page.getByLabel('ISRCs').fill('GB-AAA-26-00002');
    await page.getByLabel('Date and time').fill(DateTime.utc().plus({ days: 20 }).startOf('day').toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.getByLabel('Address', { exact: true }).fill('afterglow');
    await page.getByLabel('Also follow the artist when a fan pre-saves').check();
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(`${base}/w/nova/campaigns/afterglow/edit?done=created`);

    await page.getByLabel('Sandbox artist (URL or id)').fill('sandbox:artist:novalights');
    await page.getByLabel('Title', { exact: true }).fill('Afterglow (Deluxe)');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForLoadState();
    const fieldError = page.locator('#artist_sandbox-error');
    expect(await fieldError.textContent()).toMatch(/Sandbox does not know this artist \(sandbox:artist:novalights\)/);
    expect(await page.getByLabel('Sandbox artist (URL or id)').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Afterglow (Deluxe)');
    await page.screenshot({ path: `${ARTIFACTS}/editor-unknown-artist.png`, fullPage: true });
    const campaign = (await findCampaignBySlug(server.ctx.db, 'afterglow'))!;
    expect(campaign.title).toBe('Afterglow');

    const known = await server.ctx.db
      .selectFrom('sandbox_artists')
      .select('id')
      .where('name', '=', 'Nova Lights')
      .executeTakeFirstOrThrow();
    await page.getByLabel('Sandbox artist (URL or id)').fill(`sandbox:artist:${known.id}`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`${base}/w/nova/campaigns/afterglow/edit?done=saved`);
    const ids = await editorDb(server.ctx.db)
      .selectFrom('campaign_artist_ids')
      .select('artist_uri')
      .where('campaign_id', '=', campaign.id)
      .execute();
    expect(ids).toEqual([{ artist_uri: `sandbox:artist:${known.id}` }]);
    expect(await page.locator('[data-warning=unchecked-id]').count()).toBe(0);
    // The refused save answered 400 (Chromium logs that); nothing else went wrong on the page.
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });
});
