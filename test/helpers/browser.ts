import fs from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's Chromium (never a downloaded browser); override with CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the browser tests leave their screenshots. */
export const ARTIFACTS = 'test-artifacts';

/**
 * Headless Chromium with the flags this closed network needs (no background calls home); makes
 * the screenshot folder too.
 */
export function launchChromium(): Promise<Browser> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Collects the page's console errors and uncaught exceptions into `errors`. */
export function recordErrors(page: Page, errors: string[]): void {
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
}

/** A new browser context and a page in it whose console errors and uncaught exceptions land in `errors`. */
export async function openPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors: string[] = [];
  recordErrors(page, errors);
  return { context, page, errors };
}

/**
 * The usual frame of a browser test suite: a server (started by `start`) and Chromium, both made
 * before the suite's tests and closed after. Read `server` and `browser` inside the tests.
 */
export function withServerAndBrowser<S extends { close(): Promise<void> }>(
  start: () => Promise<S>,
): { readonly server: S; readonly browser: Browser } {
  const held = {} as { server: S; browser: Browser };
  beforeAll(async () => {
    held.server = await start();
    held.browser = await launchChromium();
  });
  afterAll(async () => {
    await held.browser?.close();
    await held.server?.close();
  });
  return held;
}
