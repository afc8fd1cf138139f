import { afterEach, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { PAGE_CHECK_INTERVAL_MS } from '../src/web/page-cache.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const DAY = 86_400_000;
const LONDON_IP = '81.2.69.160';
/** Headers the HTTP layer adds on its own, whoever answers. */
const TRANSPORT = new Set(['date', 'connection', 'keep-alive']);

/**
 * The cached-page front (src/web/page-front.ts) answers fresh campaign pages before Fastify. It
 * must change how fast the page is answered, never what the answer is, and hand everything it is
 * not sure of to the app.
 */
describe.each(testDialects())('the campaign page answered in front of the app (%s)', (dialect) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(env: Record<string, string> = {}) {
    const clock = { page: 0, app: Date.now() };
    server = await startTestServer(dialect, env, () => clock.app, {
      pageCache: { clock: () => clock.page },
      analytics: { flushIntervalMs: 3_600_000 },
    });
    const { ctx } = server;
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'front',
        artistName: 'Front Artist',
        title: 'Front Title',
        upc: '036000291452',
        releaseAt: new Date(clock.app + 10 * DAY).toISOString(),
        timing: 'global',
        services: ['sandbox'],
      },
    );
    const get = async (path = '/front', init: RequestInit = {}) => {
      const res = await fetch(`${server!.url}${path}`, { redirect: 'manual', ...init });
      const headers = Object.fromEntries([...res.headers].filter(([k]) => !TRANSPORT.has(k)));
      return { status: res.status, body: await res.text(), headers };
    };
    const served = () => server!.app.pageFront.served;
    return { clock, get, served };
  }

  it('gives the same status, bytes and headers as the app, for each variant', async () => {
    const { get, served } = await start();
    // The first ask is the app's (it loads the campaign into the cache); after it the front answers,
    // new variants included. inject() always goes through the app, never the front.
    expect((await get('/front')).status).toBe(200);
    expect(served()).toBe(0);
    const asks: Record<string, string>[] = [
      {},
      { 'accept-language': 'fr-FR,fr;q=0.9', cookie: 'dropday_service=sandbox' },
      { 'user-agent': 'iPhone' },
    ];
    for (const headers of asks) {
      const before = served();
      const fromFront = await get('/front', { headers });
      expect(served()).toBe(before + 1);
      const app = await server!.app.inject({ url: '/front', headers });
      const fromApp = {
        status: app.statusCode,
        body: app.body,
        headers: Object.fromEntries(
          Object.entries(app.headers)
            .filter(([k]) => !TRANSPORT.has(k))
            .map(([k, v]) => [k, String(v)]),
        ),
      };
      expect(fromFront).toEqual(fromApp);
      expect(fromFront.status).toBe(200);
      expect(fromFront.body).toContain('Front Title');
      expect(fromFront.headers['content-security-policy']).toMatch(/script-src 'sha256-/);
      expect(fromFront.headers['x-frame-options']).toBe('DENY');
    }
    // A plain query (UTM tags) is the same page.
    expect((await get('/front?utm_source=ig&utm_medium=story')).body).toBe((await get('/front')).body);
  });

  it('hands the app everything it is not sure of, and the app answers as before', async () => {
    const { clock, get, served } = await start();
    await get('/front');
    const n = served();

    // HEAD (not a page view), an encoded query, a signed-in visitor, a header that is not plain
    // ASCII, a path with a trailing slash or in capitals, an unknown campaign.
    const asks: [string, RequestInit, number][] = [
      ['/front', { method: 'HEAD' }, 200],
      ['/front?utm_source=a%20b', {}, 200],
      ['/front', { headers: { cookie: `a=1; ${server!.ctx.config.accounts.sessionCookie}=not-a-session` } }, 200],
      ['/front', { headers: { 'user-agent': 'Mozilla/5.0 (Linux) Brows\u00e9r' } }, 200],
      ['/FRONT', {}, 200],
      ['/nothing-here', {}, 404],
    ];
    for (const [path, init, status] of asks) {
      expect((await get(path, init)).status).toBe(status);
      expect(served(), `${path} ${JSON.stringify(init)}`).toBe(n);
    }

    // Past the check interval the entry is not known current: the app checks, then the front serves again.
    clock.page += PAGE_CHECK_INTERVAL_MS + 1;
    expect((await get('/front')).status).toBe(200);
    expect(served()).toBe(n);
    await get('/front');
    expect(served()).toBe(n + 1);
  });

  it('an archived campaign is the app’s answer (410), not a cached page', async () => {
    const { get, served } = await start();
    await get('/front');
    await server!.ctx.db.updateTable('campaigns').set({ status: 'archived' }).where('slug', '=', 'front').execute();
    const n = served();
    expect((await get('/front')).status).toBe(410);
    expect((await get('/front')).status).toBe(410);
    expect(served()).toBe(n);
  });

  it('records the page view like the app does: place from the forwarded address, UTM tags, no bots', async () => {
    const { get, served } = await start({ TRUST_PROXY: 'true' });
    const headers = {
      'x-forwarded-for': `${LONDON_IP}, 10.0.0.1`,
      'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
      referer: 'https://l.instagram.com/',
    };
    await get('/front', { headers });
    const n = served();
    await get('/front?utm_source=ig&utm_medium=story', { headers });
    await get('/front', { headers: { ...headers, 'user-agent': 'facebookexternalhit/1.1' } });
    expect(served()).toBe(n + 2);
    await server!.app.analytics!.flush();
    const rows = await server!.ctx.db
      .selectFrom('analytics_events')
      .select(['country', 'city', 'device', 'referrer', 'utm_source', 'utm_medium'])
      .where('event', '=', 'page_view')
      .orderBy('utm_source')
      .execute();
    expect(rows).toEqual([
      { country: 'GB', city: 'London', device: 'mobile', referrer: 'instagram.com', utm_source: '', utm_medium: '' },
      { country: 'GB', city: 'London', device: 'mobile', referrer: 'instagram.com', utm_source: 'ig', utm_medium: 'story' },
    ]);
  });
});
