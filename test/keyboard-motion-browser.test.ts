import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { ARTIFACTS, CHROMIUM, openPage, withServerAndBrowser } from './helpers/browser.js';
import { startTestServer } from './helpers/server.js';

/**
 * A fan with a keyboard alone: Tab to the service button and Enter starts the pre-save (through
 * /connect to the service's consent page), and on the thank-you page Tab and Enter cancel it —
 * every element that takes the focus on the way shows it (a computed outline, not `none`). A fan
 * who asks for less motion (`prefers-reduced-motion: reduce`) gets no animation, transition or
 * smooth scrolling, and a countdown without ticking seconds.
 */
const NOW = Date.parse('2030-06-01T12:00:00Z');

describe.skipIf(!fs.existsSync(CHROMIUM))('keyboard alone and reduced motion (Chromium)', () => {
  const held = withServerAndBrowser(async () => {
    const server = await startTestServer('sqlite', {}, () => NOW);
    const { ctx } = server;
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'keys',
        artistName: 'Quiet Hands',
        title: 'Tab Order',
        upc: '036000291452',
        releaseAt: '2030-06-10T00:00',
        timing: 'global',
        services: ['sandbox'],
      },
    );
    return server;
  });

  /** Presses Tab until the focused element matches `accessibleName` (at most `limit` times); checks each focus is visible. */
  async function tabTo(page: Page, accessibleName: RegExp, limit = 15): Promise<string[]> {
    const unseen: string[] = [];
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const s = getComputedStyle(el);
        const name = (el.getAttribute('aria-label') ?? el.textContent ?? (el as HTMLInputElement).value ?? '').trim();
        return { name: `${el.tagName.toLowerCase()} “${name}”`, text: name, outline: s.outlineStyle, width: s.outlineWidth };
      });
      if (!focused) continue;
      if (focused.outline === 'none' || focused.width === '0px') unseen.push(focused.name);
      if (accessibleName.test(focused.text)) return unseen;
    }
    throw new Error(`Tab never reached ${accessibleName}`);
  }

  it('Tab to “Pre-save on Sandbox”, Enter: /connect, the consent page; Tab to Cancel on the thank-you page, Enter: cancelled', async () => {
    const { server, browser } = held;
    const { context, page, errors } = await openPage(browser);
    await page.goto(`${server.url}/keys`);
    expect(await tabTo(page, /^Pre-save on Sandbox$/)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/keyboard-campaign-focus.png`, fullPage: true });
    const connect = page.waitForRequest((r) => new URL(r.url()).pathname === '/connect/sandbox' && r.isNavigationRequest());
    await page.keyboard.press('Enter');
    expect(new URL((await connect).url()).searchParams.get('campaign')).toBe('keys');
    await page.waitForURL(/\/sandbox\/authorize/);

    // The Sandbox's consent page, by keyboard too: the username field, then Allow.
    expect(await tabTo(page, /^$/)).toEqual([]); // the (empty) username field comes first
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('username');
    await page.keyboard.type('keyboard-fan');
    expect(await tabTo(page, /^Allow$/)).toEqual([]);
    await Promise.all([page.waitForURL(/\/p\/[A-Za-z0-9_-]+$/), page.keyboard.press('Enter')]);
    expect(await page.locator('[data-status]').getAttribute('data-status')).toBe('pending');

    // The receipt's own actions come last, after what the fan got and can do (reminders, the
    // referral link and its share buttons): every stop on the way shows its focus too.
    expect(await tabTo(page, /^Cancel this pre-save$/, 60)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/keyboard-thanks-focus.png`, fullPage: true });
    const thanks = page.url();
    const [back] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect({ url: page.url(), status: back?.status() }).toEqual({ url: thanks, status: 200 });
    expect(await page.locator('[data-status]').getAttribute('data-status')).toBe('cancelled');
    expect(await page.locator('[data-status]').textContent()).toContain('This pre-save was cancelled.');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  /** Every element's computed animation and transition durations, and the page's scroll behaviour. */
  async function motionOf(page: Page): Promise<{ moving: string[]; scroll: string; countdown: string }> {
    return page.evaluate(() => {
      // A probe with a transition and an animation of its own (set through CSSOM, which the page's CSP allows):
      // whatever a later style adds must stop too.
      const probe = document.createElement('div');
      probe.style.transition = 'opacity 1s';
      probe.style.animation = 'spin 2s infinite';
      probe.style.scrollBehavior = 'smooth';
      document.querySelector('main')!.append(probe);
      const moving = [...document.querySelectorAll('*')].flatMap((el) => {
        const s = getComputedStyle(el);
        const long = (list: string) => list.split(',').some((d) => parseFloat(d) > 0);
        return long(s.animationDuration) || long(s.transitionDuration) || s.scrollBehavior === 'smooth' ? [el.tagName.toLowerCase()] : [];
      });
      return {
        moving,
        scroll: getComputedStyle(document.documentElement).scrollBehavior,
        countdown: document.getElementById('countdown')?.textContent ?? '',
      };
    });
  }

  it('with prefers-reduced-motion: reduce nothing animates, transitions or scrolls smoothly, and the countdown shows no seconds', async () => {
    const { server, browser } = held;
    const calm = await openPage(browser, { reducedMotion: 'reduce' });
    await calm.page.goto(`${server.url}/keys`);
    const still = await motionOf(calm.page);
    expect(still.moving).toEqual([]);
    expect(still.scroll).toBe('auto');
    expect(still.countdown).toMatch(/^[\d,]+ days? \d\d:\d\d until release$/);
    await calm.page.screenshot({ path: `${ARTIFACTS}/reduced-motion-campaign.png`, fullPage: true });
    expect(calm.errors).toEqual([]);
    await calm.context.close();

    // The same page without the preference: the probe moves and the countdown ticks in seconds,
    // so the check above can tell the two apart.
    const usual = await openPage(browser, { reducedMotion: 'no-preference' });
    await usual.page.goto(`${server.url}/keys`);
    const moving = await motionOf(usual.page);
    expect(moving.moving).toEqual(['div']);
    expect(moving.countdown).toMatch(/^[\d,]+ days? \d\d:\d\d:\d\d until release$/);
    await usual.context.close();
  });
});
