import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Campaign } from '../src/campaigns/repo.js';
import { dueAtFor } from '../src/campaigns/timing.js';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { findWorkspaceBySlug } from '../src/accounts/workspaces.js';
import { listReferrals } from '../src/growth/referrals/list.js';
import { REFERRAL_REASONS } from '../src/growth/referrals/words.js';
import { setLeaderboardPublic } from '../src/growth/settings.js';
import { createWorkspace, signUp } from './helpers/account.js';
import { CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { testDialects } from './helpers/db.js';
import { reachCampaign } from './helpers/reach.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

const UA = (name: string) => `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 ${name}`;

/**
 * Issue 13's first "done when", in Chromium: fan A pre-saves and finds their link on the receipt;
 * B and C (other browsers, other user agents) pre-save through it: A reads 2 pending, then — once
 * the release is delivered and verified — 2 counted. B again with the same Sandbox account (a fresh
 * browser), A through their own link with another account, and a burst of fresh browsers with one
 * device profile are not counted, each with its reason in listReferrals and, in words, in the
 * Referrals panel of the campaign dashboard an editor opens; approving a held one there adds to A's
 * count on the receipt (its save is already verified). The public leaderboard shows only the name A chose.
 */
describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('referrals, done when: the story in Chromium (%s)', (dialect) => {
  let server: TestServer;
  let browser: Browser;
  let campaign: Campaign;
  let offset = 0;
  const now = () => Date.now() + offset;

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, now);
    browser = await launchChromium();
    campaign = await reachCampaign(server.ctx, 'lantern', { title: 'Lantern Songs' });
    await setLeaderboardPublic(server.ctx.db, campaign.id, true, now());
    server.worker.start();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The Sandbox round trip from the page open at `from` (the campaign page, maybe through a link); returns the receipt's address. */
  async function presave(page: Page, from: string, username: string): Promise<string> {
    await page.goto(from);
    await page.getByRole('button', { name: 'Pre-save on Sandbox' }).click();
    await page.waitForURL(/\/sandbox\/authorize/);
    await page.getByLabel('Sandbox username').fill(username);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/\/p\//);
    return page.url();
  }

  async function fresh(ua: string) {
    return openPage(browser, { userAgent: ua, locale: 'en-GB', timezoneId: 'Europe/Lisbon' });
  }

  async function counts(page: Page, receipt: string) {
    await page.goto(`${receipt}?lang=en`);
    const p = page.locator('[data-referral-counts]');
    return { counted: await p.getAttribute('data-counted'), pending: await p.getAttribute('data-pending'), text: await p.textContent() };
  }

  it('A shares; B and C count (pending, then counted); repeats, self-referral and a burst do not; the leaderboard shows chosen names', async () => {
    const a = await fresh(UA('fan-a'));
    const opened = [a];
    try {
      const receiptA = await presave(a.page, `${server.url}/lantern?lang=en`, 'lantern-a');
      const link = await a.page.locator('#referral-link').inputValue();
      expect(link).toMatch(new RegExp(`^${server.ctx.config.publicUrl}/lantern\\?r=[0-9a-hjkmnp-tv-z]{10}$`));
      const code = new URL(link).searchParams.get('r')!;
      // The share buttons share the personal link.
      expect(await a.page.locator('[data-share] .share-whatsapp').getAttribute('href')).toContain(encodeURIComponent(`r=${code}`));
      const local = link.replace(server.ctx.config.publicUrl, server.url);

      for (const [who, user] of [
        ['fan-b', 'lantern-b'],
        ['fan-c', 'lantern-c'],
      ] as const) {
        const f = await fresh(UA(who));
        opened.push(f);
        await presave(f.page, local, user);
      }
      expect(await counts(a.page, receiptA)).toMatchObject({
        counted: '0',
        pending: '2',
        text: '0 referrals counted, 2 pending verification',
      });

      // A chooses the name the leaderboard shows (the form in the browser).
      await a.page.fill('#referral-name', 'Ana the Lantern');
      await a.page.click('#referral-name-form button[type=submit]');
      await a.page.waitForSelector('[data-notice="referral-name"]');

      // B again, same Sandbox account, from a fresh browser through A's link.
      const b2 = await fresh(UA('fan-b'));
      opened.push(b2);
      await presave(b2.page, local, 'lantern-b');
      // A through their own link, with another Sandbox account, in A's browser.
      await presave(a.page, local, 'lantern-a-alt');
      // A burst: three fresh browsers with one identical device profile.
      for (const n of [1, 2, 3]) {
        const f = await fresh(UA('burst'));
        opened.push(f);
        await presave(f.page, local, `lantern-burst-${n}`);
      }
      expect(await counts(a.page, receiptA)).toMatchObject({ counted: '0', pending: '2' });

      // Release: the worker saves every pre-save and verifies it in the library.
      offset += dueAtFor(campaign, 'UTC') + 1000 - now();
      server.worker.nudge();
      await waitFor(
        async () => {
          const rows = await server.ctx.db.selectFrom('presaves').select('status').where('campaign_id', '=', campaign.id).execute();
          return rows.length > 0 && rows.every((r) => r.status === 'saved');
        },
        { what: 'every pre-save saved', timeoutMs: 15_000 },
      );
      expect(await counts(a.page, receiptA)).toMatchObject({
        counted: '2',
        pending: '0',
        text: '2 referrals counted, 0 pending verification',
      });
      expect(await a.page.locator('[data-referral-rank]').getAttribute('data-referral-rank')).toBe('1');

      // The artist's view is built on listReferrals: each one not counted has its reason.
      const list = (await listReferrals(server.ctx.db, campaign.id)).filter((r) => r.code === code);
      expect(list.map((r) => [r.state, r.reason])).toEqual([
        ['counted', null],
        ['counted', null],
        ['not_counted', 'already_presaved'],
        ['not_counted', 'self_referral'],
        ['held', 'burst_device'],
        ['held', 'burst_device'],
        ['held', 'burst_device'],
      ]);

      // The artist's view in the browser: an editor signs in and opens the campaign's dashboard.
      const artist = await fresh(UA('artist'));
      opened.push(artist);
      await signUp(artist.page, server.url);
      await createWorkspace(artist.page, { name: 'Mira Vale', slug: 'mira-vale' });
      await setCampaignWorkspace(server.ctx.db, campaign.id, (await findWorkspaceBySlug(server.ctx.db, 'mira-vale'))!.id);
      await artist.page.goto(`${server.url}/w/mira-vale/campaigns/lantern`);
      const panel = artist.page.getByRole('region', { name: 'Referrals' });
      const rowA = panel.locator(`#referrers tr[data-referrer="${code}"]`);
      const numbers = async () =>
        Object.fromEntries(
          await Promise.all(
            ['counted', 'pending', 'held', 'not_counted'].map(async (k) => [k, await rowA.locator(`[data-ref="${k}"]`).textContent()]),
          ),
        );
      expect(await rowA.locator('bdi').textContent()).toBe('Ana the Lantern');
      expect(await numbers()).toEqual({ counted: '2', pending: '0', held: '3', not_counted: '2' });
      // Every referral of A's that does not count is listed with its reason in words.
      const review = panel.locator('#referral-review');
      for (const r of list.filter((l) => l.state !== 'counted')) {
        const tr = review.locator(`tr[data-referral="${r.id}"]`);
        expect(await tr.locator('[data-reason]').textContent()).toBe(REFERRAL_REASONS[r.reason as keyof typeof REFERRAL_REASONS]);
        expect(await tr.locator('td').nth(2).textContent()).toBe(r.state === 'held' ? 'Held for review' : 'Not counted');
      }
      // Approving one held referral there: its save is verified already, so it counts at once.
      const held = list.find((r) => r.state === 'held')!;
      await review.getByRole('button', { name: `Approve referral ${held.id}` }).click();
      await artist.page.waitForURL(/done=referral-approved/);
      expect(await numbers()).toEqual({ counted: '3', pending: '0', held: '2', not_counted: '2' });
      expect(await counts(a.page, receiptA)).toMatchObject({
        counted: '3',
        pending: '0',
        text: '3 referrals counted, 0 pending verification',
      });

      // The public leaderboard: the chosen name, never a username, email or account id.
      offset += 10_000;
      const board = await fresh(UA('visitor'));
      opened.push(board);
      await board.page.goto(`${server.url}/lantern/leaderboard?lang=en`);
      const rows = board.page.locator('[data-row]');
      expect(await rows.count()).toBe(1);
      expect(await rows.first().locator('[data-name]').textContent()).toBe('Ana the Lantern');
      expect(await rows.first().locator('[data-counted]').textContent()).toBe('3');
      const text = (await board.page.textContent('body'))!;
      expect(text).not.toContain('lantern-a');
      expect(text).not.toContain('@');
      for (const f of opened) expect(f.errors).toEqual([]);
    } finally {
      for (const f of opened) await f.context.close();
    }
  });
});
