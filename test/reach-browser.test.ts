import fs from 'node:fs';
import ICAL from 'ical.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { instantOf } from '../src/campaigns/timing.js';
import { axeProblems } from './helpers/axe.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { startSpotifyFake, type SpotifyFake } from './fakes/spotify/index.js';

/** How long a page may take to show its answer on a busy machine (a bound on a wait, not a timing assertion). */
const POLL_MS = 15_000;

/**
 * In Chromium: a fan whose Spotify account is not on the Development Mode app's allow-list (the
 * Spotify fake answers /v1/me with Spotify's 403 "User not registered in the Developer
 * Dashboard") ends on a page that says so plainly and offers the reminder and the calendar; the
 * page script gives the calendar link the fan's zone; the receipt page's forever save forms.
 */
const NOW = Date.parse('2030-06-01T12:00:00Z');

describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('reaching a fan no API serves, in Chromium (%s)', (dialect) => {
  let server: TestServer;
  let spotify: SpotifyFake;
  let browser: Browser;
  beforeAll(async () => {
    spotify = await startSpotifyFake({ now: () => NOW });
    // Development Mode with its allow-list on: only this listener may use the app.
    spotify.state.allowUser('listed-fan');
    server = await startTestServer(dialect, spotify.env(), () => NOW);
    spotify.state.registerRedirectUri(`${server.url}/callback/spotify`);
    const { ctx } = server;
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'devmode',
        artistName: 'Testing Period',
        title: 'Allow List',
        upc: '036000291452',
        releaseAt: '2030-06-10T00:00',
        timezone: 'UTC',
        timing: 'local',
        services: ['spotify', 'sandbox'],
      },
    );
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await spotify?.close();
  });

  it('a Development Mode refusal ends on a page that offers the reminder and the calendar, nothing stored', async () => {
    const { context, page, errors } = await openPage(browser, { timezoneId: 'Australia/Adelaide', locale: 'en-US' });
    await page.goto(`${server.url}/devmode?lang=en`);
    await page.getByRole('button', { name: 'Pre-save on Spotify' }).click();
    await page.waitForURL((url) => url.toString().startsWith(spotify.url));
    await page.getByLabel('Spotify username').fill('not-listed');
    const answer = page.waitForResponse((r) => r.url().startsWith(`${server.url}/callback/spotify`));
    await page.getByRole('button', { name: 'Agree' }).click();
    expect((await answer).status()).toBe(403);
    await page.waitForURL((url) => url.toString().startsWith(`${server.url}/callback/spotify`));
    expect(await page.locator('h1').textContent()).toBe('This pre-save can’t use your Spotify account');
    const text = await page.locator('main, body').first().textContent();
    expect(text).toContain('Spotify only lets this artist’s app save for a few listeners during its testing period');
    expect(text).toContain('Nothing was saved');
    const remind = page.getByRole('link', { name: 'Remind me instead' });
    expect(await remind.getAttribute('href')).toBe('/devmode?remind=spotify&lang=en#remind');
    // The calendar, in the zone the campaign page's script sent through the sign-in.
    const ics = await page.locator('a[data-calendar="ics"]').getAttribute('href');
    expect(ics).toBe('/devmode/reminder.ics?lang=en&tz=Australia%2FAdelaide');
    const google = new URL((await page.locator('a[data-calendar="google"]').getAttribute('href'))!);
    expect(google.searchParams.get('ctz')).toBe('Australia/Adelaide');
    expect(await axeProblems(page, 'refusal page')).toBe('');
    await page.screenshot({ path: `${ARTIFACTS}/reach-refusal-${dialect}.png`, fullPage: true });
    await remind.click();
    await page.waitForURL(/\/devmode\?remind=spotify&lang=en#remind$/);
    expect(await page.locator('h1').textContent()).toBe('Allow List');
    const stored = await server.ctx.db.selectFrom('grants').select('account_id').execute();
    expect(stored).toEqual([]);
    // The refusal's own 403, and the fake Spotify's missing favicon.
    expect(errors.filter((e) => !/status of 40[34]/.test(e))).toEqual([]);
    await context.close();
  });

  it('an allow-listed fan pre-saves as always', async () => {
    const { context, page } = await openPage(browser, { timezoneId: 'UTC' });
    await page.goto(`${server.url}/devmode?lang=en`);
    await page.getByRole('button', { name: 'Pre-save on Spotify' }).click();
    await page.waitForURL((url) => url.toString().startsWith(spotify.url));
    await page.getByLabel('Spotify username').fill('listed-fan');
    await page.getByRole('button', { name: 'Agree' }).click();
    await page.waitForURL(/\/p\//);
    expect(await page.locator('h1').textContent()).toBe("You're all set");
    await context.close();
  });

  it('the campaign page’s calendar link carries the browser’s zone, and the file it gives has the fan’s midnight', async () => {
    const { context, page, errors } = await openPage(browser, { timezoneId: 'America/Sao_Paulo' });
    await page.goto(`${server.url}/devmode?lang=pt-BR`);
    const link = page.getByRole('link', { name: 'Adicionar à agenda (.ics)' });
    await expect
      .poll(() => link.getAttribute('href'), { timeout: POLL_MS })
      .toBe('/devmode/reminder.ics?lang=pt-BR&tz=America%2FSao_Paulo');
    const res = await page.request.get(`${server.url}${(await link.getAttribute('href'))!}`);
    expect(res.headers()['content-type']).toBe('text/calendar; charset=utf-8');
    const comp = new ICAL.Component(ICAL.parse(await res.text()));
    const vtz = new ICAL.Timezone(comp.getFirstSubcomponent('vtimezone')!);
    ICAL.TimezoneService.register(vtz, vtz.tzid);
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(await res.text())).getFirstSubcomponent('vevent')!);
    expect(event.startDate.toUnixTime() * 1000).toBe(instantOf('2030-06-10T00:00', 'America/Sao_Paulo'));
    expect(event.summary).toBe('Allow List — Testing Period: já disponível');
    expect(await page.getByRole('link', { name: 'Adicionar ao Google Agenda' }).count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the receipt page’s forever save: unticked is refused naming the box, ticked turns it on, stop stops it', async () => {
    const { context, page, errors } = await openPage(browser, { timezoneId: 'Europe/Berlin' });
    await page.goto(`${server.url}/devmode?lang=en`);
    await page.getByRole('button', { name: 'Pre-save on Sandbox' }).click();
    await page.waitForURL(/\/sandbox\/authorize/);
    await page.getByLabel('Sandbox username').fill('forever-fan');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/\/p\//);
    const receipt = page.url();
    const box = page.getByLabel('Also pre-save Testing Period’s future releases to my Sandbox library, until I stop it.');
    expect(await box.isChecked()).toBe(false);
    expect(await axeProblems(page, 'receipt with forever save')).toBe('');

    // Forgot the box: a clear 400 that says which box, and the way back.
    await page.getByRole('button', { name: 'Save future releases' }).click();
    await page.waitForLoadState();
    expect(await page.locator('body').textContent()).toContain('Tick “Also pre-save Testing Period’s future releases');
    await page.goto(receipt);

    await box.check();
    await page.getByRole('button', { name: 'Save future releases' }).click();
    await page.waitForURL(/#forever$/);
    expect(await page.locator('[data-forever]').getAttribute('data-forever')).toBe('on');
    expect(await page.locator('#forever').textContent()).toContain('Forever save is on since');
    await page.screenshot({ path: `${ARTIFACTS}/reach-forever-on-${dialect}.png`, fullPage: true });

    await page.getByRole('button', { name: 'Stop forever save' }).click();
    await page.waitForURL(/\/f\//);
    expect(await page.locator('[role="status"]').textContent()).toContain('Forever save is stopped');
    expect(await axeProblems(page, 'forever page')).toBe('');
    // Back on the receipt: it can be turned on again.
    await page.goto(receipt);
    expect(await page.locator('[data-forever]').getAttribute('data-forever')).toBe('offer');
    expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    await context.close();
  });
});
