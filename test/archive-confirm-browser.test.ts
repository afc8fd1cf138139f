import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { captureLog } from '../src/accounts/testing.js';
import { findWorkspaceBySlug } from '../src/accounts/workspaces.js';
import { findCampaignBySlug } from '../src/campaigns/repo.js';
import { createCampaign } from '../src/campaigns/service.js';
import { createWorkspace, signUp } from './helpers/account.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * In Chromium: archiving a campaign that fans pre-saved asks first, saying how many pending
 * pre-saves it cancels; "Keep the campaign" changes nothing; if more fans pre-save while the
 * artist reads, the confirmation asks again with the new number; confirming archives it.
 */
describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('archive asks first (Chromium, %s)', (dialect) => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  const clock = Date.UTC(2026, 6, 14, 9, 0);
  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => clock, { log: captureLog().log });
    base = server.url;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('says how many pending pre-saves will be cancelled, asks again if that grew, archives on confirm', async () => {
    const { ctx } = server;
    const { page, errors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    await signUp(page, base);
    await createWorkspace(page, { name: 'Glass Tides', slug: 'glass-tides' });
    const ws = (await findWorkspaceBySlug(ctx.db, 'glass-tides'))!;
    const campaign = await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'undertow',
        artistName: 'Glass Tides',
        title: 'Undertow',
        upc: '036000291452',
        releaseAt: new Date(clock + 20 * 86_400_000).toISOString().slice(0, 16),
        timezone: 'UTC',
        timing: 'global',
        services: ['sandbox'],
      },
    );
    await setCampaignWorkspace(ctx.db, campaign.id, ws.id);
    for (const fan of ['ana', 'ben', 'cai']) await new FanBrowser().presave(base, 'undertow', fan, 'UTC');

    const edit = `${base}/w/glass-tides/campaigns/undertow/edit`;
    await page.goto(edit);
    await page.getByRole('button', { name: 'Archive this campaign' }).click();
    const question = page.locator('#archive-confirm [role=alert]');
    expect(await question.textContent()).toBe(
      'Archive? 3 pending pre-saves will be cancelled and the public page will say the campaign has ended.',
    );
    await page.screenshot({ path: `${ARTIFACTS}/archive-confirm.png`, fullPage: true });
    // Changing one's mind changes nothing.
    await page.getByRole('link', { name: 'Keep the campaign' }).click();
    await page.waitForURL(edit);
    expect((await findCampaignBySlug(ctx.db, 'undertow'))!.status).toBe('active');

    // A fourth fan pre-saves while the artist reads the question: it is asked again, with 4.
    await page.getByRole('button', { name: 'Archive this campaign' }).click();
    await new FanBrowser().presave(base, 'undertow', 'dee', 'UTC');
    await page.getByRole('button', { name: 'Archive and cancel 3 pending pre-saves' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#archive-confirm [role=status]').textContent()).toContain('More fans pre-saved since you asked');
    expect(await question.textContent()).toBe(
      'Archive? 4 pending pre-saves will be cancelled and the public page will say the campaign has ended.',
    );
    expect((await findCampaignBySlug(ctx.db, 'undertow'))!.status).toBe('active');

    await page.getByRole('button', { name: 'Archive and cancel 4 pending pre-saves' }).click();
    await page.waitForURL(`${base}/w/glass-tides/campaigns?done=archived`);
    expect(await page.locator('[role=status]').first().textContent()).toContain('Campaign archived');
    expect((await findCampaignBySlug(ctx.db, 'undertow'))!.status).toBe('archived');
    expect((await page.request.get(`${base}/undertow`)).status()).toBe(410);
    expect(errors).toEqual([]);
  }, 60_000);
});
