import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { QR_PNG_SIZE } from '../src/qr/render.js';
import { RENDERS_PER_CLIENT_PER_MINUTE } from '../src/web/routes/share.js';
import { testDialects } from './helpers/db.js';
import { decodeQr as decode } from './helpers/qr-decode.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const PUBLIC_URL = 'https://presave.example.com';
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36';

describe.each(testDialects())('QR codes of the campaign link (%s)', (dialect) => {
  let server: TestServer;
  let now = Date.UTC(2026, 6, 1, 12);
  beforeAll(async () => {
    server = await startTestServer(dialect, { PUBLIC_URL }, () => now, { analytics: { flushIntervalMs: 3_600_000 } });
    const { ctx } = server;
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    const base = { artistName: 'Luna Park', upc: '036000291452', timing: 'global' as const, services: ['sandbox'] };
    const releaseAt = new Date(now + 5 * 86_400_000).toISOString();
    await createCampaign(deps, { ...base, slug: 'nightfall', title: 'Nightfall', releaseAt });
    const ended = await createCampaign(deps, { ...base, slug: 'ended', title: 'Ended', releaseAt });
    await ctx.db.updateTable('campaigns').set({ status: 'archived' }).where('id', '=', ended.id).execute();
  });
  afterAll(() => server?.close());

  const target = (medium: string) => `${PUBLIC_URL}/nightfall?utm_source=qr&utm_medium=${medium}&utm_campaign=nightfall`;

  it('the PNG decodes to the campaign link with the channel’s UTMs, at the size asked for', async () => {
    const res = await fetch(`${server.url}/nightfall/qr.png?channel=merch&size=300`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const png = Buffer.from(await res.arrayBuffer());
    expect(await decode(png)).toEqual({ text: target('merch'), width: 300, height: 300 });
    // No size: the default; the slug as typed in any case is the same campaign.
    const dflt = await decode(Buffer.from(await (await fetch(`${server.url}/NightFall/qr.png?channel=stage`)).arrayBuffer()));
    expect(dflt).toEqual({ text: target('screen'), width: QR_PNG_SIZE.default, height: QR_PNG_SIZE.default });
  });

  it('the SVG, rasterized, decodes to the same link; no channel means a poster', async () => {
    const res = await fetch(`${server.url}/nightfall/qr.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const svg = Buffer.from(await res.arrayBuffer());
    expect(svg.toString('utf8')).toMatch(/^<svg /);
    expect((await decode(svg, { density: 300 })).text).toBe(target('print'));
    const stage = Buffer.from(await (await fetch(`${server.url}/nightfall/qr.svg?channel=stage`)).arrayBuffer());
    expect((await decode(stage, { density: 300 })).text).toBe(target('screen'));
  });

  it('a size that is not a number or out of range, or an unknown channel, is a 400 naming the parameter', async () => {
    const json = { accept: 'application/json' };
    for (const size of ['abc', '12.5', '-300', `${QR_PNG_SIZE.min - 1}`, `${QR_PNG_SIZE.max + 1}`, '99999999']) {
      const res = await fetch(`${server.url}/nightfall/qr.png?size=${size}`, { headers: json });
      expect(res.status, size).toBe(400);
      const body = (await res.json()) as { error: { details: Record<string, string> } };
      expect(Object.keys(body.error.details)).toEqual(['size']);
      expect(body.error.details.size).toContain(`${QR_PNG_SIZE.min} to ${QR_PNG_SIZE.max}`);
    }
    for (const path of ['qr.png?channel=billboard', 'qr.svg?channel=billboard']) {
      const res = await fetch(`${server.url}/nightfall/${path}`, { headers: json });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { details: Record<string, string> } };
      expect(body.error.details).toEqual({ channel: 'must be one of poster, flyer, merch, stage, video' });
    }
    // A fan's browser gets the words on a page, not JSON.
    const page = await fetch(`${server.url}/nightfall/qr.png?size=huge`);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('size: must be a whole number');
  });

  it('an unknown or archived campaign answers like its page: 404 and 410', async () => {
    for (const slug of ['nobody', 'ended']) {
      const page = await fetch(`${server.url}/${slug}`);
      for (const path of ['qr.svg', 'qr.png', 'card/social.png']) {
        expect((await fetch(`${server.url}/${slug}/${path}`)).status, `${slug}/${path}`).toBe(page.status);
      }
      expect(page.status).toBe(slug === 'nobody' ? 404 : 410);
    }
  });

  it('one client may have only so many new images made a minute; cached ones are always served', async () => {
    now += 60_000; // a fresh window
    const png = (size: number) => fetch(`${server.url}/nightfall/qr.png?size=${size}`, { headers: { accept: 'application/json' } });
    for (let i = 0; i < RENDERS_PER_CLIENT_PER_MINUTE; i++) expect((await png(200 + i)).status).toBe(200);
    const refused = await png(200 + RENDERS_PER_CLIENT_PER_MINUTE);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('DROPDAY_ERR_RATE_LIMITED');
    expect((await png(200)).status).toBe(200); // made already: from the cache
    now += 60_000;
    expect((await png(200 + RENDERS_PER_CLIENT_PER_MINUTE)).status).toBe(200);
  });

  it('a scan lands on the campaign page and analytics records its UTMs', async () => {
    const scanned = new URL(target('merch'));
    // Twice: the second is answered from memory ahead of Fastify (web/page-front.ts), which must record it alike.
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${server.url}${scanned.pathname}${scanned.search}`, { headers: { 'user-agent': BROWSER } });
      expect(res.status).toBe(200);
    }
    await server.app.analytics!.flush();
    const rows = await server.ctx.db
      .selectFrom('analytics_events')
      .select(['utm_source', 'utm_medium', 'utm_campaign'])
      .where('event', '=', 'page_view')
      .where('utm_source', '=', 'qr')
      .execute();
    expect(rows).toEqual([
      { utm_source: 'qr', utm_medium: 'merch', utm_campaign: 'nightfall' },
      { utm_source: 'qr', utm_medium: 'merch', utm_campaign: 'nightfall' },
    ]);
    expect(server.app.pageFront.served).toBeGreaterThan(0);
  });
});
