import { describe, expect, it } from 'vitest';
import { ARTIFACTS, openPage, withServerAndBrowser } from './helpers/browser.js';
import { startTestServer } from './helpers/server.js';
import { axeProblems } from './helpers/axe.js';

describe('the interactive API docs at /api/docs', () => {
  const t = withServerAndBrowser(() => startTestServer('sqlite'));

  it('load from this server under their own CSP, list the operations, and log no console or CSP error', async () => {
    const { context, page, errors } = await openPage(t.browser);
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(t.server.url) && !r.url().startsWith('data:')) outside.push(r.url());
    });
    const res = await page.goto(`${t.server.url}/api/docs`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByText('Dropday API').first().waitFor();
    await page.locator('.opblock-summary-path', { hasText: '/api/v1/keys' }).first().waitFor();
    const ops = await page.locator('.opblock-summary-operation-id, .opblock-summary-path').allTextContents();
    expect(ops.join(' ')).toContain('/api/v1/workspace');
    expect(await page.locator('.opblock-tag', { hasText: 'keys' }).count()).toBeGreaterThan(0);
    // Opening an operation shows its parameters and responses.
    await page.locator('.opblock-summary-path', { hasText: '/api/v1/keys' }).first().click();
    await page.getByText('Items per page (1–200).').first().waitFor();
    await page.locator('.opblock-post .opblock-summary-path', { hasText: '/api/v1/campaigns' }).first().click();
    await page.locator('.opblock-post .parameters-col_name', { hasText: 'Idempotency-Key' }).first().waitFor();
    // Each operation's "copy path" button is shown at full size without hovering (Swagger UI's own
    // is 0 px wide until hovered, so a keyboard user would focus an invisible button), and leaving a
    // hovered row starts no animation that axe could catch half-way.
    const copy = page.locator('#operations-keys-listApiKeys .opblock-summary .copy-to-clipboard button');
    await page.locator('#operations-keys-listApiKeys .opblock-summary').hover();
    await page.mouse.move(0, 0);
    expect((await copy.boundingBox())?.width ?? 0).toBeGreaterThanOrEqual(24);
    // As accessible as the app's own pages: no serious or critical axe finding, operations open.
    expect(await axeProblems(page, '/api/docs')).toBe('');
    await page.screenshot({ path: `${ARTIFACTS}/api-docs.png`, fullPage: false });
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await context.close();
  });

  it('never load a foreign document named in the address (?url=, configUrl)', async () => {
    const { context, page } = await openPage(t.browser);
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(t.server.url) && !r.url().startsWith('data:')) outside.push(r.url());
    });
    await page.goto(`${t.server.url}/api/docs?url=https://evil.example/openapi.json&configUrl=https://evil.example/config.json`);
    // Swagger UI settles on an answer (its own document, or its notice that the address is not one).
    await page
      .getByText(/Unable to render this definition|Dropday API/)
      .first()
      .waitFor();
    await page.waitForLoadState('networkidle');
    expect(outside).toEqual([]);
    expect(await page.locator('body').innerText()).not.toContain('evil');
    await context.close();
  });
});
