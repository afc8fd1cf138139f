import { describe, expect, it } from 'vitest';
import { ARTIFACTS, openPage, withServerAndBrowser } from './helpers/browser.js';
import { startTestServer } from './helpers/server.js';

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
    await page.screenshot({ path: `${ARTIFACTS}/api-docs.png`, fullPage: false });
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await context.close();
  });
});
