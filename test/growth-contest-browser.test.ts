import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/context.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { ARTIST, logIn } from './helpers/account.js';
import { artistWithCampaign } from './helpers/artist-campaign.js';
import { testDialects } from './helpers/db.js';
import { seedReferrals, seedReferrer } from './helpers/growth-seed.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const DAY = 86_400_000;

/**
 * In Chromium, as the artist and as a fan (docs/contests.md): the contest form on the Growth page
 * shows every problem at once and stores nothing, then saves good input; the rules page shows the
 * seed before the draw; after the end the artist draws from the Growth page and the rules page
 * shows the winners (chosen names only) and the entries; the receipt and the campaign page say
 * "no purchase necessary" and link the rules.
 */
describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('the contest in Chromium (%s)', (dialect) => {
  let server: TestServer;
  let ctx: AppContext;
  let browser: Browser;
  let base: string;
  let clock = Date.UTC(2026, 6, 14, 9, 0);

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => clock);
    ({ ctx, url: base } = server);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('form errors, a saved contest, the seed before the draw, the draw and the winners after', async () => {
    const { context, page, errors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    const { campaign } = await artistWithCampaign(page, ctx, base, clock + 5 * DAY, 'Europe/Paris');
    const growth = `${base}/w/neon-rain/campaigns/afterglow/growth`;

    // Every mistake at once, each under its field; nothing stored.
    await page.goto(growth);
    const form = page.locator('#contest-form');
    await form.getByLabel('Prize').fill('   ');
    await form.getByLabel('Start (Europe/Paris)').fill('2026-07-20T18:00');
    await form.getByLabel('End (Europe/Paris)').fill('2026-07-19T18:00');
    await form.getByLabel('Points per pre-save').fill('0');
    await form.getByLabel('Points per counted referral').fill('0');
    await form.getByLabel('Points per confirmed contact').fill('0');
    await form.getByLabel('Number of winners').fill('101');
    const [bad] = await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Save contest' }).click()]);
    expect(bad!.status()).toBe(400);
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('Nothing was saved: 5 fields to fix below.');
    await expect(page.locator('#prize-error').textContent()).resolves.toContain('is required');
    await expect(page.locator('#rules-error').textContent()).resolves.toContain('are required');
    await expect(page.locator('#endsAt-error').textContent()).resolves.toBe('must be after the start');
    await expect(page.locator('#pointsPresave-error').textContent()).resolves.toContain('at least one way of earning points');
    await expect(page.locator('#winners-error').textContent()).resolves.toContain('from 1 to 100');
    // What was typed is kept.
    await expect(form.getByLabel('Start (Europe/Paris)').inputValue()).resolves.toBe('2026-07-20T18:00');
    await page.screenshot({ path: `${ARTIFACTS}/contest-form-errors-${dialect}.png`, fullPage: true });
    expect(await ctx.db.selectFrom('contests').selectAll().execute()).toEqual([]);
    // The browser logs the 400 answer itself; that is the form's refusal, not a page error.
    expect(errors.splice(0)).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);

    // Good input saves, and the seed is published at once.
    await form.getByLabel('Prize').fill('Signed test pressing');
    await form.getByLabel('Official rules').fill('Open worldwide.\nOne entry per fan; the organizer is Neon Rain.');
    await form.getByLabel('Start (Europe/Paris)').fill('2026-07-14T12:00');
    await form.getByLabel('End (Europe/Paris)').fill('2026-07-18T12:00');
    await form.getByLabel('Points per pre-save').fill('2');
    await form.getByLabel('Points per counted referral').fill('5');
    await form.getByLabel('Number of winners').fill('1');
    await form.getByLabel('Top N: the most points win').check();
    await form.getByRole('button', { name: 'Save contest' }).click();
    await page.waitForURL(/growth\?done=contest-saved/);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Contest saved.');
    const stored = (await ctx.db.selectFrom('contests').selectAll().executeTakeFirstOrThrow())!;
    expect(stored).toMatchObject({
      prize: 'Signed test pressing',
      method: 'top',
      winners: 1,
      points_presave: 2,
      points_referral: 5,
      points_contact: 0,
    });
    expect(Number(stored.starts_at)).toBe(Date.UTC(2026, 6, 14, 10, 0));
    expect(stored.seed).toMatch(/^[0-9a-f]{64}$/);
    await expect(page.locator('#contest-settings [data-contest="seed"]').textContent()).resolves.toBe(stored.seed);
    expect(errors).toEqual([]);

    // Fans: Mia (a chosen name) brings two verified fans, Léo's name is hidden by the artist.
    const at = Date.UTC(2026, 6, 15, 9, 0);
    const due = Date.UTC(2026, 6, 19, 0, 0);
    const mia = await seedReferrer(ctx, { campaignId: campaign.id, at, dueAt: due, displayName: 'Mia <3', status: 'pending' });
    await seedReferrals(ctx, { campaignId: campaign.id, code: mia.code, at, dueAt: due, count: 2, status: 'saved' });
    const leo = await seedReferrer(ctx, { campaignId: campaign.id, at, dueAt: due, displayName: 'Léo' });
    await ctx.db.updateTable('referral_codes').set({ name_hidden: 1 }).where('code', '=', leo.code).execute();

    // The rules page (a fan, in French) shows the seed before the draw, and says nothing need be bought.
    const fan = await openPage(browser, { locale: 'fr-FR', viewport: { width: 390, height: 844 } });
    await fan.page.goto(`${base}/afterglow/contest?lang=fr`);
    await expect(fan.page.locator('[data-contest="seed"]').textContent()).resolves.toBe(stored.seed);
    await expect(fan.page.locator('[data-contest="no-purchase"]').textContent()).resolves.toBe(
      'Aucun achat ni paiement n’est nécessaire pour participer ou gagner.',
    );
    // And how winners are reached: only through an address they left and confirmed.
    await expect(fan.page.locator('[data-contest="contact-winners"]').textContent()).resolves.toMatch(
      /^Les gagnants ne sont prévenus par e-mail que s’ils ont laissé une adresse/,
    );
    await expect(fan.page.locator('[data-contest="not-drawn"]').isVisible()).resolves.toBe(true);
    await expect(fan.page.locator('[data-contest="rules"]').textContent()).resolves.toBe(
      'Open worldwide.\nOne entry per fan; the organizer is Neon Rain.',
    );
    await expect(fan.page.locator('[data-points="referral"] td').nth(1).textContent()).resolves.toBe('5');
    // The campaign page links the rules while the contest runs.
    await fan.page.goto(`${base}/afterglow?lang=fr`);
    await expect(fan.page.locator('[data-contest="line"]').textContent()).resolves.toBe(
      'Concours : Signed test pressing — Règlement officiel',
    );
    await fan.page.locator('[data-contest="line"] a').click();
    await fan.page.waitForURL(/\/afterglow\/contest/);
    // Mia's receipt: the prize, her points and the ones waiting for release day, no purchase needed.
    const publicId = (await ctx.db.selectFrom('presaves').select('public_id').where('id', '=', mia.presaveId).executeTakeFirstOrThrow())
      .public_id;
    await fan.page.goto(`${base}/p/${publicId}?lang=fr`);
    const receipt = fan.page.locator('[data-contest="receipt"]');
    await expect(receipt.locator('[data-contest="points"]').textContent()).resolves.toBe('Vos points : 10');
    await expect(receipt.locator('[data-contest="pending"]').textContent()).resolves.toContain('2 de plus');
    await expect(receipt.locator('[data-contest="no-purchase"]').isVisible()).resolves.toBe(true);
    expect(fan.errors).toEqual([]);

    // Before the end there is no draw button; after it, the artist draws from the Growth page.
    await page.goto(growth);
    await expect(page.getByRole('button', { name: 'Draw the winners' }).count()).resolves.toBe(0);
    clock = Date.UTC(2026, 6, 18, 12, 0);
    // Four days on, the session has gone idle: sign in again, as the artist would.
    await logIn(page, base, ARTIST);
    await page.goto(growth);
    await page.getByRole('button', { name: 'Draw the winners' }).click();
    await page.waitForURL(/done=contest-drawn/);
    await expect(page.locator('[data-contest="winners"]').textContent()).resolves.toContain('1 winner drawn.');
    await expect(page.getByRole('link', { name: 'Export winners (CSV)' }).isVisible()).resolves.toBe(true);

    // The rules page now shows the winner by chosen name and the entries, hidden names as "a fan".
    await fan.page.goto(`${base}/afterglow/contest?lang=en`);
    await expect(fan.page.locator('#contest-winners tbody tr').allTextContents()).resolves.toEqual([
      expect.stringMatching(/^1\s*Mia <3\s*#[12]\s*10$/),
    ]);
    const entries = await fan.page.$$eval('#contest-entries tbody tr', (rows) =>
      rows.map((r) => [...(r as HTMLTableRowElement).cells].map((c) => c.textContent!.trim()).join('|')),
    );
    expect(entries.map((e) => e.replace(/^#\d\|/, '')).sort()).toEqual(['A fan|2', 'Mia <3|10']);
    expect(entries.map((e) => e.split('|')[0])).toEqual(['#1', '#2']);
    await expect(fan.page.content()).resolves.not.toContain(leo.code);
    await expect(fan.page.locator('[data-contest="seed"]').textContent()).resolves.toBe(stored.seed);
    await fan.page.screenshot({ path: `${ARTIFACTS}/contest-rules-drawn-${dialect}.png`, fullPage: true });
    expect(fan.errors).toEqual([]);
    // The campaign page no longer advertises it.
    await fan.page.goto(`${base}/afterglow`);
    await expect(fan.page.locator('[data-contest="line"]').count()).resolves.toBe(0);
    await fan.context.close();

    // After the end, the method and the number of winners are locked; nothing changes.
    await page.goto(growth);
    await form.getByLabel('Number of winners').fill('3');
    await form.getByLabel('Weighted draw: each point is one chance').check();
    await form.getByRole('button', { name: 'Save contest' }).click();
    await expect(page.locator('#winners-error').textContent()).resolves.toContain('cannot change after the contest has ended');
    await expect(page.locator('#method-error').textContent()).resolves.toContain('cannot change after the contest has ended');
    expect(await ctx.db.selectFrom('contests').select(['winners', 'method']).executeTakeFirstOrThrow()).toEqual({
      winners: 1,
      method: 'top',
    });
    expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
    await context.close();
  });
});
