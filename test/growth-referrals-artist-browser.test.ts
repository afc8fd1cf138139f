import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/context.js';
import { leaderboardPublic } from '../src/growth/settings.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { parseCsv } from './helpers/csv.js';
import { artistWithCampaign } from './helpers/artist-campaign.js';
import { testDialects } from './helpers/db.js';
import { seedReferrals, seedReferrer } from './helpers/growth-seed.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const DAY = 86_400_000;

/**
 * The artist's view of referrals in Chromium (docs/referrals-artist.md): the dashboard's Referrals
 * panel lists every referrer with counted / pending / held / not counted, visits and rank, and the
 * held and not-counted referrals with their reason in words; Approve and Reject answer a held one,
 * Hide name hides a name; the CSV parses; the Growth page turns the public leaderboard on.
 */
describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('the referrals panel in Chromium (%s)', (dialect) => {
  let server: TestServer;
  let ctx: AppContext;
  let browser: Browser;
  let base: string;
  const clock = Date.UTC(2026, 6, 14, 9, 0);

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => clock);
    ({ ctx, url: base } = server);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('approve, reject and hide a name from the dashboard; the CSV; the leaderboard switch', async () => {
    const { context, page, errors } = await openPage(browser, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const { campaign } = await artistWithCampaign(page, ctx, base, clock + 5 * DAY);
    const at = clock - DAY;
    const due = clock + 5 * DAY;
    const mia = await seedReferrer(ctx, {
      campaignId: campaign.id,
      at,
      dueAt: due,
      status: 'pending',
      displayName: 'Mia',
      code: 'mia-code',
      visits: 9,
    });
    await seedReferrals(ctx, { campaignId: campaign.id, code: mia.code, at, dueAt: due, count: 2, status: 'pending' });
    const [held1, held2] = await seedReferrals(ctx, {
      campaignId: campaign.id,
      code: mia.code,
      at,
      dueAt: due,
      count: 2,
      status: 'pending',
      decision: 'held',
      reason: 'burst_device',
    });
    await seedReferrals(ctx, {
      campaignId: campaign.id,
      code: mia.code,
      at,
      dueAt: due,
      status: 'pending',
      decision: 'excluded',
      reason: 'same_account',
    });
    await seedReferrer(ctx, { campaignId: campaign.id, at, dueAt: due, status: 'pending', code: 'quiet-code' });

    await page.goto(`${base}/w/neon-rain/campaigns/afterglow`);
    const panel = page.getByRole('region', { name: 'Referrals' });
    const mias = panel.locator('#referrers tr[data-referrer="mia-code"]');
    const cells = async () => (await mias.locator('td.n').allTextContents()).slice(0, 5);
    await expect(cells()).resolves.toEqual(['0', '2', '2', '1', '9']);
    await expect(mias.locator('td').first().textContent()).resolves.toBe('1');
    const review = panel.locator('#referral-review');
    await expect(review.locator(`tr[data-referral="${held1}"] [data-reason]`).textContent()).resolves.toBe(
      'Part of a burst from one device profile',
    );
    await expect(review.locator('tr[data-state="not_counted"] [data-reason]').textContent()).resolves.toBe(
      'This streaming account already counted in this campaign',
    );
    await panel.screenshot({ path: `${ARTIFACTS}/referrals-panel-${dialect}.png` });

    // Approve one held referral: it becomes pending (counts once verified); reject the other.
    await review.getByRole('button', { name: `Approve referral ${held1}` }).click();
    await page.waitForURL(/done=referral-approved/);
    await expect(panel.getByRole('status').textContent()).resolves.toContain('Referral approved');
    await review.getByRole('button', { name: `Reject referral ${held2}` }).click();
    await page.waitForURL(/done=referral-rejected/);
    const decided = await ctx.db
      .selectFrom('referrals')
      .select(['id', 'decision', 'decided_at'])
      .where('id', 'in', [held1!, held2!])
      .orderBy('id')
      .execute();
    expect(decided.map((d) => [Number(d.id), d.decision, Number(d.decided_at)])).toEqual([
      [held1, 'approved', clock],
      [held2, 'rejected', clock],
    ]);
    await expect(cells()).resolves.toEqual(['0', '3', '0', '2', '9']);
    await expect(review.locator(`tr[data-referral="${held2}"] [data-reason]`).textContent()).resolves.toBe(
      'Rejected by the artist after review',
    );
    await expect(review.getByRole('button', { name: /Approve/ }).count()).resolves.toBe(0);

    // Hide Mia's name.
    await panel.getByRole('button', { name: 'Hide the name Mia' }).click();
    await page.waitForURL(/done=name-hidden/);
    await expect(mias.textContent()).resolves.toContain('(name hidden)');
    expect(
      (await ctx.db.selectFrom('referral_codes').select('name_hidden').where('code', '=', 'mia-code').executeTakeFirstOrThrow())
        .name_hidden,
    ).toBe(1);
    await expect(panel.getByRole('button', { name: 'Show the name Mia' }).isVisible()).resolves.toBe(true);

    // The CSV, parsed.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('link', { name: 'Export referrers (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('afterglow-referrers.csv');
    const rows = parseCsv(fs.readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual([
      'rank',
      'referrer_code',
      'display_name',
      'name_hidden',
      'counted',
      'pending',
      'held',
      'not_counted',
      'visits',
      'reasons',
    ]);
    expect(rows.find((r) => r[1] === 'mia-code')).toEqual([
      '1',
      'mia-code',
      'Mia',
      'yes',
      '0',
      '3',
      '0',
      '2',
      '9',
      'Rejected by the artist after review: 1; This streaming account already counted in this campaign: 1',
    ]);
    expect(rows.find((r) => r[1] === 'quiet-code')).toEqual(['2', 'quiet-code', '', 'no', '0', '0', '0', '0', '0', '']);

    // The Growth page: the leaderboard goes public, with its address.
    await page.goto(`${base}/w/neon-rain/campaigns/afterglow/growth`);
    await page.getByRole('button', { name: 'Make the leaderboard public' }).click();
    await page.waitForURL(/done=leaderboard-on/);
    await expect(page.locator('[data-leaderboard="on"]').textContent()).resolves.toContain('/afterglow/leaderboard');
    expect(await leaderboardPublic(ctx.db, campaign.id)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
