import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { captureLog } from '../src/accounts/testing.js';
import { findWorkspaceBySlug } from '../src/accounts/workspaces.js';
import { createCampaign } from '../src/campaigns/service.js';
import { isolate, LANGUAGES } from '../src/i18n/index.js';
import { setCampaignLink } from '../src/smartlink/links.js';
import { createWorkspace, signUp, type Credentials } from './helpers/account.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * Every page works on a small phone (320 and 390 px wide) whatever the text: a 200-character
 * title without a space, a long artist name, workspace name and address, long campaign links —
 * nothing makes the page wider than the screen (document.scrollingElement.scrollWidth ≤ the
 * viewport). Screenshots of each page at each width land in test-artifacts/.
 */
/**
 * '' when the page is no wider than the screen; else how wide it is, naming the innermost elements
 * that stick out (on either side: a right-to-left page overflows to the left).
 */
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

/** Share buttons whose network name (WhatsApp, Facebook…) is cut over two lines: it must stay whole. */
async function brokenNetworkNames(p: Page, what: string): Promise<string[]> {
  const broken = await p.locator('[data-share-links] a').evaluateAll((links) =>
    links.flatMap((a) => {
      const name = ['WhatsApp', 'Facebook', 'Telegram', 'X'].find((n) => a.textContent!.includes(n))!;
      const text = [...a.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.includes(name))!;
      const range = document.createRange();
      range.setStart(text, text.textContent!.indexOf(name));
      range.setEnd(text, text.textContent!.indexOf(name) + name.length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      return lines.size > 1 ? [name] : [];
    }),
  );
  return broken.map((name) => `${what}: "${name}" cut over two lines`);
}

describe.skipIf(!fs.existsSync(CHROMIUM))('narrow screens with long unbroken text (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  const clock = Date.UTC(2026, 6, 14, 9, 0);
  const who: Credentials = { email: `${'e'.repeat(60)}@${'d'.repeat(60)}.example.com`, password: 'midnight synth parade' };
  const title = 'T'.repeat(200);
  const artist = 'A'.repeat(200);
  const wsName = 'W'.repeat(100);

  beforeAll(async () => {
    server = await startTestServer('sqlite', {}, () => clock, { log: captureLog().log });
    base = server.url;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('public page, thank-you page, editor, dashboard, overview and account pages fit 320 and 390 px', async () => {
    const { ctx } = server;
    const { page, errors } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    await signUp(page, base, who);
    await createWorkspace(page, { name: wsName, slug: 'w'.repeat(40) });
    const ws = (await findWorkspaceBySlug(ctx.db, 'w'.repeat(40)))!;
    const slug = 's'.repeat(60);
    const campaign = await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug,
        artistName: artist,
        title,
        upc: '036000291452',
        releaseAt: new Date(clock + 20 * 86_400_000).toISOString().slice(0, 16),
        timezone: 'America/Argentina/ComodRivadavia',
        timing: 'local',
        services: ['sandbox'],
      },
    );
    await setCampaignWorkspace(ctx.db, campaign.id, ws.id);
    await setCampaignLink(ctx.db, campaign.id, 'bandcamp', `https://${'b'.repeat(60)}.bandcamp.com/album/${'x'.repeat(300)}`, clock);
    // Normal data on the dashboard: a few fans' pre-saves and the delivery table.
    let thanks = '';
    for (const fan of ['ana', 'ben', 'cai']) thanks = await new FanBrowser().presave(base, slug, fan, 'UTC');
    const wsBase = `${base}/w/${ws.slug}`;

    const pages: [string, string][] = [
      ['public-page', `${base}/${slug}`],
      ['thank-you', thanks],
      ['editor-new', `${wsBase}/campaigns/new`],
      ['editor-edit', `${wsBase}/campaigns/${slug}/edit`],
      ['dashboard', `${wsBase}/campaigns/${slug}`],
      ['workspace-overview', wsBase],
      ['campaign-list', `${wsBase}/campaigns`],
      ['members', `${wsBase}/members`],
      ['workspaces', `${base}/workspaces`],
    ];
    const anonymous: [string, string][] = [
      ['login', `${base}/login`],
      ['signup', `${base}/signup`],
      ['forgot', `${base}/forgot`],
    ];
    const { page: anon } = await openPage(browser);
    const tooWide: string[] = [];
    for (const width of [320, 390]) {
      for (const [p, list] of [
        [page, pages],
        [anon, anonymous],
      ] as const) {
        await p.setViewportSize({ width, height: 800 });
        for (const [name, url] of list) {
          await p.goto(url);
          await p.waitForLoadState('networkidle');
          const wide = await widthProblem(p, `${name} at ${width}px`);
          await p.screenshot({ path: `${ARTIFACTS}/narrow-${name}-${width}.png`, fullPage: true });
          if (wide) tooWide.push(wide);
        }
      }
    }
    // The archive confirmation too (a form a person reads before a click).
    await page.goto(`${wsBase}/campaigns/${slug}/edit`);
    await page.getByRole('button', { name: 'Archive this campaign' }).click();
    await page.waitForSelector('#archive-confirm');
    const confirm = await page.evaluate(() => document.scrollingElement!.scrollWidth);
    await page.screenshot({ path: `${ARTIFACTS}/narrow-archive-confirm-390.png`, fullPage: true });
    if (confirm > 390) tooWide.push(`archive-confirm at 390px: ${confirm}px wide`);
    expect(tooWide).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('fans’ pages fit 320 px in every language (long words: German, Bengali, Arabic right to left)', async () => {
    const { ctx } = server;
    const slug = 'eight-languages';
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug,
        artistName: 'Nadia Rêve & The Overlong Orchestra',
        title: 'Unterhaltungsmusikveranstaltung',
        upc: '036000291452',
        releaseAt: new Date(clock + 20 * 86_400_000).toISOString().slice(0, 16),
        timezone: 'Asia/Kolkata',
        timing: 'global',
        services: ['sandbox'],
      },
    );
    const thanks = await new FanBrowser().presave(base, slug, 'dana', 'Asia/Dhaka');
    const { page, errors } = await openPage(browser, { viewport: { width: 320, height: 700 } });
    const tooWide: string[] = [];
    for (const lang of LANGUAGES) {
      for (const [name, url] of [
        ['campaign', `${base}/${slug}?lang=${lang}`],
        ['thank-you', `${thanks}?lang=${lang}`],
        ['error', `${base}/no-such-campaign?lang=${lang}`],
      ] as const) {
        await page.goto(url);
        await page.waitForLoadState('networkidle');
        expect(await page.locator('html').getAttribute('lang')).toBe(lang);
        if (name === 'campaign') {
          // The consent text is headed by its service in the language's own punctuation ("Sandbox : " in French).
          const heading = lang === 'fr' ? 'Sandbox\u00a0: ' : `${isolate(lang, 'Sandbox')}: `;
          expect(await page.locator('[data-consent="sandbox"]').textContent()).toMatch(new RegExp(`^${heading}`));
        }
        const wide = await widthProblem(page, `${name} in ${lang}`);
        if (name !== 'error') tooWide.push(...(await brokenNetworkNames(page, `${name} in ${lang}`)));
        await page.screenshot({ path: `${ARTIFACTS}/narrow-fan-${name}-${lang}-320.png`, fullPage: true });
        if (wide) tooWide.push(wide);
      }
    }
    expect(tooWide).toEqual([]);
    // The unknown campaign's page is a 404 (the browser logs it); nothing else went wrong.
    expect(errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
  }, 120_000);
});
