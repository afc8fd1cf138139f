import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { referrerDomain, utmFrom, UTM_MAX } from '../src/analytics/attribution.js';
import { createAnalytics, registerAnalytics, trackRequest, type Analytics } from '../src/analytics/capture.js';
import { GeoResolver, isPublicIp } from '../src/analytics/geo.js';
import { devices, funnel } from '../src/analytics/queries.js';
import { SaltStore } from '../src/analytics/salts.js';
import { DAY, HOUR } from '../src/analytics/time.js';
import { deviceClass, isBot } from '../src/analytics/ua.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';
import { waitFor } from './helpers/wait.js';

const silent = pino({ level: 'silent' });
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36';
// Public addresses in the shipped DB-IP Lite file: a London address and a Frankfurt one.
const LONDON_IP = '81.2.69.160';
const FRANKFURT_IP6 = '2a00:1450:4001:82b::200e';
const DAY1 = Date.UTC(2026, 2, 10, 9);

// One resolver for the file: the database is opened once (about 130 MB in memory).
const geo = new GeoResolver({ log: silent });

describe('device classes, bots and sources', () => {
  it('classifies browsers and recognizes bots, headless browsers, link-preview fetchers and HTTP libraries', () => {
    expect(deviceClass(IPHONE)).toBe('mobile');
    expect(
      deviceClass('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36'),
    ).toBe('mobile');
    expect(
      deviceClass('Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148'),
    ).toBe('tablet');
    expect(
      deviceClass('Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'),
    ).toBe('tablet');
    expect(deviceClass(DESKTOP)).toBe('desktop');
    expect(
      deviceClass('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Instagram 330.0.0.40.92'),
    ).toBe('mobile');
    for (const ua of [
      '',
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      'Twitterbot/1.0',
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
      'TelegramBot (like TwitterBot)',
      'WhatsApp/2.23.20.0',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/125.0.0.0 Safari/537.36',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Lighthouse',
      'curl/8.5.0',
      'python-requests/2.31.0',
      'node',
      'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; +https://openai.com/gptbot)',
    ]) {
      expect(isBot(ua), ua).toBe(true);
    }
    expect(isBot(IPHONE)).toBe(false);
  });

  it('keeps only the referrer’s domain, never our own, and bounded UTM values', () => {
    expect(referrerDomain('https://www.instagram.com/p/Cx_secret-path/?igshid=abc')).toBe('instagram.com');
    expect(referrerDomain('https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.com')).toBe('facebook.com');
    expect(referrerDomain('https://t.co/abc')).toBe('x.com');
    expect(referrerDomain('android-app://com.google.android.gm/')).toBe('mail.google.com');
    expect(referrerDomain('https://dropday.example/my-song', new Set(['dropday.example']))).toBe('');
    expect(referrerDomain('http://127.0.0.1:3000/my-song', new Set(), '127.0.0.1')).toBe('');
    expect(referrerDomain('not a url')).toBe('');
    expect(referrerDomain(null)).toBe('');
    const utm = utmFrom(`/song?utm_source=Instagram%20Story&utm_medium=social&utm_campaign=${'x'.repeat(500)}&fbclid=1`);
    expect(utm).toEqual({ utm_source: 'instagram story', utm_medium: 'social', utm_campaign: 'x'.repeat(UTM_MAX) });
    expect(utmFrom('/song')).toEqual({ utm_source: '', utm_medium: '', utm_campaign: '' });
  });

  it('places public addresses with the offline DB-IP database, and private ones nowhere', async () => {
    await geo.open();
    expect(geo.isOpen).toBe(true);
    const london = geo.lookupIp(LONDON_IP);
    expect(london).toMatchObject({ country: 'GB', region: 'England', city: 'London' });
    expect(london.lat).toBeCloseTo(51.51, 1);
    expect(london.lon).toBeCloseTo(-0.09, 1);
    expect(geo.lookupIp(`::ffff:${LONDON_IP}`).country).toBe('GB');
    expect(geo.lookupIp(FRANKFURT_IP6)).toMatchObject({ country: 'DE', city: 'Frankfurt am Main' });
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '192.168.0.10',
      '172.20.0.1',
      '100.64.1.1',
      '169.254.1.1',
      '::1',
      'fd00::1',
      'fe80::1',
      'nonsense',
    ]) {
      expect(geo.lookupIp(ip), ip).toEqual({ country: '', region: '', city: '', lat: null, lon: null });
      expect(isPublicIp(ip), ip).toBe(false);
    }
    // CDN headers win when given (the caller gives them only behind a trusted proxy).
    expect(geo.lookup(LONDON_IP, { country: 'JP', city: 'T%C5%8Dky%C5%8D', lat: '35.6895', lon: '139.6917' })).toEqual({
      country: 'JP',
      region: '',
      city: 'Tōkyō',
      lat: 35.69,
      lon: 139.69,
    });
    // A CDN country without a city: the database adds the city when it agrees on the country.
    expect(geo.lookup(LONDON_IP, { country: 'GB' })).toMatchObject({ country: 'GB', city: 'London' });
    expect(geo.lookup(LONDON_IP, { country: 'XX' }).country).toBe('GB');
  });
});

