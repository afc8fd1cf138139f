import fs from 'node:fs';
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog } from '../src/accounts/testing.js';
import { createUser } from '../src/accounts/users.js';
import { findCampaignBySlug } from '../src/campaigns/repo.js';
import type { AppContext } from '../src/context.js';
import { makeImage } from '../src/editor/testing.js';
import { createWorkspace, logIn, signUp } from './helpers/account.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * In Chromium: an artist signs up, makes a workspace, creates a campaign with artwork in the
 * editor while the live preview follows the form, and finds the artwork on the public page; a
 * viewer of the workspace sees the campaign but cannot change it.
 */
describe.skipIf(!fs.existsSync(CHROMIUM))('campaign editor in a real browser (Chromium)', () => {
  let server: TestServer;
  let ctx: AppContext;
  let browser: Browser;
  let base: string;
  const logs = captureLog();
  beforeAll(async () => {
    server = await startTestServer('sqlite', {}, undefined, { log: logs.log });
    ({ ctx, url: base } = server);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('create a campaign with artwork and a live preview; the public page shows the artwork; a viewer cannot edit', async () => {
    const { context: owner, page, errors } = await openPage(browser, { viewport: { width: 1400, height: 1000 } });

    await signUp(page, base);
    await createWorkspace(page, { name: 'Midnight Parade', slug: 'midnight-parade' });

    await page.goto(`${base}/w/midnight-parade/campaigns`);
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.waitForURL(`${base}/w/midnight-parade/campaigns/new`);
    const release = DateTime.utc().plus({ days: 20 }).startOf('day').toFormat("yyyy-MM-dd'T'HH:mm");
    await page.getByLabel('Main artist').fill('Midnight Parade');
    await page.getByLabel('Title', { exact: true }).fill('Neon Rain');
    await page.getByLabel('ISRCs').fill('GB-AAA-26-00001');
    await page.getByLabel('Date and time').fill(release);
    await page.getByLabel('Address', { exact: true }).fill('neon-rain');
    await page.getByLabel('Button colour').fill('#e11d48');
    await page.getByLabel('Also follow the artist when a fan pre-saves').check();
    const art = await makeImage(1500, 1500, 'png');
    await page.locator('#f-artwork').setInputFiles({ name: 'neon-rain.png', mimeType: 'image/png', buffer: art });

    // The preview follows the form: title, artist and the chosen (not yet uploaded) artwork.
    const preview = page.frameLocator('#preview');
    await expect.poll(() => preview.locator('h1').textContent(), { timeout: 10_000 }).toBe('Neon Rain');
    await expect.poll(() => preview.locator('img.art').getAttribute('src'), { timeout: 10_000 }).toMatch(/^blob:/);
    expect(await preview.locator('h2').first().textContent()).toContain('Midnight Parade');
    await expect
      .poll(() => preview.getByRole('button', { name: 'Pre-save on Sandbox' }).evaluate((b) => getComputedStyle(b).backgroundColor))
      .toBe('rgb(225, 29, 72)');
    await page.screenshot({ path: `${ARTIFACTS}/editor-new.png`, fullPage: true });

    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(`${base}/w/midnight-parade/campaigns/neon-rain/edit?done=created`);
    expect(await page.locator('[role=status]').first().textContent()).toContain('Campaign created.');
    expect(await page.locator('#timeline li').count()).toBe(8);
    await expect.poll(() => preview.locator('img.art').getAttribute('src')).toMatch(/^\/assets\/artwork\/\d+\/[0-9a-f]{16}\/1000\.jpg$/);
    await page.screenshot({ path: `${ARTIFACTS}/editor-edit.png`, fullPage: true });
    const campaign = (await findCampaignBySlug(ctx.db, 'neon-rain'))!;
    expect(campaign.follow_artist).toBe(true);

    // The public page shows the uploaded artwork.
    const pub = await owner.newPage();
    pub.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await pub.goto(`${base}/neon-rain`);
    const img = pub.locator('img.art');
    expect(await img.getAttribute('src')).toBe(campaign.artwork_url);
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(1000);
    await pub.screenshot({ path: `${ARTIFACTS}/editor-public-page.png`, fullPage: true });
    expect(errors).toEqual([]);

    // A viewer of the workspace sees the campaign read-only and cannot change it.
    const viewerLogin = { email: 'viewer@example.com', password: 'quiet listener 2030' };
    const viewer = await createUser(ctx.db, viewerLogin, ctx.now());
    const ws = await ctx.db.selectFrom('workspaces').select('id').where('slug', '=', 'midnight-parade').executeTakeFirstOrThrow();
    await ctx.db
      .insertInto('workspace_members')
      .values({ workspace_id: ws.id, user_id: viewer.id, role: 'viewer', created_at: ctx.now(), updated_at: ctx.now() })
      .execute();
    const member = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const vpage = await member.newPage();
    await logIn(vpage, base, viewerLogin);
    await vpage.goto(`${base}/w/midnight-parade/campaigns`);
    expect(await vpage.getByRole('link', { name: 'New campaign' }).count()).toBe(0);
    await vpage.getByRole('link', { name: 'Details' }).click();
    await vpage.waitForURL(`${base}/w/midnight-parade/campaigns/neon-rain/edit`);
    expect(await vpage.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
    expect(await vpage.getByLabel('Title', { exact: true }).isDisabled()).toBe(true);
    expect(await vpage.locator('#archive').count()).toBe(0);
    await vpage.screenshot({ path: `${ARTIFACTS}/editor-viewer.png`, fullPage: true });
    const status = await vpage.evaluate(async () => {
      const token = (document.querySelector('input[name=_csrf]') as HTMLInputElement).value;
      const res = await fetch('/w/midnight-parade/campaigns/neon-rain/archive', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token }).toString(),
      });
      return res.status;
    });
    expect(status).toBe(403);
    expect((await vpage.goto(`${base}/w/midnight-parade/campaigns/new`))?.status()).toBe(403);
    expect((await findCampaignBySlug(ctx.db, 'neon-rain'))!.status).toBe('active');
    await owner.close();
    await member.close();
  });

  it('after a validation error the CSRF token is in no address and no log; the preview is sandboxed away from the editor', async () => {
    const { context, page, errors } = await openPage(browser, { viewport: { width: 1400, height: 1000 } });
    await signUp(page, base, { email: 'careful@example.com', password: 'quiet tidy lantern 2030' });
    await createWorkspace(page, { name: 'Careful', slug: 'careful' });
    await page.goto(`${base}/w/careful/campaigns/new`);
    const token = await page.locator('#campaign-form input[name=_csrf]').inputValue();
    expect(token.length).toBeGreaterThan(20);
    await page.getByLabel('Main artist').fill('Careful');
    await page.getByLabel('Title', { exact: true }).fill('Missing Date');
    await page.getByLabel('Address', { exact: true }).fill('missing-date');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('[role=alert]').first().textContent()).toContain('Nothing was saved');
    expect(page.url()).toBe(`${base}/w/careful/campaigns/new`);
    const frameSrc = (await page.locator('#preview').getAttribute('src'))!;
    expect(frameSrc).toContain('title=Missing+Date');
    for (const address of [page.url(), frameSrc, ...(await page.evaluate(() => [...document.forms].map((f) => f.action)))]) {
      expect(address).not.toContain('_csrf');
      expect(address).not.toContain(token);
    }
    expect(logs.lines.join('\n')).not.toContain(token);

    // The preview is in an origin of its own: it cannot reach the editor's page or cookies.
    const preview = page.frameLocator('#preview');
    await expect.poll(() => preview.locator('h1').textContent(), { timeout: 10_000 }).toBe('Missing Date');
    const frame = page.frames().find((f) => f.url().includes('/preview'))!;
    const reach = await frame.evaluate(() => {
      const tryIt = (f: () => unknown) => {
        try {
          return String(f());
        } catch {
          return 'blocked';
        }
      };
      return { parent: tryIt(() => window.parent.document.title), cookie: tryIt(() => document.cookie), origin: window.origin };
    });
    expect(reach).toEqual({ parent: 'blocked', cookie: 'blocked', origin: 'null' });
    // The only failure the page saw is the refused form itself.
    expect(errors).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await context.close();
  });
});
