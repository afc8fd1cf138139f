import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { captureLog } from '../src/accounts/testing.js';
import { findWorkspaceBySlug } from '../src/accounts/workspaces.js';
import type { Analytics } from '../src/analytics/index.js';
import { createCampaign } from '../src/campaigns/service.js';
import type { AppContext } from '../src/context.js';
import { NO_DATA_FILL } from '../src/dashboard/world-map.js';
import { createWorkspace, signUp } from './helpers/account.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36';
// Public addresses the shipped DB-IP Lite file places in London, Frankfurt am Main and Mountain View.
const VISITORS: { ip: string; ua: string; presave: boolean; referer?: string; url?: string }[] = [
  { ip: '81.2.69.160', ua: IPHONE, presave: true, referer: 'https://www.instagram.com/p/abc/' },
  { ip: '81.2.69.161', ua: DESKTOP, presave: true, url: '/neon-rain?utm_source=newsletter&utm_medium=email&utm_campaign=launch' },
  { ip: '81.2.69.162', ua: IPHONE, presave: false, referer: 'https://www.tiktok.com/@band' },
  { ip: '2a00:1450:4001:82b::200e', ua: DESKTOP, presave: true },
  { ip: '8.8.8.8', ua: IPHONE, presave: false, referer: 'https://t.co/xyz' },
];

/**
 * In Chromium: an artist signs up, creates a workspace, has a campaign in it, and opens the
 * dashboard — empty at first; then visits and pre-saves arrive and, after a reload, the funnel,
 * the chart (a uPlot canvas) and the map (Britain's fill) have changed. After release the delivery
 * numbers refresh by themselves from stats.json.
 */
