import { launchChromium } from './helpers/browser.js';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog } from '../src/accounts/testing.js';
import { createUser } from '../src/accounts/users.js';
import { buildApp } from '../src/app.js';
import { createContext } from '../src/bootstrap.js';
import { findCampaignBySlug } from '../src/campaigns/repo.js';
import { loadConfig } from '../src/config.js';
import type { AppContext } from '../src/context.js';
import { ensureEditorSchema } from '../src/editor/db.js';
import { makeImage } from '../src/editor/testing.js';
import { registerAuth } from '../src/web/auth-hooks.js';
import { editorRoutes } from '../src/web/routes/editor.js';
import { createTestDb, type TestDb } from './helpers/db.js';
import { freePort } from './helpers/server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = 'test-artifacts';

/**
 * In Chromium: an artist signs up, makes a workspace, creates a campaign with artwork in the
 * editor while the live preview follows the form, and finds the artwork on the public page; a
 * viewer of the workspace sees the campaign but cannot change it.
 */
describe.skipIf(!fs.existsSync(CHROMIUM))('campaign editor in a real browser (Chromium)', () => {
  let t: TestDb;
  let ctx: AppContext & { close(): Promise<void> };
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    t = await createTestDb('sqlite', { PORT: String(port) });
    await ensureEditorSchema(t.db, t.dialect);
    await t.close();
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: String(port),
      DATA_DIR: t.config.dataDir,
      ENCRYPTION_KEYS: `test:${t.config.encryptionKeys![0]!.key.toString('base64')}`,
      DEMO: 'false',
      DATABASE_URL: `sqlite:${(t.config.database as { file: string }).file}`,
    });
    ctx = await createContext(config, { log: captureLog().log });
    app = await buildApp(ctx);
    await registerAuth(app, ctx);
    editorRoutes(app, ctx);
    await app.listen({ host: '127.0.0.1', port });
    base = `http://127.0.0.1:${port}`;
    browser = await launchChromium();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.close();
    await t?.drop();
  });

  it('create a campaign with artwork and a live preview; the public page shows the artwork; a viewer cannot edit', async () => {
    const errors: string[] = [];
    const owner = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await owner.newPage();
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(`${base}/signup`);
    await page.getByLabel('Email').fill('artist@example.com');
    await page.getByLabel('Password').fill('midnight synth parade');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${base}/workspaces`);
    await page.getByLabel('Name').fill('Midnight Parade');
    await page.getByLabel('Address').fill('midnight-parade');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.waitForURL(/\/w\/midnight-parade\//);

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
    const viewer = await createUser(ctx.db, { email: 'viewer@example.com', password: 'quiet listener 2030' }, ctx.now());
    const ws = await ctx.db.selectFrom('workspaces').select('id').where('slug', '=', 'midnight-parade').executeTakeFirstOrThrow();
    await ctx.db
      .insertInto('workspace_members')
      .values({ workspace_id: ws.id, user_id: viewer.id, role: 'viewer', created_at: ctx.now(), updated_at: ctx.now() })
      .execute();
    const member = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const vpage = await member.newPage();
    await vpage.goto(`${base}/login`);
    await vpage.getByLabel('Email').fill('viewer@example.com');
    await vpage.getByLabel('Password').fill('quiet listener 2030');
    await vpage.getByRole('button', { name: 'Sign in' }).click();
    await vpage.waitForURL(`${base}/workspaces`);
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
});
