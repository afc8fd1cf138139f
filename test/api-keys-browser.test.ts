import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { captureLog } from '../src/accounts/testing.js';
import { findUserByEmail } from '../src/accounts/users.js';
import { findWorkspaceBySlug } from '../src/accounts/workspaces.js';
import { apiClient } from './helpers/api.js';
import { createWorkspace, signUp } from './helpers/account.js';
import { ARTIFACTS, CHROMIUM, openPage, withServerAndBrowser } from './helpers/browser.js';
import { testDialects } from './helpers/db.js';
import { startTestServer } from './helpers/server.js';

const EDITOR = { email: 'editor@example.com', password: 'quiet harbor lanterns' };

/**
 * In Chromium, as the workspace's owner: an API key is made in the settings (shown once, with a
 * copy button), works against the API, is revoked after a confirmation step and is then refused;
 * mistakes are named at their field and make nothing; an editor sees no API keys and cannot post.
 */
describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('API keys in the workspace settings (Chromium, %s)', (dialect) => {
  let clock = Date.UTC(2026, 6, 14, 9, 0);
  const t = withServerAndBrowser(() => startTestServer(dialect, {}, () => clock, { log: captureLog().log }));
  const keyCount = async () =>
    Number(
      (
        await t.server.ctx.db
          .selectFrom('api_keys')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function fillKey(page: Page, o: { name: string; scopes: string[]; expires?: string }) {
    await page.getByLabel('Name', { exact: true }).fill(o.name);
    for (const s of o.scopes) await page.locator(`input[name=scope][value="${s}"]`).check();
    if (o.expires !== undefined) await page.getByLabel('Expires (optional)').fill(o.expires);
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.waitForLoadState();
  }

  it('create → shown once → works → revoke (after confirming) → refused', async () => {
    const base = t.server.url;
    const { context, page, errors } = await openPage(t.browser, { viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await signUp(page, base);
    await createWorkspace(page, { name: 'Glass Tides', slug: 'glass-tides' });
    await page.goto(`${base}/w/glass-tides/members`);
    await page.getByRole('link', { name: 'Manage API keys' }).click();
    await page.waitForURL(`${base}/w/glass-tides/api-keys`);
    expect(await page.getByText('No API keys yet — create one below').count()).toBe(1);

    await fillKey(page, { name: 'CRM sync', scopes: ['workspace:read', 'campaigns:write'], expires: '2026-08-01' });
    const shown = page.locator('#new-key-value');
    const secret = (await shown.textContent())!;
    expect(secret).toMatch(/^ddk_[0-9A-Za-z]{8}_[A-Za-z0-9_-]{43}$/);
    expect(await page.locator('#new-key').textContent()).toContain('cannot be shown again');
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    const row = page.locator(`tr[data-key="${secret.slice(0, 12)}"]`);
    expect(await row.textContent()).toContain('CRM sync');
    expect(await row.textContent()).toContain('campaigns:write, workspace:read');
    expect(await row.locator('[data-state]').textContent()).toBe('expires 2026-08-02 00:00 UTC');
    await page.screenshot({ path: `${ARTIFACTS}/api-keys-created.png`, fullPage: true });

    // A reload shows the list, never the key again, and makes no second key.
    await page.reload();
    expect(page.url()).toBe(`${base}/w/glass-tides/api-keys`);
    expect(await page.locator('#new-key').count()).toBe(0);
    expect(await page.content()).not.toContain(secret.slice(13));
    expect(await keyCount()).toBe(1);

    // The key works against the API, as a program would use it.
    const api = apiClient(base, secret);
    expect((await api.get('/workspace')).body).toMatchObject({ slug: 'glass-tides' });
    clock += 60_000;
    await page.reload();
    expect(await row.locator('td').nth(4).textContent()).toBe('2026-07-14 09:00 UTC');

    // Revoke asks first; cancelling changes nothing.
    await row.getByRole('link', { name: 'Revoke' }).click();
    expect(await page.locator('h1').textContent()).toBe(`Revoke API key ${secret.slice(0, 12)}?`);
    await page.getByRole('link', { name: 'Cancel' }).click();
    expect((await api.get('/workspace')).status).toBe(200);
    await row.getByRole('link', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: `Revoke ${secret.slice(0, 12)}` }).click();
    await page.waitForURL(`${base}/w/glass-tides/api-keys?done=revoked`);
    expect(await page.getByRole('status').textContent()).toContain('API key revoked.');
    expect(await row.locator('[data-state]').textContent()).toBe('revoked 2026-07-14 09:01 UTC');
    expect(await row.getByRole('link', { name: 'Revoke' }).count()).toBe(0);
    const refused = await api.get('/workspace');
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('DROPDAY_ERR_API_KEY_REVOKED');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('mistakes (no name, no scope, an expiry in the past) are named at the field and create nothing', async () => {
    const base = t.server.url;
    const { context, page, errors } = await openPage(t.browser);
    await page.goto(`${base}/login`);
    await page.getByLabel('Email').fill('artist@example.com');
    await page.getByLabel('Password').fill('midnight synth parade');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/workspaces`);
    await page.goto(`${base}/w/glass-tides/api-keys`);
    const before = await keyCount();

    await fillKey(page, { name: '', scopes: [] });
    expect(await page.locator('#name-error').textContent()).toBe('Give the key a name (what uses it).');
    expect(await page.locator('#scopes-error').textContent()).toBe('Choose at least one scope.');
    expect(await page.getByRole('alert').textContent()).toContain('The key was not created');

    // What was chosen stays chosen; the past expiry is named.
    await fillKey(page, { name: 'Old', scopes: ['keys:read'], expires: '2026-07-13' });
    expect(await page.locator('#expires_at-error').textContent()).toBe('The expiry must be in the future.');
    expect(await page.locator('input[name=scope][value="keys:read"]').isChecked()).toBe(true);
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Old');
    expect(await page.locator('#name-error').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/api-keys-mistakes.png`, fullPage: true });
    expect(await keyCount()).toBe(before);
    expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
    await context.close();
  });

  it('an editor sees no API keys, and the pages and posts refuse them', async () => {
    const base = t.server.url;
    const { context, page } = await openPage(t.browser);
    await signUp(page, base, EDITOR);
    const ws = (await findWorkspaceBySlug(t.server.ctx.db, 'glass-tides'))!;
    const editor = (await findUserByEmail(t.server.ctx.db, EDITOR.email))!;
    await t.server.ctx.db
      .insertInto('workspace_members')
      .values({ workspace_id: ws.id, user_id: editor.id, role: 'editor', created_at: clock, updated_at: clock })
      .execute();
    await page.goto(`${base}/w/glass-tides/members`);
    expect(await page.getByRole('heading', { name: 'API keys' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Manage API keys' }).count()).toBe(0);
    const res = await page.goto(`${base}/w/glass-tides/api-keys`);
    expect(res?.status()).toBe(403);
    // With a valid CSRF token from a form of theirs, the post is still refused for the role.
    await page.goto(`${base}/w/glass-tides/members`);
    const csrf = await page.locator('input[type=hidden]').first().getAttribute('value');
    const name = await page.locator('input[type=hidden]').first().getAttribute('name');
    const before = await keyCount();
    const post = await page.request.post(`${base}/w/glass-tides/api-keys`, {
      form: { [name!]: csrf!, name: 'sneaky', scope: 'keys:write' },
      headers: { origin: base },
    });
    expect(post.status()).toBe(403);
    expect(await post.text()).toContain('This needs the admin role');
    expect(await keyCount()).toBe(before);
    await context.close();
  });
});