describe.each(testDialects())('analytics capture (%s)', (dialect) => {
  let t: TestDb | undefined;
  let app: FastifyInstance | undefined;
  let analytics: Analytics | undefined;
  async function teardown() {
    await app?.close();
    await analytics?.close();
    await t?.drop();
    app = analytics = t = undefined;
  }
  afterEach(teardown);

  async function setup(env: Record<string, string> = {}, clock = () => DAY1) {
    t = await createTestDb(dialect, env);
    analytics = createAnalytics(
      { db: t.db, dialect: t.dialect, config: t.config, log: silent, now: clock },
      { flushIntervalMs: 60_000, batchSize: 1000, geo },
    );
    app = Fastify({ trustProxy: t.config.trustProxy });
    registerAnalytics(app, analytics);
    const bufferedInHandler: number[] = [];
    app.get<{ Params: { slug: string } }>('/:slug', async (req, reply) => {
      trackRequest(req, { event: 'page_view', campaignId: 7 });
      bufferedInHandler.push(analytics!.stats().buffered);
      return reply.type('text/html').send('<h1>page</h1>');
    });
    app.get('/connect/:service', async (req, reply) => {
      trackRequest(req, { event: 'service_click', campaignId: 7, service: (req.params as { service: string }).service });
      return reply.redirect('https://accounts.example/authorize', 302);
    });
    app.get('/broken', async (req) => {
      trackRequest(req, { event: 'page_view', campaignId: 7 });
      throw new Error('the page failed');
    });
    await app.ready();
    return { t, app, analytics, bufferedInHandler };
  }

  const count = async (db: TestDb['db']) =>
    Number(
      (
        await db
          .selectFrom('analytics_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('records after the response and in batches: a burst of page views is one write when flushed', async () => {
    const { t, app, analytics, bufferedInHandler } = await setup();
    const headers = { 'user-agent': IPHONE, referer: 'https://www.instagram.com/p/xyz' };
    // While the handler runs the event is only attached to the request; the response releases it.
    expect((await app.inject({ url: '/song?utm_source=newsletter', headers, remoteAddress: LONDON_IP })).statusCode).toBe(200);
    expect(bufferedInHandler).toEqual([0]);
    await waitFor(async () => analytics.stats().buffered === 1, { what: 'the event buffered after the response' });
    const responses = await Promise.all(
      Array.from({ length: 39 }, (_, i) =>
        app.inject({
          url: `/song?utm_source=newsletter&i=${i}`,
          headers,
          remoteAddress: LONDON_IP,
        }),
      ),
    );
    expect(responses.every((r) => r.statusCode === 200)).toBe(true);
    await waitFor(async () => analytics.stats().buffered === 40, { what: '40 buffered events' });
    // Not one write per request: nothing in the database until the batch is flushed.
    expect(await count(t.db)).toBe(0);
    await analytics.flush();
    expect(await count(t.db)).toBe(40);
    expect(analytics.stats()).toMatchObject({ captured: 40, written: 40, batches: 1, buffered: 0, dropped: 0, failed: 0 });

    // A failed response records nothing.
    expect((await app.inject({ url: '/broken', headers: { 'user-agent': IPHONE } })).statusCode).toBe(500);
    await analytics.flush();
    expect(await count(t.db)).toBe(40);

    const f = await funnel(t.db, 7, { from: DAY1 - DAY, to: DAY1 + DAY });
    expect(f).toMatchObject({ views: 40, uniqueVisitors: 1, visits: 1 });
  });

  it('drops bots (counted apart, never stored as events)', async () => {
    const { t, app, analytics } = await setup();
    for (const ua of ['Twitterbot/1.0', 'facebookexternalhit/1.1', 'curl/8.5.0', 'HeadlessChrome/125.0', '']) {
      await app.inject({ url: '/song', headers: { 'user-agent': ua }, remoteAddress: LONDON_IP });
    }
    await app.inject({ url: '/song', headers: { 'user-agent': DESKTOP }, remoteAddress: LONDON_IP });
    await waitFor(async () => analytics.stats().buffered === 6, { what: 'buffered events' });
    await analytics.flush();
    expect(await count(t.db)).toBe(1);
    expect(analytics.stats()).toMatchObject({ written: 1, bots: 5 });
    const d = await devices(t.db, 7, { from: DAY1 - DAY, to: DAY1 + DAY });
    expect(d.bots).toBe(5);
    expect(d.rows).toEqual([{ device: 'desktop', counts: { views: 1, serviceClicks: 0, listenClicks: 0, presaves: 0, cancellations: 0 } }]);
  });

  it('stores no IP address, User-Agent or full referrer anywhere', async () => {
    const { t, app, analytics } = await setup();
    const secretPath = '/p/very-secret-path';
    for (const ip of [LONDON_IP, FRANKFURT_IP6]) {
      await app.inject({
        url: '/song?utm_source=ig',
        headers: { 'user-agent': IPHONE, referer: `https://www.instagram.com${secretPath}` },
        remoteAddress: ip,
      });
      await app.inject({ url: '/connect/spotify', headers: { 'user-agent': IPHONE, referer: 'http://localhost/song' }, remoteAddress: ip });
    }
    analytics.trackServer({ event: 'cancellation', campaignId: 7, service: 'spotify' });
    await waitFor(async () => analytics.stats().buffered === 5, { what: 'buffered events' });
    await analytics.flush();
    expect(await count(t.db)).toBe(5);

    const tables =
      dialect === 'postgres'
        ? (
            await sql<{
              name: string;
            }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`.execute(t.db)
          ).rows
        : (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(t.db)).rows;
    expect(tables.map((r) => r.name)).toEqual(
      expect.arrayContaining(['analytics_events', 'analytics_visitors', 'analytics_salts', 'analytics_geo_daily']),
    );
    let scanned = 0;
    for (const { name } of tables) {
      const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)}`.execute(t.db)).rows;
      const text = JSON.stringify(rows);
      scanned += rows.length;
      for (const needle of [LONDON_IP, '81.2.69', FRANKFURT_IP6, '2a00:1450', 'iPhone OS', secretPath]) {
        expect(text.includes(needle), `${needle} found in ${name}`).toBe(false);
      }
    }
    expect(scanned).toBeGreaterThan(5);
    // What is kept instead: a place, a device class, a domain.
    const rows = await t.db.selectFrom('analytics_events').selectAll().where('event', '=', 'page_view').orderBy('country').execute();
    expect(rows.map((r) => [r.country, r.city, r.device, r.referrer, r.utm_source])).toEqual([
      ['DE', 'Frankfurt am Main', 'mobile', 'instagram.com', 'ig'],
      ['GB', 'London', 'mobile', 'instagram.com', 'ig'],
    ]);
    for (const r of rows) expect(r.visitor).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // The click on our own page is credited to where the visitor came from.
    const clicks = await t.db.selectFrom('analytics_events').select(['referrer', 'service']).where('event', '=', 'service_click').execute();
    expect(clicks).toEqual([
      { referrer: 'instagram.com', service: 'spotify' },
      { referrer: 'instagram.com', service: 'spotify' },
    ]);
  });

  it('rotates the salt daily: the same person has another id the next day, and old salts are deleted', async () => {
    let now = DAY1;
    const { t, analytics } = await setup({}, () => now);
    const visit = (at: number) => analytics.capture({ campaignId: 7, event: 'page_view', at, ip: LONDON_IP, userAgent: IPHONE });
    visit(now);
    visit(now + 10 * 60_000); // same visit
    visit(now + 2 * HOUR); // same visitor, a new visit
    await analytics.flush();
    now = DAY1 + DAY;
    visit(now);
    await analytics.flush();
    const ids = await t.db.selectFrom('analytics_events').select(['visitor', 'at', 'is_visit']).orderBy('at').execute();
    expect(ids.map((r) => r.is_visit)).toEqual([1, 0, 1, 1]);
    expect(new Set(ids.slice(0, 3).map((r) => r.visitor)).size).toBe(1);
    expect(ids[3]!.visitor).not.toBe(ids[0]!.visitor);
    const f = await funnel(t.db, 7, { from: DAY1 - HOUR * 9, to: DAY1 + 2 * DAY });
    expect(f).toMatchObject({ views: 4, visits: 3, uniqueVisitors: 2 });

    const days = async () => (await t.db.selectFrom('analytics_salts').select('day').orderBy('day').execute()).map((r) => Number(r.day));
    expect(await days()).toEqual([Date.UTC(2026, 2, 10), Date.UTC(2026, 2, 11)]);
    // Two days later the first day's salt and visitor state are gone: nothing links back to it.
    now = DAY1 + 2 * DAY;
    visit(now);
    await analytics.flush();
    expect(await days()).toEqual([Date.UTC(2026, 2, 11), Date.UTC(2026, 2, 12)]);
    const visitorDays = await t.db.selectFrom('analytics_visitors').select('day').distinct().orderBy('day').execute();
    expect(visitorDays.map((r) => Number(r.day))).toEqual([Date.UTC(2026, 2, 11), Date.UTC(2026, 2, 12)]);

    // Even with no visits at all, a new day deletes the old salts.
    now = DAY1 + 5 * DAY;
    const idle = createAnalytics(
      { db: t.db, dialect: t.dialect, config: t.config, log: silent, now: () => now },
      { flushIntervalMs: 20, geo },
    );
    try {
      await waitFor(async () => (await days()).length === 0, { what: 'old salts deleted by the timer' });
    } finally {
      await idle.close();
    }
  });

  it('deletes a big day of visitor state in chunks, keeping yesterday’s and today’s', async () => {
    t = await createTestDb(dialect);
    const oldDay = Date.UTC(2026, 2, 1);
    const rows = (day: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        visitor: `v${day}-${i}`,
        campaign_id: 7,
        day,
        last_view_at: day,
        referrer: '',
        utm_source: '',
        utm_medium: '',
        utm_campaign: '',
      }));
    for (let i = 0; i < 4500; i += 500)
      await t.db
        .insertInto('analytics_visitors')
        .values(rows(oldDay, 4500).slice(i, i + 500))
        .execute();
    await t.db
      .insertInto('analytics_visitors')
      .values(rows(oldDay + DAY, 3))
      .execute();
    await t.db
      .insertInto('analytics_visitors')
      .values(rows(oldDay + 2 * DAY, 2))
      .execute();
    await new SaltStore(t.db).rotate(oldDay + 2 * DAY + HOUR, 2000);
    const left = await t.db.selectFrom('analytics_visitors').select('day').execute();
    expect(left.map((r) => Number(r.day)).sort()).toEqual([oldDay + DAY, oldDay + DAY, oldDay + DAY, oldDay + 2 * DAY, oldDay + 2 * DAY]);
  });

  it('uses CDN location headers only behind a trusted proxy', async () => {
    const cdn = { 'cf-ipcountry': 'JP', 'cf-ipcity': 'Osaka', 'cf-iplatitude': '34.69', 'cf-iplongitude': '135.50', 'user-agent': IPHONE };
    // Untrusted: the headers are anyone's to send; X-Forwarded-For is ignored too (the socket is loopback).
    {
      const { t, app, analytics } = await setup({ TRUST_PROXY: 'false' });
      await app.inject({ url: '/song', headers: { ...cdn, 'x-forwarded-for': LONDON_IP }, remoteAddress: '127.0.0.1' });
      await app.inject({ url: '/song', headers: { 'user-agent': DESKTOP }, remoteAddress: LONDON_IP });
      await waitFor(async () => analytics.stats().buffered === 2, { what: 'buffered events' });
      await analytics.flush();
      const rows = await t.db.selectFrom('analytics_events').select(['country', 'city', 'device']).orderBy('device').execute();
      expect(rows).toEqual([
        { country: 'GB', city: 'London', device: 'desktop' },
        { country: '', city: '', device: 'mobile' },
      ]);
      await teardown();
    }
    // Trusted (TRUST_PROXY=true): the CDN's answer wins; without CDN headers the forwarded client IP is looked up.
    {
      const { t, app, analytics } = await setup({ TRUST_PROXY: 'true' });
      await app.inject({ url: '/song', headers: { ...cdn, 'x-forwarded-for': LONDON_IP }, remoteAddress: '127.0.0.1' });
      await app.inject({ url: '/song', headers: { 'user-agent': DESKTOP, 'x-forwarded-for': LONDON_IP }, remoteAddress: '127.0.0.1' });
      await app.inject({
        url: '/song',
        headers: {
          'user-agent': DESKTOP,
          'x-vercel-ip-country': 'BR',
          'x-vercel-ip-city': 'S%C3%A3o%20Paulo',
          'x-forwarded-for': LONDON_IP,
        },
        remoteAddress: '127.0.0.1',
      });
      await waitFor(async () => analytics.stats().buffered === 3, { what: 'buffered events' });
      await analytics.flush();
      const rows = await t.db.selectFrom('analytics_events').select(['country', 'city', 'lat', 'lon']).orderBy('country').execute();
      expect(rows).toEqual([
        { country: 'BR', city: 'São Paulo', lat: null, lon: null },
        { country: 'GB', city: 'London', lat: expect.closeTo(51.51, 1), lon: expect.closeTo(-0.09, 1) },
        { country: 'JP', city: 'Osaka', lat: 34.69, lon: 135.5 },
      ]);
    }
  });

  it('never slows or breaks the page: a full buffer drops (and counts) events; a failing write loses only its batch', async () => {
    t = await createTestDb(dialect);
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (s: string) => warnings.push(s) });
    analytics = createAnalytics(
      { db: t.db, dialect: t.dialect, config: t.config, log, now: () => DAY1 },
      { maxBuffer: 10, flushIntervalMs: 60_000, geo },
    );
    let accepted = 0;
    for (let i = 0; i < 25; i++)
      if (analytics.capture({ campaignId: 7, event: 'page_view', at: DAY1, ip: LONDON_IP, userAgent: IPHONE })) accepted++;
    expect(accepted).toBe(10);
    expect(analytics.stats()).toMatchObject({ captured: 10, dropped: 15, buffered: 10 });
    expect(warnings.some((w) => w.includes('buffer full'))).toBe(true);
    await analytics.flush();
    expect(analytics.stats().written).toBe(10);

    // The database goes away: the write fails, is logged, and nothing throws.
    await t.db.schema.dropTable('analytics_events').execute();
    analytics.capture({ campaignId: 7, event: 'page_view', at: DAY1, ip: LONDON_IP, userAgent: IPHONE });
    await expect(analytics.flush()).resolves.toBeUndefined();
    expect(analytics.stats()).toMatchObject({ failed: 1, written: 10 });
    expect(warnings.some((w) => w.includes('could not be written'))).toBe(true);
    // Invalid events are refused without a throw.
    expect(analytics.capture({ campaignId: 7, event: 'nonsense' as 'page_view', at: DAY1 })).toBe(false);
    expect(analytics.capture({ campaignId: 7, event: 'page_view', at: NaN })).toBe(false);
    expect(analytics.stats().invalid).toBe(2);
  });
});
