import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../src/i18n/index.js';
import { axeProblems } from './helpers/axe.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { FanBrowser } from './helpers/fan.js';
import { seedReferrals, seedReferrer } from './helpers/growth-seed.js';
import { growthCampaign } from './helpers/growth-receipt.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const DAY = 86_400_000;

/** '' when the page is no wider than the screen; else how wide, naming what sticks out (either side: RTL overflows left). */
async function widthProblem(p: Page, what: string): Promise<string> {
  const { scroll, inner, culprits } = await p.evaluate(() => {
    const out = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.right > window.innerWidth + 0.5 || r.left < -0.5;
    };
    const innermost = [...document.body.querySelectorAll('*')].filter((el) => out(el) && ![...el.children].some(out));
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className)}` : ''}`;
    return {
      scroll: document.scrollingElement!.scrollWidth,
      inner: window.innerWidth,
      culprits: innermost.slice(0, 3).map(name).join(', '),
    };
  });
  return scroll > inner ? `${what}: ${scroll}px wide (${culprits})` : '';
}

/**
 * The receipt page with every growth part on — the preview player, the vault (one item unlocked, one
 * locked), the referral link with the share buttons, counts, rank and the name form, the contest,
 * reminders, calendar and forever save — and the public /{slug}/leaderboard and /{slug}/contest
 * pages, in all 8 languages on a 320 px wide screen: nothing wider than the screen, axe-core clean,
 * each section once and in a reading order (what the fan got, then what they can do for the
 * release, then bring friends, then managing the pre-save), and right to left in Arabic with names
 * isolated and links reading left to right. Screenshots: test-artifacts/growth-*-{lang}.png.
 */
describe.skipIf(!fs.existsSync(CHROMIUM))('the growth receipt and public pages in every language at 320 px (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  const clock = Date.parse('2030-06-01T12:00:00Z');
  let receipt = '';

  beforeAll(async () => {
    server = await startTestServer('sqlite', {}, () => clock);
    browser = await launchChromium();
    const { ctx } = server;
    const campaign = await growthCampaign(ctx, {
      slug: 'unterhaltung',
      now: clock,
      title: 'Unterhaltungsmusikveranstaltung',
      artistName: 'Nadia Rêve & The Overlong Orchestra',
    });
    receipt = await new FanBrowser().presave(server.url, campaign.slug, 'dana', 'Asia/Dhaka');
    // Someone else is on the leaderboard under a chosen name (a left-to-right name on RTL pages).
    const mia = await seedReferrer(ctx, {
      campaignId: campaign.id,
      at: clock - DAY,
      dueAt: campaign.first_release_at,
      status: 'pending',
      displayName: 'Mia 99',
    });
    await seedReferrals(ctx, {
      campaignId: campaign.id,
      code: mia.code,
      at: clock - DAY,
      dueAt: campaign.first_release_at,
      count: 2,
      status: 'pending',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the receipt with everything on: fits, axe-clean, each section once in reading order, RTL right', async () => {
    const { page, errors } = await openPage(browser, { viewport: { width: 320, height: 700 } });
    const problems: string[] = [];
    for (const lang of LANGUAGES) {
      await page.goto(`${receipt}?lang=${lang}`);
      await page.waitForLoadState('networkidle');
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      // Every part is there, once, in this order.
      const order = await page.evaluate(() => {
        const marks: [string, string][] = [
          ['preview', '#preview'],
          ['vault', '#vault'],
          ['remind', '#remind'],
          ['calendar', '#calendar'],
          ['forever', '#forever'],
          ['referral', '#referral'],
          ['share', '[data-share]'],
          ['contest', '[data-contest="receipt"]'],
          ['cancel', 'form[action*="/cancel"]'],
          ['erase', 'form[action*="/erase"]'],
        ];
        const all = [...document.querySelectorAll('*')];
        return marks
          .flatMap(([name, sel]) => [...document.querySelectorAll(sel)].map((el) => [name, all.indexOf(el)] as const))
          .sort((a, b) => a[1] - b[1])
          .map(([name]) => name);
      });
      expect(order, lang).toEqual(['preview', 'vault', 'remind', 'calendar', 'forever', 'referral', 'share', 'contest', 'cancel', 'erase']);
      // Headings: every section's own, none twice, none skipping a level.
      const headings = await page.locator('h1, h2, h3').evaluateAll((hs) => hs.map((h) => `${h.tagName}:${h.textContent!.trim()}`));
      expect(new Set(headings).size, `${lang}: ${headings.join(' | ')}`).toBe(headings.length);
      expect(
        headings.filter((h) => h.startsWith('H3')),
        lang,
      ).toEqual([]);
      expect(await page.locator('audio').count()).toBe(1);
      expect(await page.locator('[data-vault-item][data-state="unlocked"]').count()).toBe(1);
      expect(await page.locator('[data-vault-item][data-state="locked"]').count()).toBe(1);
      expect(await page.locator('#referral-name-form').count()).toBe(1);
      // Links and addresses read from their start, also right to left.
      expect(await page.locator('#referral-link').evaluate((e) => getComputedStyle(e).direction)).toBe('ltr');
      // The vault items' titles, the campaign's names and the prize are isolated from the text around them.
      expect(await page.locator('[data-vault-item] bdi').count()).toBe(2);
      if (lang === 'ar') expect(await page.locator('[data-contest="prize"]').textContent()).toContain('\u2068A signed test pressing\u2069');
      const wide = await widthProblem(page, `receipt in ${lang}`);
      if (wide) problems.push(wide);
      const axe = await axeProblems(page, `growth receipt in ${lang}`);
      if (axe) problems.push(axe);
      await page.screenshot({ path: `${ARTIFACTS}/growth-receipt-${lang}-320.png`, fullPage: true });
    }
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  }, 180_000);

  it('the public leaderboard and contest rules pages: fit, axe-clean, names isolated, the artist’s rules in their own direction', async () => {
    const { page, errors } = await openPage(browser, { viewport: { width: 320, height: 700 } });
    const problems: string[] = [];
    for (const lang of LANGUAGES) {
      for (const name of ['leaderboard', 'contest'] as const) {
        await page.goto(`${server.url}/unterhaltung/${name}?lang=${lang}`);
        await page.waitForLoadState('networkidle');
        expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        if (name === 'leaderboard') {
          expect(await page.locator('[data-row] [data-name] bdi').allTextContents()).toContain('Mia 99');
        } else {
          // The artist's rules are their own words: laid out in the direction of their text, not the page's.
          const rules = page.locator('[data-contest="rules"]');
          expect(await rules.getAttribute('dir')).toBe('auto');
          expect(await rules.evaluate((e) => getComputedStyle(e).direction)).toBe('ltr');
        }
        const wide = await widthProblem(page, `${name} in ${lang}`);
        if (wide) problems.push(wide);
        const axe = await axeProblems(page, `${name} in ${lang}`);
        if (axe) problems.push(axe);
        await page.screenshot({ path: `${ARTIFACTS}/growth-${name}-${lang}-320.png`, fullPage: true });
      }
    }
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  }, 180_000);
});
