import fs from 'node:fs';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { captureLog } from '../src/accounts/testing.js';
import { listCampaignPauses } from '../src/campaigns/pauses.js';
import { findCampaignBySlug } from '../src/campaigns/repo.js';
import { addFault, clearFaults, libraryOf } from '../src/providers/sandbox/admin.js';
import { ARTIST, createWorkspace, logIn, signUp } from './helpers/account.js';
import { ARTIFACTS, CHROMIUM, openPage, withServerAndBrowser } from './helpers/browser.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

const FANS = ['rec1', 'rec2', 'rec3'];

/**
 * The artist's way back from a campaign mistake, clicked in Chromium: an artist id to follow that
 * could not be checked when it was entered (the service was down) turns out wrong at release.
 * Every fan's album is saved anyway; the campaign is paused for follows on the Sandbox; the
 * dashboard's banner says what to fix; the artist follows its link to the editor, enters the
 * right id, comes back and presses Resume; every fan then follows the artist too.
 */
describe.skipIf(!fs.existsSync(CHROMIUM))('recovering from a wrong follow id (Chromium)', () => {
  // An injected clock: the release passes when the test says so, however slow the machine is.
  let clock = DateTime.utc().startOf('hour').toMillis();
  const suite = withServerAndBrowser(() =>
    startTestServer('sqlite', { WORKER_RETRY_BASE_MS: '100' }, () => clock, { log: captureLog().log }),
  );

  it('wrong follow id → albums saved, banner → fix in the editor → Resume → every fan follows', async () => {
    const { server, browser } = suite;
    const { ctx, url: base } = server;
    const { page, errors } = await openPage(browser, { viewport: { width: 390, height: 900 } });
    await signUp(page, base);
    await createWorkspace(page, { name: 'Nova Lights', slug: 'nova' });
    await page.goto(`${base}/w/nova/campaigns/new`);
    await page.getByLabel('Main artist').fill('Nova Lights');
    await page.getByLabel('Title', { exact: true }).fill('Afterglow');
    await page.getByLabel('ISRCs').fill('GB-AAA-26-00003');
    await page
      .getByLabel('Date and time')
      .fill(DateTime.fromMillis(clock, { zone: 'utc' }).plus({ hours: 2 }).toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.getByLabel('Address', { exact: true }).fill('afterglow');
    await page.getByLabel('Also follow the artist when a fan pre-saves').check();
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(`${base}/w/nova/campaigns/afterglow/edit?done=created`);

    // The Sandbox is down while the artist enters the id: it is saved, with a warning that says so.
    await addFault(ctx.db, { kind: 'server_error', target: 'all', statusCode: 503 }, clock);
    await page.getByLabel('Sandbox artist (URL or id)').fill('sandbox:artist:novalights');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\/w\/nova\/campaigns\/afterglow\/edit\?done=saved/);
    expect(await page.locator('[data-warning=unchecked-id]').textContent()).toMatch(/saved without being checked/);
    await clearFaults(ctx.db);

    const campaign = (await findCampaignBySlug(ctx.db, 'afterglow'))!;
    for (const fan of FANS) await new FanBrowser().presave(base, 'afterglow', fan, 'UTC');
    clock += 3 * 3_600_000; // the release passes
    server.worker.start();

    // Every album lands although the follow id is wrong; the follows wait for the fix.
    const rows = () => ctx.db.selectFrom('presaves').select(['status', 'follow_status']).where('campaign_id', '=', campaign.id).execute();
    await waitFor(async () => (await rows()).every((r) => r.status === 'saved' && r.follow_status === 'waiting'), {
      what: 'albums saved, follows waiting',
    });
    for (const fan of FANS) expect((await libraryOf(ctx.db, fan)).map((i) => i.kind)).toEqual(['album']);
    expect((await listCampaignPauses(ctx.db, campaign.id)).map((p) => p.service)).toEqual(['sandbox']);

    // The artist opens the dashboard: a banner says what to fix, with a link to the editor.
    const dash = `${base}/w/nova/campaigns/afterglow`;
    await logIn(page, base, ARTIST); // the session idled out while the clock jumped
    await page.goto(dash);
    const banner = page.getByRole('alert').filter({ hasText: 'paused' });
    await banner.first().waitFor();
    expect(await banner.first().textContent()).toMatch(/sandbox:artist:novalights/);
    expect(await banner.first().textContent()).toMatch(/Every fan's album is still saved\. 3 follows wait for the fix/);
    expect(await page.locator('[data-stat="delivery.state"]').first().textContent()).toMatch(/^Follows paused on Sandbox — 3 follows wait/);
    expect(await page.locator('[data-stat="follows.waiting"]').textContent()).toBe('3');
    await page.screenshot({ path: `${ARTIFACTS}/recovery-banner.png`, fullPage: true });
    await banner.first().getByRole('link', { name: 'Fix it in the editor' }).click();
    await page.waitForURL(`${dash}/edit`);

    // The right id: the Sandbox knows the campaign's artist.
    const known = await ctx.db.selectFrom('sandbox_artists').select('id').where('name', '=', 'Nova Lights').executeTakeFirstOrThrow();
    await page.getByLabel('Sandbox artist (URL or id)').fill(`sandbox:artist:${known.id}`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`${dash}/edit?done=saved`);
    expect(await page.locator('[data-warning=unchecked-id]').count()).toBe(0);

    // Back on the dashboard, Resume delivers the held-back follows.
    await page.goto(dash);
    await page.getByRole('button', { name: /^Resume Sandbox/ }).click();
    await page.waitForURL(dash);
    expect(await page.getByRole('status').filter({ hasText: 'resumed' }).textContent()).toBe(
      'Saves to Sandbox resumed: 3 follows are being delivered now.',
    );
    await waitFor(async () => (await rows()).every((r) => r.status === 'saved' && r.follow_status === 'done'), { what: 'follows done' });
    for (const fan of FANS) expect((await libraryOf(ctx.db, fan)).map((i) => i.kind).sort()).toEqual(['album', 'artist']);
    expect(await listCampaignPauses(ctx.db, campaign.id)).toEqual([]);

    await page.reload();
    expect(await page.getByRole('alert').filter({ hasText: 'paused' }).count()).toBe(0);
    expect(await page.locator('[data-stat="follows.done"]').textContent()).toBe('3');
    expect(await page.locator('[data-stat="delivery.state"]').first().textContent()).toMatch(/Finished|All .*saved|saved/i);
    await page.screenshot({ path: `${ARTIFACTS}/recovery-resumed.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
