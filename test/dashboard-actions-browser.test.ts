import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { captureLog } from '../src/accounts/testing.js';
import { createUser } from '../src/accounts/users.js';
import { findWorkspaceBySlug } from '../src/accounts/workspaces.js';
import { listCampaignPauses, pauseCampaignService } from '../src/campaigns/pauses.js';
import { createCampaign } from '../src/campaigns/service.js';
import type { AppContext } from '../src/context.js';
import { ARTIST, createWorkspace, logIn, signUp } from './helpers/account.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { seedPresaves } from './helpers/presaves.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const HOUR = 3_600_000;
const VIEWER = { email: 'viewer@example.com', password: 'quiet listener 2026' };

/** Page width without horizontal scrolling: what a 320 px phone shows. */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/**
 * In Chromium, on a 320 px phone: a campaign whose saves failed on a wrong artist id and is
 * paused on the Sandbox. The artist sees the banner, resumes, and retries the failed pre-saves
 * by clicking; each click lands back on the dashboard with a message saying what happened.
 * A viewer sees the banner and the report, but no buttons.
 */
describe.skipIf(!fs.existsSync(CHROMIUM))('dashboard actions in a real browser (Chromium)', () => {
  let server: TestServer;
  let ctx: AppContext;
  let browser: Browser;
  let base: string;
  let clock = Date.UTC(2026, 6, 14, 9, 0);
  const logs = captureLog();

  beforeAll(async () => {
    server = await startTestServer('sqlite', {}, () => clock, { log: logs.log });
    ({ ctx, url: base } = server);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('banner → Resume, then Retry failed pre-saves, at 320 px; a viewer gets no buttons', async () => {
    const { context, page, errors } = await openPage(browser, { viewport: { width: 320, height: 800 } });
    await signUp(page, base);
    await createWorkspace(page, { name: 'Nova Lights', slug: 'nova' });
    const ws = (await findWorkspaceBySlug(ctx.db, 'nova'))!;
    const campaign = await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'nova-lights',
        artistName: 'Nova Lights',
        title: 'A title long enough to wrap on a small phone screen, and then some more',
        upc: '036000291452',
        releaseAt: new Date(clock + HOUR).toISOString().slice(0, 16),
        timezone: 'UTC',
        timing: 'global',
        services: ['sandbox'],
      },
    );
    await setCampaignWorkspace(ctx.db, campaign.id, ws.id);
    const viewer = await createUser(ctx.db, { email: VIEWER.email, password: VIEWER.password }, clock);
    await ctx.db
      .insertInto('workspace_members')
      .values({ workspace_id: ws.id, user_id: viewer.id, role: 'viewer', created_at: clock, updated_at: clock })
      .execute();
    clock += 2 * HOUR;
    await logIn(page, base, ARTIST); // sessions idle out after the clock's jump

    const reason =
      'Sandbox answered 400 Bad Request: unknown artist id sandbox:artist:nova-lights-with-a-very-long-identifier-that-never-breaks';
    await seedPresaves(ctx.db, {
      campaignId: campaign.id,
      count: 3,
      status: 'failed',
      reason,
      dueAt: clock - HOUR,
      createdAt: clock - 3 * HOUR,
    });
    await seedPresaves(ctx.db, {
      campaignId: campaign.id,
      count: 5,
      status: 'pending',
      dueAt: clock - HOUR,
      nextAttemptAt: Date.UTC(2100, 0, 1),
      createdAt: clock - 3 * HOUR,
    });
    await pauseCampaignService(
      ctx.db,
      {
        campaignId: campaign.id,
        service: 'sandbox',
        code: 'bad_config',
        message: 'Sandbox does not know the artist to follow (sandbox:artist:nova-lights). Correct it in the editor, then resume.',
        detail: reason,
      },
      clock,
    );

    const dash = `${base}/w/nova/campaigns/nova-lights`;
    await page.goto(dash);
    const banner = page.getByRole('alert').filter({ hasText: 'Saves to Sandbox are paused' });
    await banner.waitFor();
    expect(await banner.getByText('Sandbox does not know the artist to follow').count()).toBe(1);
    expect(await banner.getByRole('link', { name: 'Fix it in the editor' }).getAttribute('href')).toBe(
      '/w/nova/campaigns/nova-lights/edit',
    );
    expect(await page.locator('[data-stat="delivery.state"]').first().textContent()).toMatch(/^Paused on Sandbox/);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-paused-320.png`, fullPage: true });

    await banner.getByRole('button', { name: 'Resume Sandbox' }).click();
    await page.waitForURL(dash);
    expect(await page.getByRole('status').filter({ hasText: 'resumed' }).textContent()).toBe(
      'Saves to Sandbox resumed: 5 pre-saves are being delivered now.',
    );
    expect(await page.getByRole('alert').filter({ hasText: 'Saves to Sandbox are paused' }).count()).toBe(0);
    expect(await listCampaignPauses(ctx.db, campaign.id)).toEqual([]);

    await page.getByRole('button', { name: 'Retry failed pre-saves' }).click();
    await page.waitForURL(`${dash}#delivery`);
    expect(await page.getByRole('status').filter({ hasText: 'back in the queue' }).textContent()).toBe(
      '3 failed pre-saves are back in the queue and will be delivered in the next minutes.',
    );
    expect(await page.locator('[data-stat="delivery.failed"]').first().textContent()).toBe('0');
    expect(await page.locator('[data-stat="delivery.due"]').first().textContent()).toBe('8');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    // The workspace overview fits too, with the release as the artist entered it.
    await page.goto(`${base}/w/nova`);
    expect(await page.getByText('Jul 14, 2026, 10:00 UTC').count()).toBe(1);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
    await context.close();

    // The chart speaks UTC even to a viewer in Los Angeles: hovering the last point names its hour in UTC.
    const la = await openPage(browser, { viewport: { width: 1280, height: 900 }, timezoneId: 'America/Los_Angeles' });
    await logIn(la.page, base, ARTIST);
    await la.page.goto(dash);
    await la.page.locator('#chart[data-ready="true"][data-zone="UTC"] .u-over').waitFor();
    const chart = JSON.parse((await la.page.locator('#dash-data').textContent())!) as { chart: { t: number[]; unit: number } };
    const lastEnd = chart.chart.t.at(-1)! * 1000;
    const box = (await la.page.locator('.u-over').boundingBox())!;
    await la.page.mouse.move(box.x + box.width - 1, box.y + box.height / 2);
    const iso = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
    expect(await la.page.locator('.u-legend .u-series').first().locator('.u-value').textContent()).toBe(
      `${iso(lastEnd - HOUR)}–${iso(lastEnd).slice(11)} UTC`,
    );
    expect(await la.page.getByText('hourly, UTC').count()).toBe(1);
    expect(la.errors).toEqual([]);
    await la.context.close();

    // The viewer: the banner and the report, no buttons.
    await pauseCampaignService(
      ctx.db,
      { campaignId: campaign.id, service: 'sandbox', code: 'bad_config', message: 'Paused again.' },
      clock,
    );
    const v = await openPage(browser, { viewport: { width: 390, height: 800 } });
    await logIn(v.page, base, VIEWER);
    await v.page.goto(dash);
    await v.page.getByRole('alert').filter({ hasText: 'Paused again.' }).waitFor();
    expect(await v.page.getByRole('button', { name: /Resume/ }).count()).toBe(0);
    expect(await v.page.getByRole('button', { name: 'Retry failed pre-saves' }).count()).toBe(0);
    expect(await v.page.getByText('An editor of this workspace can fix the campaign and resume the saves.').count()).toBe(1);
    expect(await overflow(v.page)).toBeLessThanOrEqual(0);
    expect(v.errors).toEqual([]);
    await v.context.close();
  });
});
