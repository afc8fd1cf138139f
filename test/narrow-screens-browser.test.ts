import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { captureLog } from '../src/accounts/testing.js';
import { findWorkspaceBySlug } from '../src/accounts/workspaces.js';
import { createCampaign } from '../src/campaigns/service.js';
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
          const { scroll, inner, culprits } = await p.evaluate(() => {
            // The innermost elements that stick out on the right, to name them if the page is too wide.
            const out = [...document.body.querySelectorAll('*')].filter(
              (el) =>
                el.getBoundingClientRect().right > window.innerWidth + 0.5 &&
                ![...el.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 0.5),
            );
            const name = (el: Element) =>
              `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className)}` : ''}`;
            return {
              scroll: document.scrollingElement!.scrollWidth,
              inner: window.innerWidth,
              culprits: out.slice(0, 3).map(name).join(', '),
            };
          });
          await p.screenshot({ path: `${ARTIFACTS}/narrow-${name}-${width}.png`, fullPage: true });
          if (scroll > inner) tooWide.push(`${name} at ${width}px: ${scroll}px wide (${culprits})`);
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
});
