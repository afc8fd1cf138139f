import type { Page } from 'playwright-core';

/** The steps the browser tests take through the account pages, as a person would. */

export interface Credentials {
  email: string;
  password: string;
}

/** The artist who signs up in the browser tests. */
export const ARTIST: Credentials = { email: 'artist@example.com', password: 'midnight synth parade' };

/**
 * Signs up on /signup and waits for /workspaces. `beforeSubmit` runs once the form is filled in
 * (a screenshot of it, say).
 */
export async function signUp(
  page: Page,
  base: string,
  who: Credentials = ARTIST,
  o: { beforeSubmit?: () => Promise<unknown> } = {},
): Promise<void> {
  await page.goto(`${base}/signup`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await o.beforeSubmit?.();
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${base}/workspaces`);
}

/** Signs in on /login and waits for /workspaces. */
export async function logIn(page: Page, base: string, who: Credentials): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/workspaces`);
}

/** On /workspaces: creates a workspace and waits for one of its pages. */
export async function createWorkspace(page: Page, ws: { name: string; slug: string }): Promise<void> {
  await page.getByLabel('Name').fill(ws.name);
  await page.getByLabel('Address').fill(ws.slug);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.waitForURL((url) => url.pathname.startsWith(`/w/${ws.slug}/`));
}
