import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/repo.js';
import { createCampaign } from '../src/campaigns/service.js';
import { editorDb } from '../src/editor/db.js';
import { LINK_SERVICES } from '../src/providers/services.js';
import { setCampaignLink } from '../src/smartlink/links.js';
import { axeProblems, axeProblemsAt } from './helpers/axe.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { FanBrowser } from './helpers/fan.js';
import { seedPresaves } from './helpers/presaves.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { appleMusicEnv, startFakeWithKeys } from './fakes/apple-music/dropday.js';
import type { AppleMusicFake } from './fakes/apple-music/index.js';
import { INAPP_UA } from './helpers/user-agents.js';

/**
 * Every page a fan can see passes axe-core (no serious or critical violation: contrast, names,
 * landmarks, headings, lang…) in Chromium, in each of its states: the campaign page before
 * release, at the store turn and after (smart link, every service's button), with and without
 * artwork, with a campaign's own colours; the thank-you page in each status, the erased page, the
 * fans' error pages, the MusicKit page, the busy page and the Sandbox's consent page. Each page is
 * screenshotted into test-artifacts/axe-*.png.
 *
 * In other languages: `AXE_LANGS=ar,de,hi npx vitest run test/fan-pages-axe-browser.test.ts` runs
 * the whole set once per language, each page asked for with `?lang=` (the Sandbox's consent page
 * has one language). Without it, pages are checked as a browser asking for
 * English gets them.
 */
const LANGS = process.env.AXE_LANGS ? process.env.AXE_LANGS.split(',').map((l) => l.trim()) : ['default'];
const DAY = 86_400_000;
// Local timing at 2030-06-10 00:00: out first at UTC+14 (2030-06-09 10:00Z), last at UTC−12 (2030-06-10 12:00Z).
const BEFORE = Date.parse('2030-06-01T12:00:00Z');
const STORE_TURN = Date.parse('2030-06-10T00:00:00Z');
const AFTER = Date.parse('2030-06-12T00:00:00Z');

