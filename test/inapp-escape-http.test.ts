import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { startSpotifyFake, type SpotifyFake } from './fakes/spotify/index.js';
import { INAPP_UA, ORDINARY_UA } from './helpers/user-agents.js';
import { ESCAPE_ID_TTL_MS } from '../src/web/inapp/escape.js';

/**
 * The in-app rescue over HTTP: ordinary visitors keep their bytes, the step's hop only ever lands
 * on the campaign, escape ids that are not ours are ignored, and the id reaches the OAuth state.
 */
describe.each(testDialects())('in-app rescue routes (%s)', (dialect) => {
  let server: TestServer;
  let spotify: SpotifyFake;
  let campaignId: number;
  // The server's clock: real time, moved forward by the test of an old escape id.
  let skew = 0;
  beforeAll(async () => {
    spotify = await startSpotifyFake();
    // The page cache's clock stands still: a loaded page stays known current, so the page front
    // answers every view after the first (campaigns do not change in this file after their pages load).
    server = await startTestServer(dialect, spotify.env(), () => Date.now() + skew, {
      analytics: { flushIntervalMs: 3_600_000 },
      pageCache: { clock: () => 0 },
    });
    const { ctx } = server;
    const common = {
      artistName: 'A',
      title: 'T',
      upc: '036000291452',
      releaseAt: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 16),
      timezone: 'UTC',
      timing: 'global' as const,
    };
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    campaignId = (await createCampaign(deps, { ...common, slug: 'rescue', services: ['spotify', 'sandbox'] })).id;
    await createCampaign(deps, { ...common, slug: 'plain', services: ['sandbox'] });
    await createCampaign(deps, { ...common, slug: 'shelved', services: ['spotify'] });
    await ctx.db.updateTable('campaigns').set({ status: 'archived' }).where('slug', '=', 'shelved').execute();
  });
  afterAll(async () => {
    await server?.close();
    await spotify?.close();
  });

  const get = (path: string, ua: string) => fetch(`${server.url}${path}`, { headers: { 'user-agent': ua }, redirect: 'manual' });
  const page = async (path: string, ua: string) => (await get(path, ua)).text();
  /** An escape id as the step issues it (in the app, the Spotify button's first stop). */
  async function issuedEsc(): Promise<string> {
    const res = await get('/rescue/escape/spotify', INAPP_UA.instagramIos);
    expect(res.status).toBe(303);
    return new URL(res.headers.get('location')!, server.url).searchParams.get('esc')!;
  }

  it('ordinary visitors get the same page whatever the query; in an app, Spotify goes through the step', async () => {
    const plain = await page('/rescue', ORDINARY_UA.chromeDesktop);
    expect(await page('/rescue?service=napster&esc=made-up', ORDINARY_UA.chromeDesktop)).toBe(plain);
    expect(plain).toContain('action="/connect/spotify"');
    expect(plain).not.toContain('data-inapp');

    const inApp = await page('/rescue', INAPP_UA.tiktokAndroid);
    expect(inApp).toContain('action="/rescue/escape/spotify"');
    expect(inApp).toContain('action="/connect/sandbox"');
    expect(inApp).toContain('data-inapp="tiktok"');
    // A campaign without a service that breaks in apps: nothing to rescue, the ordinary page.
    expect(await page('/plain', INAPP_UA.tiktokAndroid)).toBe(await page('/plain', ORDINARY_UA.chromeDesktop));
  });

  it('the fan’s language goes along every hop: step, continue-here form, landing page', async () => {
    // The campaign page's forms carry ?lang=; the step issues an escape id and keeps it.
    const first = await get('/rescue/escape/spotify?lang=de', INAPP_UA.instagramIos);
    expect(first.status).toBe(303);
    const step = new URL(first.headers.get('location')!, server.url);
    expect(step.searchParams.get('lang')).toBe('de');
    const stepPage = await page(`${step.pathname}${step.search}`, INAPP_UA.instagramIos);
    expect(stepPage).toContain('<html lang="de" dir="ltr">');
    expect(stepPage).toContain('<input type="hidden" name="lang" value="de" />');
    expect(stepPage).toContain(`lang=de`);
    // Opened in the phone's browser: the campaign, the service chosen, still in German.
    const hop = await get(`${step.pathname}${step.search}`, ORDINARY_UA.safariIos);
    expect(hop.status).toBe(303);
    const landing = new URL(hop.headers.get('location')!, server.url);
    expect(landing.searchParams.get('lang')).toBe('de');
    expect(await page(`${landing.pathname}${landing.search}`, ORDINARY_UA.safariIos)).toContain('<html lang="de" dir="ltr">');
  });

  it('the page front answers in-app and after-hop visitors exactly as the app does', async () => {
    const esc = await issuedEsc();
    for (const [path, ua] of [
      ['/rescue', INAPP_UA.tiktokIos],
      ['/rescue?service=spotify', ORDINARY_UA.safariIos],
      [`/rescue?service=spotify&esc=${esc}`, ORDINARY_UA.safariIos],
    ] as const) {
      await get(path, ua); // loads the campaign into the cache if it is not there
      const before = server.app.pageFront.served;
      const fronted = await page(path, ua);
      expect(server.app.pageFront.served).toBe(before + 1);
      const app = await server.app.inject({ url: path, headers: { 'user-agent': ua } });
      expect(fronted).toBe(app.body);
    }
  });

  it('after the hop: the chosen service is focused, and only an id of ours is carried on', async () => {
    const esc = await issuedEsc();
    const landed = await page(`/rescue?service=spotify&esc=${encodeURIComponent(esc)}`, ORDINARY_UA.safariIos);
    expect(landed).toContain(`<input type="hidden" name="esc" value="${esc}" />`);
    expect(landed).toMatch(/class="btn svc-spotify" type="submit" autofocus>/);
    const forged = `${esc.slice(0, 17)}${'A'.repeat(16)}`;
    const notOurs = await page(`/rescue?service=spotify&esc=${encodeURIComponent(forged)}`, ORDINARY_UA.safariIos);
    expect(notOurs).not.toContain('name="esc"');
    expect(notOurs).toContain('data-chosen="spotify"');
  });

  it('the hop lands only on the campaign: real browser, forged id, in-app on a service without the problem', async () => {
    const esc = await issuedEsc();
    const taken = await get(`/rescue/escape/spotify?esc=${encodeURIComponent(esc)}`, ORDINARY_UA.chromeAndroid);
    expect([taken.status, taken.headers.get('location')]).toEqual([303, `/rescue?service=spotify&esc=${encodeURIComponent(esc)}`]);
    const forged = await get('/rescue/escape/spotify?esc=AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAA', ORDINARY_UA.chromeAndroid);
    expect(forged.headers.get('location')).toBe('/rescue?service=spotify');
    const fresh = await get('/rescue/escape/spotify?esc=AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAA', INAPP_UA.instagramIos);
    expect(fresh.headers.get('location')).toMatch(/^\/rescue\/escape\/spotify\?esc=/);
    expect(fresh.headers.get('location')).not.toContain('AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAA');
    const sandbox = await get('/rescue/escape/sandbox', INAPP_UA.instagramIos);
    expect([sandbox.status, sandbox.headers.get('location')]).toEqual([303, '/rescue?service=sandbox']);
    // The step's own page: per fan, never cached; its links name only PUBLIC_URL.
    const step = await get(`/rescue/escape/spotify?esc=${encodeURIComponent(esc)}`, INAPP_UA.lineIos);
    expect(step.headers.get('cache-control')).toBe('no-store');
    const body = await step.text();
    expect(body).toContain(`href="${server.url}/rescue/escape/spotify?esc=${encodeURIComponent(esc)}&amp;openExternalBrowser=1"`);
  });

  it('mistakes get a clear 4xx, never a redirect elsewhere', async () => {
    const unknown = await get('/rescue/escape/napster', INAPP_UA.instagramIos);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('is not offered on this service');
    expect((await get('/rescue/escape/tidal', INAPP_UA.instagramIos)).status).toBe(400); // not one of the campaign's
    expect((await get('/nowhere/escape/spotify', INAPP_UA.instagramIos)).status).toBe(404);
    const archived = await get('/shelved/escape/spotify', INAPP_UA.instagramIos);
    expect(archived.status).toBeGreaterThanOrEqual(400);
    expect(archived.status).toBeLessThan(500);
    expect(archived.headers.get('location')).toBeNull();
  });

  it('the escape id rides along with the OAuth state; one that is not ours does not', async () => {
    const esc = await issuedEsc();
    const states = () => server.ctx.db.selectFrom('oauth_states').select('escape').orderBy('created_at').execute();
    await server.ctx.db.deleteFrom('oauth_states').execute();
    const start = (e: string) =>
      get(`/connect/spotify?campaign=rescue&tz=UTC&esc=${encodeURIComponent(e)}`, ORDINARY_UA.safariIos).then((r) => r.status);
    expect(await start(esc)).toBe(302);
    expect(await start('AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAA')).toBe(302);
    expect((await states()).map((s) => s.escape).sort()).toEqual([esc, null].sort());
  });

  it('an old escape id (a landing address shared later) lands on the campaign but is not carried or counted', async () => {
    const esc = await issuedEsc();
    skew = ESCAPE_ID_TTL_MS + 60_000;
    try {
      const hop = await get(`/rescue/escape/spotify?esc=${encodeURIComponent(esc)}`, ORDINARY_UA.chromeAndroid);
      expect([hop.status, hop.headers.get('location')]).toEqual([303, '/rescue?service=spotify']);
      const landed = await page(`/rescue?service=spotify&esc=${encodeURIComponent(esc)}`, ORDINARY_UA.safariIos);
      expect(landed).toContain('data-chosen="spotify"');
      expect(landed).not.toContain('name="esc"');
      await server.ctx.db.deleteFrom('oauth_states').execute();
      const start = await get(`/connect/spotify?campaign=rescue&tz=UTC&esc=${encodeURIComponent(esc)}`, ORDINARY_UA.safariIos);
      expect(start.status).toBe(302);
      expect(await server.ctx.db.selectFrom('oauth_states').select('escape').execute()).toEqual([{ escape: null }]);
    } finally {
      skew = 0;
    }
  });

  it('records in-app views by app and the step shown and taken', async () => {
    await server.app.analytics!.flush();
    await server.ctx.db.deleteFrom('analytics_events').execute();
    // The first view loads the page into the cache (the app answers); the second is answered in
    // front of the app (web/page-front.ts), which records the in-app view too.
    await get('/rescue', INAPP_UA.instagramAndroid);
    const front = server.app.pageFront.served;
    await get('/rescue', INAPP_UA.instagramAndroid);
    expect(server.app.pageFront.served).toBe(front + 1);
    const esc = await issuedEsc();
    await get(`/rescue/escape/spotify?esc=${encodeURIComponent(esc)}`, ORDINARY_UA.safariIos);
    await server.app.analytics!.flush();
    const events = await server.ctx.db
      .selectFrom('analytics_events')
      .select(['event', 'service'])
      .where('campaign_id', '=', campaignId)
      .orderBy('event')
      .execute();
    expect(events).toEqual([
      { event: 'escape_shown', service: 'spotify' },
      { event: 'escape_taken', service: 'spotify' },
      { event: 'inapp_view', service: 'instagram' },
      { event: 'inapp_view', service: 'instagram' },
      { event: 'page_view', service: '' },
      { event: 'page_view', service: '' },
    ]);
  });
});
