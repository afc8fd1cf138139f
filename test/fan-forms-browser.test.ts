import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { redirectUriFor } from '../src/config.js';
import { buildSandboxServer } from '../src/providers/sandbox/server/index.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';
import { freePort, startTestServer, type TestServer } from './helpers/server.js';

/**
 * Every form a fan submits, clicked in Chromium: pre-save on the Sandbox (campaign page → consent →
 * Allow → thank-you page), Cancel, and Erase; what the fan sees after each, and what the database
 * keeps. The Sandbox runs as its own server on its own database, as a real streaming service would,
 * so Dropday's database holds only what Dropday keeps about the fan.
 */
const NOW = Date.parse('2030-06-01T12:00:00Z');

describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('a fan’s forms in Chromium (%s)', (dialect) => {
  let server: TestServer;
  let sandbox: FastifyInstance;
  let sandboxDb: TestDb;
  let browser: Browser;
  beforeAll(async () => {
    const sandboxPort = await freePort();
    const sandboxBase = `http://127.0.0.1:${sandboxPort}/sandbox`;
    server = await startTestServer(dialect, { SANDBOX_BASE_URL: sandboxBase }, () => NOW);
    sandboxDb = await createTestDb('sqlite');
    sandbox = buildSandboxServer({
      db: sandboxDb.db,
      now: () => NOW,
      accessTokenTtlSeconds: 3600,
      clients: [{ clientId: server.ctx.config.sandbox.clientId, redirectUris: [redirectUriFor(server.ctx.config, 'sandbox')] }],
      publicBaseUrl: sandboxBase,
    });
    await sandbox.listen({ host: '127.0.0.1', port: sandboxPort });
    const { ctx } = server;
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'forms',
        artistName: 'Formal',
        title: 'Clicked',
        upc: '036000291452',
        releaseAt: '2030-06-10T00:00',
        timing: 'global',
        services: ['sandbox'],
      },
    );
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'ended',
        artistName: 'Formal',
        title: 'Gone',
        upc: '036000291452',
        releaseAt: '2030-06-10T00:00',
        timing: 'global',
        services: ['sandbox'],
      },
    );
    await ctx.db.updateTable('campaigns').set({ status: 'archived' }).where('slug', '=', 'ended').execute();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    await sandboxDb?.drop();
    await server?.close();
  });

  /** Campaign page → Pre-save on Sandbox → consent as `username` → Allow; ends on the thank-you page. */
  async function presave(page: Page, username: string): Promise<void> {
    await page.goto(`${server.url}/forms`);
    await page.getByRole('button', { name: 'Pre-save on Sandbox' }).click();
    await page.waitForURL(/\/sandbox\/authorize/);
    await page.getByLabel('Sandbox username').fill(username);
    await submit(page, 'Allow');
    expect(new URL(page.url()).pathname).toMatch(/^\/p\/[A-Za-z0-9_-]+$/);
    expect(await page.locator('h1').textContent()).toBe("You're all set");
    expect(await page.locator('[data-status]').getAttribute('data-status')).toBe('pending');
  }

  /** Clicks a form's button and waits for the page it leads to; returns that page's address once it answered 200. */
  async function submit(page: Page, button: string): Promise<string> {
    const navigation = page.waitForNavigation();
    await page.getByRole('button', { name: button }).click();
    const res = await navigation;
    expect({ status: res?.status(), text: res?.status() === 200 ? '' : await page.locator('body').textContent() }).toEqual({
      status: 200,
      text: '',
    });
    return page.url();
  }

  const presavesOf = (accountId: string) => server.ctx.db.selectFrom('presaves').selectAll().where('account_id', '=', accountId).execute();
  /** Grants that still name the fan, by account id or display name (the Sandbox's display name is the username). */
  const grantsNaming = (username: string) =>
    server.ctx.db
      .selectFrom('grants')
      .selectAll()
      .where((eb) => eb.or([eb('account_id', '=', username), eb('display_name', '=', username)]))
      .execute();

  it('pre-save, then Cancel: the fan sees it cancelled; Dropday keeps a count, not who it was', async () => {
    const { context, page, errors } = await openPage(browser);
    await presave(page, 'cancel-fan');
    const [stored] = await presavesOf('cancel-fan');
    expect(stored).toMatchObject({ status: 'pending', service: 'sandbox' });
    expect(await grantsNaming('cancel-fan')).toMatchObject([{ status: 'active', display_name: 'cancel-fan' }]);
    const thanks = page.url();

    expect(await submit(page, 'Cancel this pre-save')).toBe(thanks);
    expect(await page.locator('[data-status]').textContent()).toContain('This pre-save was cancelled.');
    expect(await page.getByRole('button', { name: 'Cancel this pre-save' }).count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/fan-cancelled-${dialect}.png`, fullPage: true });

    const row = await server.ctx.db.selectFrom('presaves').selectAll().where('id', '=', stored!.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('cancelled');
    expect(row.account_id).not.toContain('cancel-fan');
    expect(await grantsNaming('cancel-fan')).toEqual([]);
    const grant = await server.ctx.db.selectFrom('grants').selectAll().where('id', '=', stored!.grant_id).executeTakeFirstOrThrow();
    expect(grant).toMatchObject({ status: 'released', access_token_enc: '', refresh_token_enc: null, display_name: null });

    // Changing their mind later is a new pre-save; the cancelled one still counts as cancelled.
    await presave(page, 'cancel-fan');
    expect((await presavesOf('cancel-fan')).map((p) => p.status)).toEqual(['pending']);
    const all = await server.ctx.db.selectFrom('presaves').select('status').where('id', '=', stored!.id).executeTakeFirstOrThrow();
    expect(all.status).toBe('cancelled');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('pre-save, then Erase: the fan sees it erased, and nothing of them is left in the database', async () => {
    const { context, page, errors } = await openPage(browser);
    const username = 'erase-fan-q7zx';
    await presave(page, username);
    const thanks = page.url();
    const [stored] = await presavesOf(username);
    const grant = await server.ctx.db.selectFrom('grants').selectAll().where('id', '=', stored!.grant_id).executeTakeFirstOrThrow();
    expect(grant.access_token_enc.length).toBeGreaterThan(20);

    expect(await submit(page, 'Erase my data')).toBe(`${thanks}/erase`);
    expect(await page.locator('h1').textContent()).toBe('Erased');
    expect(await page.locator('[data-status]').textContent()).toContain('Nothing will be saved.');
    await page.screenshot({ path: `${ARTIFACTS}/fan-erased-${dialect}.png`, fullPage: true });

    expect(await presavesOf(username)).toEqual([]);
    expect(await grantsNaming(username)).toEqual([]);
    expect(await server.ctx.db.selectFrom('grants').select('id').where('id', '=', grant.id).execute()).toEqual([]);

    expect(errors).toEqual([]);
    // The old address now says, in words, that there is nothing there.
    await page.goto(thanks);
    expect(await page.locator('h1').textContent()).toBe('Pre-save not found');
    expect(await page.locator('body').textContent()).not.toMatch(/DROPDAY_ERR|HTTP|\b404\b/);

    if (server.ctx.config.database.kind === 'sqlite') {
      // Not only unreadable through SQL: the bytes are gone from the file and its write-ahead log.
      const file = server.ctx.config.database.file;
      const secrets = [username, grant.access_token_enc, stored!.public_id];
      for (const path of [file, `${file}-wal`]) {
        const bytes = fs.existsSync(path) ? fs.readFileSync(path) : Buffer.alloc(0);
        for (const secret of secrets) expect({ path, secret, at: bytes.indexOf(secret) }).toEqual({ path, secret, at: -1 });
      }
    }
    await context.close();
  });

  it('an archived campaign’s page says, in words, that it has ended', async () => {
    const { context, page } = await openPage(browser);
    const res = await page.goto(`${server.url}/ended`);
    expect(res?.status()).toBe(410);
    expect(await page.locator('h1').textContent()).toBe('This campaign has ended');
    const text = await page.locator('body').innerText();
    expect(text).toContain('it no longer takes pre-saves');
    expect(text).not.toMatch(/DROPDAY_ERR|HTTP|\b410\b|error code/i);
    await context.close();
  });
});