describe.skipIf(!fs.existsSync(CHROMIUM)).each(LANGS)('every fan page passes axe-core (Chromium, language %s)', (lang) => {
  /** The address with `?lang=` for the language under test (none by default). */
  const chosen = lang === 'default' ? null : lang;
  const at = (url: string) => (chosen ? `${url}${url.includes('?') ? '&' : '?'}lang=${encodeURIComponent(chosen)}` : url);
  const shot = (name: string) => `${ARTIFACTS}/axe-${name}${chosen ? `-${chosen}` : ''}.png`;
  let server: TestServer;
  let fake: AppleMusicFake;
  let browser: Browser;
  let now = BEFORE;
  let pressure: string | null = null;
  const campaigns: Record<string, Campaign> = {};

  beforeAll(async () => {
    const f = await startFakeWithKeys();
    fake = f.fake;
    server = await startTestServer('sqlite', appleMusicEnv(fake, f.privateKeyPem), () => now, { pressure: () => pressure });
    const { ctx } = server;
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    const make = (slug: string, extra: { title?: string; demo?: boolean } = {}) =>
      createCampaign(
        deps,
        {
          slug,
          artistName: 'Nadia Rêve',
          title: extra.title ?? 'Night Swim',
          upc: '036000291452',
          releaseAt: '2030-06-10T00:00',
          timezone: 'UTC',
          timing: 'local',
          services: ['sandbox', 'apple-music'],
        },
        { demo: extra.demo ?? false },
      );
    campaigns.plain = await make('plain');
    campaigns.art = await make('art', { demo: true });
    campaigns.themed = await make('themed');
    campaigns.ended = await make('ended');
    await ctx.db
      .updateTable('campaigns')
      .set({ artwork_url: '/assets/artwork/1/0123456789abcdef/1000.jpg' })
      .where('slug', '=', 'art')
      .execute();
    await ctx.db.updateTable('campaigns').set({ status: 'archived' }).where('slug', '=', 'ended').execute();
    // The campaign's own colours, as the editor stores them: a dark button on a light background.
    await editorDb(ctx.db)
      .insertInto('campaign_editor')
      .values({
        campaign_id: campaigns.themed.id,
        languages: '[]',
        theme_accent: '#1e3a8a',
        theme_background: '#fdf6e3',
        updated_at: BEFORE,
      })
      .execute();
    // Every link-out service, so every service's button colour is on the smart link.
    for (const c of [campaigns.plain, campaigns.themed]) {
      for (const [service, s] of Object.entries(LINK_SERVICES)) {
        await setCampaignLink(ctx.db, c!.id, service, `https://${s.hosts[0]}/album/night-swim`, BEFORE);
      }
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await fake?.close();
  });

  /** Checks each page, screenshots it, and returns every page's problems together. */
  async function check(page: Page, pages: [string, string][]): Promise<string[]> {
    const problems: string[] = [];
    for (const [name, url] of pages) {
      const found = await axeProblemsAt(page, name, at(url));
      await page.screenshot({ path: shot(name), fullPage: true });
      if (found) problems.push(found);
    }
    return problems;
  }

  it('the campaign page before release, at the store turn and after (smart link), with and without artwork, with a theme', async () => {
    const { context, page } = await openPage(browser);
    const base = server.url;
    const pages = (state: string): [string, string][] =>
      ['plain', 'art', 'themed'].map((slug) => [`campaign-${slug}-${state}`, `${base}/${slug}`]);
    const problems: string[] = [];
    now = BEFORE;
    problems.push(...(await check(page, pages('before'))));
    expect(await page.locator('form[action="/connect/sandbox"] button').count()).toBe(1);
    now = STORE_TURN;
    problems.push(...(await check(page, pages('store-turn'))));
    // Both: pre-save for later time zones, listen links for the early ones.
    expect(await page.locator('form[action="/connect/sandbox"]').count()).toBe(1);
    expect(await page.locator('a[href$="/listen/beatport"]').count()).toBe(1);
    now = AFTER;
    problems.push(...(await check(page, pages('after'))));
    expect(await page.locator('a[href$="/listen/beatport"]').count()).toBe(1);
    expect(await page.locator('form[action="/connect/sandbox"]').count()).toBe(0);
    now = BEFORE;
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('the thank-you page in each status, with the re-authorize notice, and the erased page', async () => {
    const { ctx } = server;
    now = BEFORE;
    const campaignId = campaigns.plain!.id;
    const seed = async (status: 'pending' | 'saved' | 'failed' | 'cancelled', o: { dueAt?: number; createdAt?: number } = {}) => {
      const [id] = await seedPresaves(ctx.db, {
        campaignId,
        count: 1,
        status,
        dueAt: o.dueAt ?? campaigns.plain!.first_release_at,
        createdAt: o.createdAt ?? BEFORE - DAY,
        reason: status === 'failed' ? 'the release was not found on Sandbox' : null,
        savedAt: status === 'saved' ? BEFORE : null,
      });
      const row = await ctx.db.selectFrom('presaves').select('public_id').where('id', '=', id!).executeTakeFirstOrThrow();
      return `${server.url}/p/${row.public_id}`;
    };
    const pages: [string, string][] = [
      ['thanks-pending', await seed('pending')],
      ['thanks-saving-now', await seed('pending', { dueAt: BEFORE - 1000 })],
      // Authorized 180 days ago: the Sandbox's 183-day authorization ends before release day.
      ['thanks-reauthorize', await seed('pending', { createdAt: BEFORE - 180 * DAY })],
      ['thanks-saved', await seed('saved')],
      ['thanks-failed', await seed('failed')],
      ['thanks-cancelled', await seed('cancelled')],
    ];
    const { context, page } = await openPage(browser);
    const problems = await check(page, pages);
    await page.goto(at(pages[2]![1]));
    expect(await page.locator('[data-reauth]').count()).toBe(1);

    // The erased page comes from the Erase form.
    await page.goto(at(await seed('pending')));
    await Promise.all([page.waitForURL(/\/erase(\?lang=[\w-]+)?$/), page.locator('form[action*="/erase"] button').click()]);
    expect(await page.locator('[data-status="erased"]').count()).toBe(1);
    const erased = await axeProblems(page, 'erased');
    await page.screenshot({ path: shot('erased'), fullPage: true });
    if (erased) problems.push(erased);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('fans’ error pages, the MusicKit page, the busy page and the Sandbox consent page', async () => {
    now = BEFORE;
    const base = server.url;
    const { consentUrl } = await new FanBrowser().startPresave(base, 'plain', 'UTC');
    const { context, page } = await openPage(browser);
    const problems = await check(page, [
      ['error-campaign-not-found', `${base}/no-such-campaign`],
      ['error-archived', `${base}/ended`],
      ['error-presave-not-found', `${base}/p/AAAAAAAAAAAAAAAAAAAAAA`],
      ['error-bad-input', `${base}/connect/sandbox?campaign=%00`],
      ['error-start-again', `${base}/callback/sandbox?code=x`],
      ['musickit', `${base}/connect/apple-music?campaign=plain`],
      ['sandbox-consent', consentUrl],
    ]);
    expect((await page.goto(at(`${base}/no-such-campaign`)))?.status()).toBe(404);
    await page.goto(at(`${base}/connect/apple-music?campaign=plain`));
    expect(await page.locator('#mk-connect').count()).toBe(1);

    pressure = 'event loop delay';
    try {
      const res = await page.goto(at(`${base}/plain`));
      expect(res?.status()).toBe(503);
      // In the language the fan's link asked for, not only the browser's.
      expect(await page.locator('html').getAttribute('lang')).toBe(chosen ?? 'en');
      const busy = await axeProblems(page, 'busy');
      await page.screenshot({ path: shot('busy'), fullPage: true });
      if (busy) problems.push(busy);
    } finally {
      pressure = null;
    }
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('the campaign page inside an app, the “Open in your browser” step (iOS, Android, LINE) and the landing after the hop', async () => {
    now = BEFORE;
    const base = server.url;
    const problems: string[] = [];
    const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } as const;
    let hop = '';
    for (const [name, userAgent] of [
      ['instagram-ios', INAPP_UA.instagramIos],
      ['tiktok-android', INAPP_UA.tiktokAndroid],
      ['line-ios', INAPP_UA.lineIos],
    ] as const) {
      const { context, page } = await openPage(browser, { ...PHONE, userAgent });
      problems.push(...(await check(page, [[`inapp-campaign-${name}`, `${base}/plain`]])));
      expect(await page.locator('[data-inapp]').count()).toBe(1);
      expect(await page.locator('[data-share-fallback] input').evaluate((e) => getComputedStyle(e).direction)).toBe('ltr');
      // Apple Music's sign-in breaks in apps: its button leads to the step (its id issued on the way).
      await page.goto(at(`${base}/plain/escape/apple-music`));
      expect(page.url()).toMatch(/\/plain\/escape\/apple-music\?esc=/);
      expect(await page.locator('[data-escape-step]').count()).toBe(1);
      expect(await page.locator('h2 bdi').count()).toBe(2);
      // The link to copy reads from its start (https://…) on right-to-left pages too.
      expect(await page.locator('#escape-url').evaluate((e) => getComputedStyle(e).direction)).toBe('ltr');
      const found = await axeProblems(page, `escape-${name}`);
      await page.screenshot({ path: shot(`escape-${name}`), fullPage: true });
      if (found) problems.push(found);
      hop = page.url();
      await context.close();
    }
    // The same address opened in the phone's own browser: the campaign page with Apple Music chosen.
    const { context, page } = await openPage(browser, PHONE);
    await page.goto(hop);
    expect(await page.locator('[data-chosen="apple-music"]').count()).toBe(1);
    const landed = await axeProblems(page, 'escape-landing');
    await page.screenshot({ path: shot('escape-landing'), fullPage: true });
    if (landed) problems.push(landed);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
