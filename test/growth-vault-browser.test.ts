import fs from 'node:fs';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureLog } from '../src/accounts/testing.js';
import { createUser } from '../src/accounts/users.js';
import { createWorkspace } from '../src/accounts/workspaces.js';
import { planFromForm } from '../src/editor/form.js';
import { createFromPlan } from '../src/editor/service.js';
import { vaultItems } from '../src/growth/vault/items.js';
import { logIn } from './helpers/account.js';
import { ARTIFACTS, CHROMIUM, openPage, withServerAndBrowser } from './helpers/browser.js';
import { testDialects } from './helpers/db.js';
import { startTestServer } from './helpers/server.js';
import { pdfBytes } from './helpers/vault.js';

/**
 * The vault's done-when in Chromium: the artist uploads a file and adds a link on the Growth page
 * (a file that is not what it claims is refused with the reason beside the field, nothing stored);
 * a fan who pre-saves sees the Download button on their receipt and the file arrives; an item
 * whose rule they do not meet shows locked, with the rule in their words.
 */
const ARTIST = { email: 'vault-artist@example.com', password: 'velvet static harbour' };
const inDays = (d: number) => DateTime.utc().plus({ days: d }).startOf('day').toFormat("yyyy-MM-dd'T'HH:mm");

describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('the vault in Chromium (%s)', (dialect) => {
  const suite = withServerAndBrowser(() => startTestServer(dialect, {}, undefined, { log: captureLog().log }));
  let campaignId = 0;
  const growth = () => `${suite.server.url}/w/night-owls/campaigns/late-bloom/growth`;

  beforeAll(async () => {
    const { ctx } = suite.server;
    const owner = await createUser(ctx.db, ARTIST, ctx.now());
    const ws = await createWorkspace(ctx.db, { slug: 'night-owls', name: 'Night Owls', kind: 'artist' }, owner.id, ctx.now());
    const form = {
      artist: 'Night Owls',
      title: 'Late Bloom',
      type: 'single',
      upc: '',
      isrcs: 'GB-AAA-26-00021',
      releaseAt: inDays(12),
      timezone: 'UTC',
      timing: 'global',
      services: ['sandbox'],
      slug: 'late-bloom',
      themeAccent: '',
      themeBackground: '',
      languages: '',
    };
    campaignId = (
      await createFromPlan(ctx, ws.id, await planFromForm(form, null, { now: ctx.now(), enabledServices: ctx.providers.enabled() }))
    ).id;
  });

  it('the artist uploads a file and adds a link; a wrong type is refused with the reason shown and nothing stored', async () => {
    const { page, errors } = await openPage(suite.browser, { viewport: { width: 1200, height: 1000 } });
    await logIn(page, suite.server.url, ARTIST);
    await page.goto(growth());
    await expect.poll(() => page.locator('[data-vault-empty]').textContent()).toContain('The vault is empty.');

    // Not what it claims: a page of HTML named .pdf.
    await page.fill('#vf-title', 'Liner notes');
    await page
      .locator('#vf-file')
      .setInputFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><script>x()</script></html>') });
    await page.getByRole('button', { name: 'Upload to the vault' }).click();
    await page.waitForLoadState();
    await expect.poll(() => page.locator('#file-error').textContent()).toContain('was refused: it is markup or a script');
    expect(await page.locator('#vf-title').inputValue()).toBe('Liner notes');
    expect(await page.locator('#vf-file').getAttribute('aria-describedby')).toBe('file-error');
    // The whole Growth page again (not a vault-only fragment): the other sections are still there.
    expect(await page.locator('h1').textContent()).toBe('Growth: referrals, contest, vault, early access');
    for (const section of ['#contest-settings', '#preview']) expect(await page.locator(section).count(), section).toBe(1);
    expect(await page.locator('#vault [role="alert"]').textContent()).toContain('Nothing was added to the vault: file was refused');
    await page.screenshot({ path: `${ARTIFACTS}/vault-wrong-type.png`, fullPage: true });
    expect(await vaultItems(suite.server.ctx.db, campaignId)).toEqual([]);
    const blobs = `${suite.server.ctx.config.growth.storage.dir}/vault`;
    expect(fs.existsSync(blobs) ? fs.readdirSync(blobs, { recursive: true }).length : 0).toBe(0);

    // The real file, unlocked by a pre-save.
    await page.locator('#vf-file').setInputFiles({ name: 'liner-notes.pdf', mimeType: 'application/pdf', buffer: pdfBytes(20_000) });
    await page.selectOption('#vf-unlock', 'presave');
    await page.getByRole('button', { name: 'Upload to the vault' }).click();
    await page.waitForURL(/\/growth\?done=vault-file-added#vault$/);
    expect(await page.locator('#vault [role="status"]').textContent()).toContain('The file was added to the vault.');

    // Another file behind three counted referrals, and a link.
    await page.fill('#vf-title', 'Stems');
    await page.selectOption('#vf-unlock', 'referrals');
    await page.fill('#vf-referrals', '3');
    await page.locator('#vf-file').setInputFiles({ name: 'stems.pdf', mimeType: 'application/pdf', buffer: pdfBytes(1000) });
    await page.getByRole('button', { name: 'Upload to the vault' }).click();
    await page.waitForURL(/done=vault-file-added/);
    await page.fill('#vl-title', 'Studio diary');
    await page.fill('#vl-url', 'https://example.com/diary');
    await page.getByRole('button', { name: 'Add the link' }).click();
    await page.waitForURL(/done=vault-link-added/);
    const rows = page.locator('[data-vault-report] tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.nth(0).textContent()).toContain('liner-notes.pdf · 20 kB');
    expect(await rows.nth(1).textContent()).toContain('After 3 counted referrals');
    expect(await rows.nth(2).textContent()).toContain('https://example.com/diary');
    await page.screenshot({ path: `${ARTIFACTS}/vault-growth-page.png`, fullPage: true });
    expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
  }, 120_000);

  it('a fan who pre-saves downloads the file from the receipt; the item they do not qualify for shows locked with its rule', async () => {
    const { page, errors } = await openPage(suite.browser, { acceptDownloads: true });
    await page.goto(`${suite.server.url}/late-bloom?lang=en`);
    await page.getByRole('button', { name: 'Pre-save on Sandbox' }).click();
    await page.waitForURL(/\/sandbox\/authorize/);
    await page.getByLabel('Sandbox username').fill('vault-fan');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/\/p\//);

    const vault = page.locator('#vault');
    await expect.poll(() => vault.locator('h2').textContent()).toBe('The vault');
    const locked = vault.locator('[data-state="locked"]');
    expect(await locked.textContent()).toContain("Unlocks when 3 friends' pre-saves are verified through your link — you have 0.");
    expect(await locked.locator('a').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/vault-receipt.png`, fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), vault.getByRole('link', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe('liner-notes.pdf');
    const saved = fs.readFileSync((await download.path())!);
    expect(saved.equals(pdfBytes(20_000))).toBe(true);
    expect(await vault.getByRole('link', { name: 'Open link' }).getAttribute('href')).toMatch(/^\/p\/[\w-]+\/vault\/\d+\?exp=\d+&sig=/);

    const counted = await suite.server.ctx.db.selectFrom('vault_downloads').selectAll().execute();
    expect(counted).toHaveLength(1);
    expect(errors).toEqual([]);
  }, 120_000);
});
