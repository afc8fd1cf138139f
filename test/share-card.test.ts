import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryReport } from '../src/analytics/delivery.js';
import { createCampaign } from '../src/campaigns/service.js';
import { processArtwork } from '../src/editor/artwork.js';
import { setArtwork } from '../src/editor/service.js';
import type { Campaign } from '../src/campaigns/repo.js';
import { NO_DATA_FILL } from '../src/dashboard/world-map.js';
import { erasePresave } from '../src/presaves/lifecycle/erase.js';
import { findPresaveByPublicId } from '../src/presaves/repo.js';
import { proofCardSvg, PROOF_CARD } from '../src/social/proof-card.js';
import { proofCounts } from '../src/social/proof-counts.js';
import { RENDER_GATE, RenderBusy, RenderCache } from '../src/util/render-cache.js';
import { PROOF_CARD_REFRESH_MS } from '../src/web/routes/share.js';
import { testDialects } from './helpers/db.js';
import { seedPresaves } from './helpers/presaves.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const ACCENT = '#8b5cf6';

describe.each(testDialects())('the social-proof card (%s)', (dialect) => {
  let server: TestServer;
  let campaign: Campaign;
  let now = Date.UTC(2026, 5, 1, 12);
  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => now);
    const { ctx } = server;
    campaign = await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'proof',
        artistName: 'Luna Park',
        title: 'Midnight Tides',
        upc: '036000291452',
        releaseAt: new Date(now + 7 * 86_400_000).toISOString(),
        timing: 'global',
        services: ['sandbox'],
      },
    );
    const seed = (count: number, status: 'pending' | 'saved' | 'failed' | 'cancelled', market: string | null) =>
      seedPresaves(ctx.db, { campaignId: campaign.id, count, status, market, dueAt: now + 86_400_000, createdAt: now });
    await seed(5, 'pending', 'DE'); // shown: five stand
    await seed(3, 'cancelled', 'DE'); // cancelled: not counted anywhere
    await seed(4, 'saved', 'FR'); // four: too few to show
    await seed(6, 'saved', 'BR');
    await seed(1, 'failed', 'BR'); // a failed save is still a fan who pre-saved: BR has 7
    await seed(2, 'pending', null); // no country known: counted, on no country
    // An erased pre-save is gone: not counted.
    const [erased] = await seed(1, 'pending', 'FR');
    const row = await ctx.db.selectFrom('presaves').select('public_id').where('id', '=', erased!).executeTakeFirstOrThrow();
    await erasePresave(ctx, (await findPresaveByPublicId(ctx.db, row.public_id))!);
  });
  afterAll(() => server?.close());

  it('counts the pre-saves that stand, as the dashboard does, and only countries with five or more', async () => {
    const counts = await proofCounts(server.ctx.db, campaign.id);
    const report = await deliveryReport(server.ctx.db, campaign.id, now);
    expect(counts.total).toBe(18);
    expect(counts.total).toBe(report.total - report.cancelled);
    expect([...counts.countries.entries()].sort()).toEqual([
      ['BR', 7],
      ['DE', 5],
    ]);
  });

  it('the SVG that is rasterized says the count and fills exactly the countries shown', async () => {
    const counts = await proofCounts(server.ctx.db, campaign.id);
    const svg = proofCardSvg({ campaign, counts, lang: 'en' });
    expect(svg).toContain('>18 fans pre-saved</text>');
    expect(svg).toContain('>Countries with 5 fans or more</text>');
    const fill = (code: string) => new RegExp(`fill="([^"]+)" data-country="${code}"`).exec(svg)?.[1];
    expect(fill('DE')).toBe(ACCENT); // 5 fans
    expect(fill('BR')).toBe(ACCENT);
    expect(fill('FR')).toBe(NO_DATA_FILL); // 4 fans
    expect(fill('GB')).toBe(NO_DATA_FILL);
    expect(svg.match(new RegExp(`fill="${ACCENT}" data-country`, 'g'))).toHaveLength(2);
    // In the fan's language, with the language's plural rules; the artist's words as entered.
    const de = proofCardSvg({ campaign, counts, lang: 'de' });
    expect(de).toContain('>18 Fans haben vorgemerkt</text>');
    expect(de).toContain('>Midnight Tides</text>');
    expect(proofCardSvg({ campaign, counts: { total: 1, countries: new Map() }, lang: 'en' })).toContain('>1 fan pre-saved</text>');
  });

  it('GET /<slug>/card/social.png is a 1200×630 PNG, cached, and made again after the refresh interval', async () => {
    const get = async (q = '') => {
      const res = await fetch(`${server.url}/proof/card/social.png${q}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('cache-control')).toBe(`public, max-age=${PROOF_CARD_REFRESH_MS / 1000}`);
      // The language may come from Accept-Language: shared caches keep one card per language.
      expect(res.headers.get('vary')).toBe('Accept-Language');
      return Buffer.from(await res.arrayBuffer());
    };
    const first = await get();
    expect(await sharp(first).metadata()).toMatchObject({ format: 'png', ...PROOF_CARD });
    const german = await get('?lang=de');
    expect(german.equals(first)).toBe(false);
    // A new pre-save: the card keeps its count until the interval has passed.
    await seedPresaves(server.ctx.db, { campaignId: campaign.id, count: 1, status: 'pending', market: 'FR', dueAt: now, createdAt: now });
    expect((await get()).equals(first)).toBe(true);
    now += PROOF_CARD_REFRESH_MS;
    expect((await get()).equals(first)).toBe(false);
  });

  it('a title or artist with characters XML cannot carry (U+FFFE, U+FFFF) still makes a card, not a 500', async () => {
    const { ctx } = server;
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'odd-names',
        artistName: 'Luna\uffffPark',
        title: '\ufffeTides\uffff',
        upc: '036000291452',
        releaseAt: new Date(now + 7 * 86_400_000).toISOString(),
        timing: 'global',
        services: ['sandbox'],
      },
    );
    const res = await fetch(`${server.url}/odd-names/card/social.png`);
    expect(res.status).toBe(200);
    expect(await sharp(Buffer.from(await res.arrayBuffer())).metadata()).toMatchObject({ format: 'png', ...PROOF_CARD });
    const svg = proofCardSvg({
      campaign: { title: '\ufffeTides\uffff', artist_name: 'Luna\uffffPark', artwork_url: null },
      counts: { total: 0, countries: new Map() },
      lang: 'en',
    });
    expect(svg).toContain('>Tides</text>');
    expect(svg).toContain('>LunaPark</text>');
  });

  it('the campaign’s stored artwork is on the card', async () => {
    const green = await sharp({ create: { width: 800, height: 800, channels: 3, background: '#10b040' } })
      .png()
      .toBuffer();
    await setArtwork(server.ctx, campaign, await processArtwork(green));
    const res = await fetch(`${server.url}/proof/card/social.png?lang=fr`);
    expect(res.status).toBe(200);
    const pixel = async (png: Buffer, x: number, y: number) => [
      ...(await sharp(png).extract({ left: x, top: y, width: 1, height: 1 }).removeAlpha().raw().toBuffer()),
    ];
    const card = Buffer.from(await res.arrayBuffer());
    const [r, g, b] = await pixel(card, 315, 315); // the artwork's centre
    expect(Math.abs(r! - 0x10) + Math.abs(g! - 0xb0) + Math.abs(b! - 0x40)).toBeLessThan(24);
  });
});

describe('the render cache', () => {
  const clock = { t: 0 };
  const options = { maxEntries: 3, maxBytes: 10, maxAgeMs: 1000, now: () => clock.t };

  it('renders a key once for concurrent requests, keeps the newest within bounds, and renders again when old', async () => {
    const cache = new RenderCache(options);
    let renders = 0;
    const render = (bytes: number) => async () => {
      renders++;
      return Buffer.alloc(bytes);
    };
    await Promise.all([cache.get('a', render(2)), cache.get('a', render(2)), cache.get('a', render(2))]);
    expect(renders).toBe(1);
    await cache.get('b', render(2));
    await cache.get('c', render(2));
    await cache.get('d', render(2)); // four entries: the oldest (a) goes
    expect(cache.size).toBe(3);
    await cache.get('a', render(2));
    expect(renders).toBe(5);
    await cache.get('e', render(9)); // over the bytes: only it stays
    expect(cache.size).toBe(1);
    await cache.get('e', render(9));
    expect(renders).toBe(6);
    clock.t += 1000;
    await cache.get('e', render(9));
    expect(renders).toBe(7);
  });

  it('refuses at once (RenderBusy) when the render gate’s queue is full', async () => {
    const cache = new RenderCache({ ...options, maxEntries: 100, maxBytes: 1000 });
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const slow = async () => {
      await hold;
      return Buffer.alloc(1);
    };
    // As many as the gate runs and queues are taken; the next is refused without rendering.
    const held = Array.from({ length: RENDER_GATE.concurrency + RENDER_GATE.queue }, (_, i) => cache.get(`slow-${i}`, slow));
    await expect(cache.get('one-more', slow)).rejects.toBeInstanceOf(RenderBusy);
    release();
    await Promise.all(held);
  });
});
