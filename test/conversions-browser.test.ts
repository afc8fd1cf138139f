import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { leadEventId } from '../src/conversions/identifiers.js';
import { ARTIFACTS, CHROMIUM, openPage, withServerAndBrowser } from './helpers/browser.js';
import { artistWithCampaign } from './helpers/artist-campaign.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { startMetaFake, type MetaFake } from './fakes/meta-capi/index.js';
import { startTiktokFake, type TiktokFake } from './fakes/tiktok-events/index.js';
import { startGa4Fake, type Ga4Fake } from './fakes/ga4-mp/index.js';

const META_PIXEL = '123456789012345';
const META_TOKEN = 'EAAGoodToken1234567890';
const TIKTOK_PIXEL = 'C4ABCDEFGHIJKLMNOPQR';
const TIKTOK_TOKEN = 'tiktok-good-token-0123456789';
const GA4_ID = 'G-ABC123XYZ';
const GA4_SECRET = 'ga4SecretValue123';

interface Harness extends TestServer {
  meta: MetaFake;
  tiktok: TiktokFake;
  ga4: Ga4Fake;
}

/**
 * A fan's browser whose every request off this server is answered by a stub (no internet): the
 * tracker hosts' scripts are recorded, so a test sees exactly what loaded and when.
 */
async function fanBrowser(h: {
  browser: import('playwright-core').Browser;
}): Promise<{ context: BrowserContext; page: Page; errors: string[]; trackers: string[] }> {
  const { context, page, errors } = await openPage(h.browser, { locale: 'en-US' });
  const trackers: string[] = [];
  await context.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => {
      trackers.push(route.request().url());
      const script = route.request().resourceType() === 'script';
      return route.fulfill(
        script ? { status: 200, contentType: 'text/javascript', body: 'window.__stubs = (window.__stubs || 0) + 1;' } : { status: 204 },
      );
    },
  );
  return { context, page, errors, trackers };
}

async function queued(
  s: TestServer,
): Promise<{ platform: string; event: string; event_id: string; status: string; last_error: string | null }[]> {
  return s.ctx.db.selectFrom('conversion_events').select(['platform', 'event', 'event_id', 'status', 'last_error']).orderBy('id').execute();
}

describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('conversion events after consent, in Chromium (%s)', (dialect) => {
  const h = withServerAndBrowser(async (): Promise<Harness> => {
    const [meta, tiktok, ga4] = await Promise.all([startMetaFake(), startTiktokFake(), startGa4Fake()]);
    meta.addPixel(META_PIXEL, META_TOKEN);
    tiktok.addPixel(TIKTOK_PIXEL, TIKTOK_TOKEN);
    ga4.addStream(GA4_ID, GA4_SECRET);
    const server = await startTestServer(dialect, { ...meta.env(), ...tiktok.env(), ...ga4.env() });
    return {
      ...server,
      meta,
      tiktok,
      ga4,
      async close() {
        await server.close();
        await Promise.all([meta.close(), tiktok.close(), ga4.close()]);
      },
    };
  });

  it('asks first, sends page view and pre-save with the page’s event ids only after Allow, nothing after No thanks; a refused token is shown', async () => {
    const s = h.server;
    const { ctx } = s;
    // The artist's side: the editor's "Conversion tracking" panel.
    const artist = await openPage(h.browser);
    await artistWithCampaign(artist.page, ctx, s.url, Date.now() + 30 * 86_400_000);
    const edit = `${s.url}/w/neon-rain/campaigns/afterglow/edit`;
    await artist.page.goto(`${edit}#conversions`);
    const panel = artist.page.locator('#conversions');
    // A mistake first: a pixel id of the wrong shape and a TikTok code without its token.
    await panel.getByLabel('Meta pixel id').fill('12345');
    await panel.getByLabel('Conversions API access token').fill(META_TOKEN);
    await panel.getByLabel('TikTok pixel code').fill(TIKTOK_PIXEL);
    await panel.getByRole('button', { name: 'Save conversion tracking' }).click();
    await artist.page.locator('#meta_pixel_id-error').waitFor();
    expect(await artist.page.locator('#meta_pixel_id-error').textContent()).toContain('15 or 16 digits');
    expect(await artist.page.locator('#tiktok_token-error').textContent()).toContain('paste the Events API access token');
    expect(await ctx.db.selectFrom('conversion_settings').selectAll().execute()).toEqual([]);
    // The token typed is not sent back into the page.
    expect(await artist.page.content()).not.toContain(META_TOKEN);

    await panel.getByLabel('Meta pixel id').fill(META_PIXEL);
    await panel.getByLabel('Conversions API access token').fill(META_TOKEN);
    await panel.getByLabel('TikTok pixel code').fill(TIKTOK_PIXEL);
    await panel.getByLabel('Events API access token').fill(TIKTOK_TOKEN);
    await panel.getByLabel('GA4 measurement id').fill(GA4_ID);
    await panel.getByLabel('Measurement Protocol API secret').fill(GA4_SECRET);
    await panel.getByRole('button', { name: 'Save conversion tracking' }).click();
    await artist.page.getByText('Conversion tracking saved.').waitFor();
    expect(await artist.page.locator('[data-secret-set]').count()).toBe(3);
    expect(await artist.page.content()).not.toContain(META_TOKEN);
    const stored = await ctx.db.selectFrom('conversion_settings').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(META_TOKEN);
    expect(stored.meta_pixel_id).toBe(META_PIXEL);

    s.worker.start();

    // A fan who allows it.
    const fan = await fanBrowser(h);
    await fan.page.goto(`${s.url}/afterglow`);
    const prompt = fan.page.locator('[data-tracking]');
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain('Allow Neon Rain’s ad partners (Meta, TikTok, Google) to measure this visit?');
    await fan.page.screenshot({ path: `${ARTIFACTS}/conversions-prompt.png`, fullPage: true });
    expect(fan.trackers).toEqual([]);
    expect(await queued(s)).toEqual([]);

    await prompt.getByRole('button', { name: 'Allow' }).click();
    await fan.page.waitForFunction(() => (window as unknown as { __stubs?: number }).__stubs === 2);
    expect(fan.trackers.some((u) => u.startsWith('https://connect.facebook.net/'))).toBe(true);
    expect(fan.trackers.some((u) => u.startsWith('https://analytics.tiktok.com/'))).toBe(true);
    const ids = await fan.page.evaluate(() => {
      const w = window as unknown as { fbq: { queue: unknown[][] }; ttq: unknown[][] };
      const fb = w.fbq.queue.map((a) => Array.from(a)).find((a) => a[0] === 'track') as [string, string, object, { eventID: string }];
      const tt = w.ttq.find((a) => a[0] === 'track') as [string, string, object, { event_id: string }];
      return { fb: fb[3].eventID, fbName: fb[1], tt: tt[3].event_id, ttName: tt[1] };
    });
    expect(ids.fb).toBe(ids.tt);
    expect(ids.fbName).toBe('PageView');
    const metaViews = await waitFor(async () => h.server.meta.events.get(META_PIXEL)?.filter((e) => e.event_name === 'PageView'), {
      what: 'Meta page view',
    });
    if (!metaViews) throw new Error('waitFor returned nothing');
    expect(metaViews.map((e) => e.event_id)).toEqual([ids.fb]);
    const tiktokViews = await waitFor(async () => h.server.tiktok.events.get(TIKTOK_PIXEL)?.filter((e) => e.event === 'ViewContent'), {
      what: 'TikTok view',
    });
    if (!tiktokViews) throw new Error('waitFor returned nothing');
    expect(tiktokViews.map((e) => e.event_id)).toEqual([ids.fb]);
    await waitFor(async () =>
      h.server.ga4.hits.some((x) => x.body.events?.[0]?.name === 'page_view' && x.body.events[0].params?.event_id === ids.fb),
    );
    expect(h.server.ga4.hits.every((x) => x.secretOk && x.valid)).toBe(true);
    expect(metaViews[0]!.user_data.external_id).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);

    // The pre-save, from the same browser: a lead with the pre-save's event id on both platforms.
    await fan.page.getByRole('button', { name: 'Pre-save on Sandbox' }).click();
    await fan.page.waitForURL(/\/sandbox\/authorize/);
    await fan.page.getByLabel('Sandbox username').fill('pixelfan');
    await fan.page.getByRole('button', { name: 'Allow' }).click();
    await fan.page.waitForURL(/\/p\//);
    const publicId = new URL(fan.page.url()).pathname.split('/')[2]!;
    const leadId = leadEventId(ctx, publicId);
    const metaLead = await waitFor(async () => h.server.meta.events.get(META_PIXEL)?.find((e) => e.event_name === 'Lead'), {
      what: 'Meta lead',
    });
    if (!metaLead) throw new Error('waitFor returned nothing');
    expect(metaLead.event_id).toBe(leadId);
    const tiktokLead = await waitFor(async () => h.server.tiktok.events.get(TIKTOK_PIXEL)?.find((e) => e.event === 'SubmitForm'), {
      what: 'TikTok lead',
    });
    if (!tiktokLead) throw new Error('waitFor returned nothing');
    expect(tiktokLead.event_id).toBe(leadId);
    // The receipt's capability and the browser's raw cookie never leave Dropday.
    const fanCookie = (await fan.context.cookies()).find((c) => c.name === 'dropday_fan')!.value;
    for (const body of [...h.server.meta.bodies, ...h.server.tiktok.bodies, ...h.server.ga4.bodies]) {
      expect(body).not.toContain(publicId);
      expect(body).not.toContain(fanCookie);
    }
    expect(fan.errors).toEqual([]);

    // A fan who says no: nothing loads, nothing is queued, now or on the next visit.
    const before = (await queued(s)).length;
    const no = await fanBrowser(h);
    await no.page.goto(`${s.url}/afterglow`);
    await no.page.locator('[data-tracking]').getByRole('button', { name: 'No thanks' }).click();
    // The question goes; a small way back stays (taking an answer back is as easy as giving it).
    await no.page.locator('[data-tracking-ask]').waitFor({ state: 'hidden' });
    await no.page.getByRole('button', { name: 'Change your ad-measurement choice' }).waitFor();
    await no.page.reload();
    await no.page.getByRole('button', { name: 'Change your ad-measurement choice' }).waitFor();
    expect(await no.page.locator('[data-tracking-ask]').isHidden()).toBe(true);
    expect(no.trackers).toEqual([]);
    const denied = await ctx.db.selectFrom('conversion_consents').select(['choice', 'text']).where('choice', '=', 'deny').execute();
    expect(denied).toEqual([{ choice: 'deny', text: 'Allow Neon Rain’s ad partners (Meta, TikTok, Google) to measure this visit?' }]);
    expect((await queued(s)).length).toBe(before);

    // The artist's Meta token stops working: the next event fails for good, and the editor says so.
    h.server.meta.addPixel(META_PIXEL, 'EAARotatedElsewhere999');
    await fan.page.goto(`${s.url}/afterglow`);
    const refused = await waitFor(async () => (await queued(s)).find((e) => e.platform === 'meta' && e.status === 'failed'), {
      what: 'a failed Meta event',
    });
    if (!refused) throw new Error('waitFor returned nothing');
    expect(refused.last_error).toContain('Meta refused the access token');
    await artist.page.goto(`${edit}#conversions`);
    const today = new Date().toISOString().slice(0, 10);
    expect(await artist.page.locator('[data-refused="meta"]').textContent()).toContain(`Meta refused the access token on ${today}`);
    await artist.page.screenshot({ path: `${ARTIFACTS}/conversions-editor-refused.png`, fullPage: true });
    // Not retried: the Meta fake saw the refused event once.
    expect(h.server.meta.refusals.filter((r) => r.code === 190)).toHaveLength(1);

    // The way back: the panel lists the event; it cannot go again until the token is replaced.
    const failedMeta = artist.page.locator('[data-failed="meta"]');
    expect(await failedMeta.textContent()).toContain('Meta: 1 event (last: Meta refused the access token');
    expect(await failedMeta.textContent()).toContain('all recent enough to send again');
    expect(await artist.page.getByRole('button', { name: 'Send them again' }).count()).toBe(0);
    await artist.page.locator('#conversions').getByLabel('Conversions API access token').fill('EAARotatedElsewhere999');
    await artist.page.getByRole('button', { name: 'Save conversion tracking' }).click();
    await artist.page.getByText('Conversion tracking saved.').waitFor();
    expect(await artist.page.locator('[data-refused="meta"]').count()).toBe(0);
    const acceptedBefore = h.server.meta.events.get(META_PIXEL)?.length ?? 0;
    await artist.page.getByRole('button', { name: 'Send them again' }).click();
    await artist.page.getByText('The failed events still recent enough are being sent again.').waitFor();
    await waitFor(async () => (await queued(s)).find((e) => e.event_id === refused.event_id && e.platform === 'meta')?.status === 'sent', {
      what: 'the failed Meta event sent again',
    });
    const resent = h.server.meta.events.get(META_PIXEL)!.slice(acceptedBefore);
    expect(resent.map((e) => e.event_id)).toEqual([refused.event_id]);
    await artist.page.reload();
    expect(await artist.page.locator('[data-failed-events]').count()).toBe(0);
    await Promise.all([artist.context.close(), fan.context.close(), no.context.close()]);
  });
});