describe.skipIf(!fs.existsSync(CHROMIUM))('the dashboard in a real browser (Chromium)', () => {
  let server: TestServer;
  let ctx: AppContext;
  let analytics: Analytics;
  let browser: Browser;
  let base: string;
  let clock = Date.UTC(2026, 6, 14, 9, 0);
  const logs = captureLog();

  beforeAll(async () => {
    // The worker is not started: after release nothing works the due saves but the test.
    server = await startTestServer('sqlite', {}, () => clock, { log: logs.log, analytics: { flushIntervalMs: 60_000 } });
    ({ ctx, url: base } = server);
    analytics = server.app.analytics!;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const fill = (page: Page, code: string) => page.locator(`svg.world-map path[data-country="${code}"]`).getAttribute('fill');
  const statText = (page: Page, key: string) => page.locator(`[data-stat="${key}"]`).first().textContent();

  it('shows the funnel, chart and map change after visits and pre-saves, and live delivery numbers', async () => {
    const { context, page, errors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });

    await signUp(page, base);
    await createWorkspace(page, { name: 'Neon Rain', slug: 'neon-rain' });

    // The campaign (the editor is another page): releases in an hour.
    const ws = (await findWorkspaceBySlug(ctx.db, 'neon-rain'))!;
    const campaign = await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'neon-rain',
        artistName: 'Neon Rain',
        title: 'Afterglow',
        upc: '036000291452',
        releaseAt: new Date(clock + 60 * 60_000).toISOString().slice(0, 16),
        timezone: 'UTC',
        timing: 'global',
        services: ['sandbox'],
      },
    );
    await setCampaignWorkspace(ctx.db, campaign.id, ws.id);

    // Workspace overview → the campaign's dashboard, still empty.
    await page.goto(`${base}/w/neon-rain`);
    await page.getByRole('link', { name: 'Afterglow' }).click();
    await page.waitForURL(`${base}/w/neon-rain/campaigns/neon-rain`);
    expect(await statText(page, 'funnel.views')).toBe('0');
    expect(await statText(page, 'funnel.presaves')).toBe('0');
    expect(await page.locator('.uplot canvas').count()).toBe(0);
    expect(await page.getByText('No activity yet').count()).toBe(1);
    expect(await fill(page, 'GB')).toBe(NO_DATA_FILL);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-empty.png`, fullPage: true });

    // Visitors arrive (through the analytics capture API, as the public page records them), some
    // click a pre-save button and authorize; the pre-saves themselves go through the Sandbox.
    const fans = ['ana', 'ben', 'cai'];
    for (const [i, v] of VISITORS.entries()) {
      const at = clock - (VISITORS.length - i) * 7 * 60_000;
      analytics.capture({
        event: 'page_view',
        campaignId: campaign.id,
        at,
        ip: v.ip,
        userAgent: v.ua,
        referer: v.referer ?? null,
        url: v.url ?? '/neon-rain',
        host: '127.0.0.1',
      });
      analytics.capture({
        event: 'service_click',
        campaignId: campaign.id,
        service: 'sandbox',
        at: at + 20_000,
        ip: v.ip,
        userAgent: v.ua,
        url: '/connect/sandbox',
        host: '127.0.0.1',
      });
      if (v.presave) {
        analytics.capture({
          event: 'authorization',
          campaignId: campaign.id,
          service: 'sandbox',
          at: at + 60_000,
          ip: v.ip,
          userAgent: v.ua,
          url: '/callback/sandbox',
          host: '127.0.0.1',
        });
        await new FanBrowser().presave(base, 'neon-rain', fans.shift()!, 'UTC');
      }
    }
    await analytics.flush();

    await page.reload();
    expect(await statText(page, 'funnel.views')).toBe('5');
    expect(await statText(page, 'funnel.serviceClicks')).toBe('5');
    expect(await statText(page, 'funnel.presaves')).toBe('3');
    expect(await statText(page, 'funnel.clickToSave')).toBe('60 %');
    await page.locator('#chart[data-ready="true"] .uplot canvas').waitFor();
    expect(await page.locator('.uplot .u-legend').count()).toBe(1);
    const gb = await fill(page, 'GB');
    expect(gb).not.toBe(NO_DATA_FILL);
    expect(await fill(page, 'DE')).not.toBe(NO_DATA_FILL);
    expect(await fill(page, 'US')).toBe(NO_DATA_FILL); // a view, but no pre-save
    expect(await page.locator('svg.world-map circle.city').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#cities tr[data-city="London"]').count()).toBe(1);
    expect(await page.locator('#referrers tr[data-referrer="instagram.com"]').count()).toBe(1);
    await page.locator('#funnel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-campaign.png`, fullPage: true });

    await page.goto(`${base}/w/neon-rain`);
    expect(await page.locator('tr[data-campaign="neon-rain"] [data-col="presaves"]').textContent()).toBe('3');
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-overview.png`, fullPage: true });

    // Release passes: three saves are due and nothing is working them (the worker is off), so the
    // page polls stats.json every few seconds. One is saved; the page shows it without a reload.
    clock += 90 * 60_000;
    await page.goto(`${base}/w/neon-rain/campaigns/neon-rain`);
    expect(await statText(page, 'delivery.due')).toBe('3');
    expect(await statText(page, 'delivery.saved')).toBe('0');
    expect(await page.locator('#delivery-progress').evaluate((e) => (e as HTMLProgressElement).value)).toBe(0);
    const first = await ctx.db
      .selectFrom('presaves')
      .select('id')
      .where('campaign_id', '=', campaign.id)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await ctx.db
      .updateTable('presaves')
      .set({ status: 'saved', saved_at: clock - 10_000, updated_at: clock - 10_000 })
      .where('id', '=', first.id)
      .execute();
    await page.waitForFunction(() => document.querySelector('[data-stat="delivery.saved"]')?.textContent === '1', null, {
      timeout: 15_000,
    });
    expect(await statText(page, 'delivery.due')).toBe('2');
    expect(await statText(page, 'delivery.progress')).toBe('33 %');
    expect(await page.locator('#delivery-progress').evaluate((e) => (e as HTMLProgressElement).value)).toBeCloseTo(1 / 3, 3);
    expect(await statText(page, 'funnel.saved')).toBe('1');
    await page.locator('#delivery').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-delivery.png`, fullPage: true });

    expect(errors).toEqual([]);
    await context.close();
  });
});
