import fs from 'node:fs';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { getCampaignBySlug } from '../src/campaigns/repo.js';
import { createCampaign } from '../src/campaigns/service.js';
import { clientWords, direction, formatInstant, isolate, t, type Lang } from '../src/i18n/index.js';
import { consentText } from '../src/web/views/campaign-page.js';
import { CHROMIUM, openPage, withServerAndBrowser } from './helpers/browser.js';
import { testDialects } from './helpers/db.js';
import { startTestServer } from './helpers/server.js';
import { FanBrowser } from './helpers/fan.js';

/**
 * The fan's side in Hindi, Bengali, Arabic (right to left) and German, in Chromium: the campaign
 * page, its consent text and the receipt, the language chosen by Accept-Language (the browser's
 * locale or header) or by `?lang=`, and remembered on the pre-save so the receipt keeps it.
 * Screenshots of every page land in test-results/screenshots/.
 */
const SHOTS = 'test-results/screenshots';
const SERVICE = 'Sandbox';

interface Case {
  lang: Lang;
  by: 'accept-language' | 'query';
  context: BrowserContextOptions;
}

const CASES: Case[] = [
  { lang: 'hi', by: 'accept-language', context: { locale: 'hi-IN', timezoneId: 'Asia/Kolkata' } },
  { lang: 'bn', by: 'query', context: { locale: 'en-US', timezoneId: 'Asia/Dhaka' } },
  {
    lang: 'ar',
    by: 'accept-language',
    context: { extraHTTPHeaders: { 'accept-language': 'ar-EG,ar;q=0.9,en;q=0.5' }, timezoneId: 'Africa/Cairo' },
  },
  { lang: 'de', by: 'query', context: { locale: 'en-GB', timezoneId: 'Europe/Berlin' } },
  { lang: 'hi', by: 'query', context: { locale: 'de-DE', timezoneId: 'Asia/Kolkata' } },
  { lang: 'de', by: 'accept-language', context: { locale: 'de-AT', timezoneId: 'Europe/Vienna' } },
  { lang: 'bn', by: 'accept-language', context: { extraHTTPHeaders: { 'accept-language': 'ja;q=0.9, bn-BD;q=0.8' } } },
  { lang: 'ar', by: 'query', context: { locale: 'fr-FR', timezoneId: 'Asia/Dubai' } },
];

async function htmlAttrs(page: Page): Promise<{ lang: string | null; dir: string | null }> {
  return page.evaluate(() => ({ lang: document.documentElement.getAttribute('lang'), dir: document.documentElement.getAttribute('dir') }));
}

/** Where a block's first character sits, against the block's own box: right to left starts at the right edge. */
async function firstCharacterSide(page: Page, selector: string): Promise<{ direction: string; fromStart: number; fromEnd: number }> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const text = el.firstChild!;
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, 1);
      const ch = range.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      const rtl = getComputedStyle(el).direction === 'rtl';
      return {
        direction: getComputedStyle(el).direction,
        fromStart: rtl ? box.right - ch.right : ch.left - box.left,
        fromEnd: rtl ? ch.left - box.left : box.right - ch.right,
      };
    });
}

describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('fan pages in the fan’s language, in Chromium (%s)', (dialect) => {
  const held = withServerAndBrowser(async () => {
    const server = await startTestServer(dialect);
    const { ctx } = server;
    const campaign = await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'welt',
        artistName: 'Asha Noor',
        title: 'Monsoon Lights',
        upc: '036000291452',
        releaseAt: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10),
        timing: 'local',
        services: ['sandbox'],
        followArtist: true,
      },
    );
    await ctx.db
      .insertInto('campaign_editor')
      .values({ campaign_id: campaign.id, languages: JSON.stringify(['en', 'de', 'hi', 'bn', 'ar']), updated_at: ctx.now() })
      .execute();
    fs.mkdirSync(SHOTS, { recursive: true });
    return server;
  });

  it.each(CASES)('$lang chosen by $by: campaign page, consent, countdown and receipt', async ({ lang, by, context }) => {
    const { server, browser } = held;
    const { page, errors, context: ctxt } = await openPage(browser, context);
    const name = `${lang}-by-${by}-${dialect}`;
    const username = `fan-${lang.toLowerCase()}-${by === 'query' ? 'q' : 'al'}-${dialect}`;
    const campaign = await getCampaignBySlug(server.ctx.db, 'welt');

    await page.goto(`${server.url}/welt${by === 'query' ? `?lang=${lang}` : ''}`);
    expect(await htmlAttrs(page)).toEqual({ lang, dir: direction(lang) });
    // The artist's words as entered; Dropday's in the fan's language.
    expect(await page.locator('h1').textContent()).toBe('Monsoon Lights');
    const button = page.getByRole('button', { name: t(lang, 'campaign.presave_on', { service: isolate(lang, SERVICE) }) });
    await expect.poll(() => button.count()).toBe(1);
    expect(await page.locator('[data-consent="sandbox"]').textContent()).toBe(
      t(lang, 'consent.for_service', { service: isolate(lang, SERVICE), text: consentText(campaign, 'sandbox', lang) }),
    );
    // The countdown runs in the browser with the language's words.
    const [before, after] = (clientWords(lang, 'campaign.countdown_left') as string).split('{time}') as [string, string];
    await page.waitForFunction(
      ([b, a]) => {
        const text = document.getElementById('countdown')?.textContent ?? '';
        return text.startsWith(b!) && text.endsWith(a!) && /\d|[०-९]|[০-৯]|[٠-٩]/.test(text);
      },
      [before, after],
    );

    const consent = await firstCharacterSide(page, '[data-consent="sandbox"]');
    expect(consent.direction).toBe(direction(lang));
    // Text starts at the block's start edge: the right one in Arabic, the left one otherwise.
    expect(consent.fromStart).toBeLessThan(4);
    if (lang === 'ar') {
      const box = await page.locator('[data-consent="sandbox"]').boundingBox();
      const card = await page.locator('.card').boundingBox();
      expect(consent.fromEnd).toBeGreaterThan(20);
      expect(Math.abs(box!.x + box!.width - (card!.x + card!.width - 24))).toBeLessThan(2);
    }
    await page.screenshot({ path: `${SHOTS}/campaign-${name}.png`, fullPage: true });

    await button.click();
    await page.waitForURL(/\/sandbox\/authorize/);
    await page.getByLabel('Sandbox username').fill(username);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/\/p\//);

    const presave = await server.ctx.db.selectFrom('presaves').selectAll().where('account_id', '=', username).executeTakeFirstOrThrow();
    expect(presave.lang).toBe(lang);
    expect(await htmlAttrs(page)).toEqual({ lang, dir: direction(lang) });
    expect(await page.locator('h1').textContent()).toBe(t(lang, 'receipt.heading'));
    expect((await page.locator('[data-status]').textContent())?.trim()).toBe(
      t(lang, 'receipt.scheduled', {
        date: formatInstant(presave.due_at, presave.timezone, lang),
        title: isolate(lang, 'Monsoon Lights'),
        artist: isolate(lang, 'Asha Noor'),
        service: isolate(lang, SERVICE),
        follow: 'yes',
      }),
    );
    expect(await page.getByRole('button', { name: t(lang, 'receipt.erase') }).count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/receipt-${name}.png`, fullPage: true });
    expect(errors).toEqual([]);

    // Remembered: the receipt reads in the fan's language in any browser, unless ?lang= asks otherwise.
    const receipt = page.url();
    const { page: other, context: otherContext } = await openPage(browser, { locale: 'en-US' });
    await other.goto(receipt);
    expect(await htmlAttrs(other)).toEqual({ lang, dir: direction(lang) });
    expect(await other.locator('h1').textContent()).toBe(t(lang, 'receipt.heading'));
    await other.goto(`${receipt}?lang=en`);
    expect(await other.locator('h1').textContent()).toBe("You're all set");
    await otherContext.close();
    await ctxt.close();
  });

  it('a receipt read in another language (?lang=) stays in it after Cancel and Erase', async () => {
    const { server, browser } = held;
    // Pre-saved in English (the campaign's first language); read in German on an English browser.
    const thanks = await new FanBrowser().presave(server.url, 'welt', `fan-switch-${dialect}`, 'Europe/Berlin');
    const { page, errors, context } = await openPage(browser, { locale: 'en-US' });
    await page.goto(`${thanks}?lang=de`);
    expect(await page.locator('h1').textContent()).toBe(t('de', 'receipt.heading'));
    await Promise.all([page.waitForURL(/\/p\/[^/]+\?lang=de$/), page.getByRole('button', { name: t('de', 'receipt.cancel') }).click()]);
    expect(await htmlAttrs(page)).toEqual({ lang: 'de', dir: 'ltr' });
    expect(await page.locator('[data-status]').textContent()).toBe(t('de', 'receipt.cancelled'));
    await page.getByRole('button', { name: t('de', 'receipt.erase') }).click();
    await expect.poll(() => page.locator('[data-status="erased"] h1').textContent()).toBe(t('de', 'receipt.erased_heading'));
    expect(await htmlAttrs(page)).toEqual({ lang: 'de', dir: 'ltr' });
    await page.screenshot({ path: `${SHOTS}/erased-de-by-query-${dialect}.png`, fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a receipt asked for in a language the campaign does not offer stays in the fan’s own', async () => {
    const { server, browser } = held;
    const username = `fan-remembered-${dialect}`;
    const thanks = await new FanBrowser().presave(server.url, 'welt', username, 'Asia/Kolkata');
    // As if pre-saved from the Hindi page (the language the pre-save keeps).
    await server.ctx.db.updateTable('presaves').set({ lang: 'hi' }).where('account_id', '=', username).execute();
    const { page, context } = await openPage(browser, { locale: 'en-US' });
    await page.goto(`${thanks}?lang=fr`); // welt is offered in en, de, hi, bn, ar: not French
    expect(await htmlAttrs(page)).toEqual({ lang: 'hi', dir: 'ltr' });
    expect(await page.locator('h1').textContent()).toBe(t('hi', 'receipt.heading'));
    await context.close();
  });

  it('a language the campaign does not offer falls back to its first; an error page follows ?lang= and dir', async () => {
    const { server, browser } = held;
    const { page, context } = await openPage(browser, { locale: 'es-ES' });
    await page.goto(`${server.url}/welt?lang=fr`);
    expect(await htmlAttrs(page)).toEqual({ lang: 'en', dir: 'ltr' });
    expect(await page.getByRole('button', { name: 'Pre-save on Sandbox' }).count()).toBe(1);

    const res = await page.goto(`${server.url}/no-such-campaign?lang=ar`);
    expect(res?.status()).toBe(404);
    expect(await htmlAttrs(page)).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(await page.locator('h1').textContent()).toBe(t('ar', 'errors.title_campaign_not_found'));
    expect(await page.locator('[role=alert] p').first().textContent()).toBe(t('ar', 'errors.campaign_not_found'));
    await page.screenshot({ path: `${SHOTS}/error-ar-${dialect}.png`, fullPage: true });
    // A campaign's title inside an Arabic error message is isolated, like on every fan page.
    expect((await page.goto(`${server.url}/welt/escape/spotify?lang=ar`))?.status()).toBe(400);
    expect(await page.locator('[role=alert] p').first().textContent()).toBe(
      t('ar', 'errors.service_not_offered_named', { title: isolate('ar', 'Monsoon Lights') }),
    );
    await context.close();
  });
});
