import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCampaign, updateCampaign } from '../src/campaigns/service.js';
import { LinkLookupRunner } from '../src/links/lookup/runner.js';
import { lookupStatuses } from '../src/links/lookup/state.js';
import { MAX_LOOKUP_ANSWER_BYTES } from '../src/links/lookup/source.js';
import { acceptFoundLink } from '../src/smartlink/found-links.js';
import { campaignLinksWithSource, listenLinks, removeCampaignLink, setCampaignLink } from '../src/smartlink/links.js';
import { startDeezerFake, type DeezerFake } from './fakes/deezer/index.js';
import { startItunesFake, type ItunesFake } from './fakes/itunes/index.js';
import { startOdesliFake, type OdesliFake } from './fakes/odesli/index.js';
import { startSpotifyFake, type SpotifyFake } from './fakes/spotify/index.js';
import { envFor, runCli } from './helpers/cli.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * Store links found automatically (docs/store-links.md), against stateful fakes of the iTunes
 * Search API, Deezer's public catalog, Odesli and Spotify, on an injected clock: what is found
 * before release, retries until the release is listed, rate limits honoured, the artist's own
 * links never overwritten, removed links never back, and a hanging source never holding a page.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const UPC = '036000291452';
const SPOTIFY_CLIENT = 'confidentialclient00000000000001';

describe.each(testDialects())('store links found automatically (%s)', (dialect) => {
  let t = Date.UTC(2026, 11, 1, 9, 0);
  const now = () => t;
  let server: TestServer | undefined;
  const closers: { close(): Promise<unknown> }[] = [];
  afterEach(async () => {
    await server?.close();
    server = undefined;
    for (const c of closers.splice(0)) await c.close();
    t = Date.UTC(2026, 11, 1, 9, 0);
  });

  async function fakes(o: { odesliPerMinute?: number; deezerQuota?: { limit: number; windowMs: number } } = {}) {
    const itunes: ItunesFake = await startItunesFake({ now });
    const deezer: DeezerFake = await startDeezerFake({ now, quota: o.deezerQuota ?? null });
    const odesli: OdesliFake = await startOdesliFake({ now, ...(o.odesliPerMinute ? { perMinute: o.odesliPerMinute } : {}) });
    const spotify: SpotifyFake = await startSpotifyFake({ now, clients: [{ clientId: SPOTIFY_CLIENT, clientSecret: 's3cret' }] });
    closers.push(itunes, deezer, odesli, spotify);
    const env = {
      ...itunes.env(),
      DEEZER_PUBLIC_API_URL: deezer.apiUrl,
      ...odesli.env(),
      ...spotify.env({ SPOTIFY_CLIENT_ID: SPOTIFY_CLIENT, SPOTIFY_CLIENT_SECRET: 's3cret' }),
      OUTBOUND_TIMEOUT_MS: '2000',
      // Budgets beyond the fakes' own limits, so a fake's 429 is what the tests see (one test keeps iTunes' default).
      ITUNES_LOOKUPS_PER_MINUTE: '600',
      ODESLI_LOOKUPS_PER_MINUTE: '600',
    };
    return { itunes, deezer, odesli, spotify, env };
  }

  async function campaign(slug: string, releaseAt: number, upc = UPC) {
    const { ctx } = server!;
    return createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug,
        artistName: 'Nova Lights',
        title: 'Afterglow',
        upc,
        releaseAt: new Date(releaseAt).toISOString(),
        timing: 'global',
        services: ['sandbox'],
      },
    );
  }

  /** The release on every service, as the fakes will list it. */
  function listEverywhere(f: Awaited<ReturnType<typeof fakes>>, o: { from?: number; upc?: string } = {}) {
    const upc = o.upc ?? UPC;
    const album = f.itunes.addAlbum({ upc, artistName: 'Nova Lights', collectionName: 'Afterglow', listedFrom: o.from ?? 0 });
    const dz = f.deezer.state.addAlbum({ title: 'Afterglow', artist: 'Nova Lights', upc, availableAt: o.from ?? 0 });
    f.spotify.state.addAlbum({ name: 'Afterglow', artists: ['Nova Lights'], upc, liveAt: o.from ?? null });
    const appleUrl = `https://music.apple.com/us/album/afterglow/${album.collectionId}`;
    f.odesli.addRelease(
      {
        appleMusic: appleUrl,
        deezer: `https://www.deezer.com/album/${dz.id}`,
        youtubeMusic: 'https://music.youtube.com/playlist?list=OLAK5uy_afterglow',
        amazonMusic: 'https://music.amazon.com/albums/B0AFTERGLOW',
        soundcloud: 'https://soundcloud.com/novalights/sets/afterglow',
        audiomack: 'https://audiomack.com/novalights/album/afterglow',
        anghami: 'https://play.anghami.com/album/1047000001',
        boomplay: 'https://www.boomplay.com/albums/90000001',
        // Not on Bandcamp's hosts: never stored.
        bandcamp: 'https://evil.example/afterglow',
      },
      o.from ?? 0,
    );
    return { appleUrl, deezerUrl: `https://www.deezer.com/album/${dz.id}` };
  }

  /** Runs look-ups as the worker's timer would, moving the clock `stepMs` between runs. */
  async function run(runner: LinkLookupRunner, times: number, stepMs = 10_000) {
    for (let i = 0; i < times; i++) {
      await runner.runOnce();
      t += stepMs;
    }
  }

  it('a campaign with a UPC gets Apple Music, Deezer, Spotify and six link-out services before release; the artist’s own link is kept', async () => {
    const f = await fakes();
    server = await startTestServer(dialect, f.env, now);
    const { ctx } = server;
    const { appleUrl, deezerUrl } = listEverywhere(f);
    const c = await campaign('afterglow', t + 10 * DAY);
    // Entered by hand before any look-up: it stays.
    await setCampaignLink(ctx.db, c.id, 'youtube-music', 'https://music.youtube.com/playlist?list=OLAK5uy_mine', t);
    const runner = new LinkLookupRunner(ctx);
    closers.push({ close: () => runner.stop() });
    await run(runner, 6);

    const links = new Map((await campaignLinksWithSource(ctx.db, c.id)).map((l) => [l.service, l]));
    expect(links.get('apple-music')).toMatchObject({ url: appleUrl, source: 'itunes' });
    expect(links.get('deezer')).toMatchObject({ url: deezerUrl, source: 'deezer' });
    expect(links.get('spotify')).toMatchObject({ source: 'spotify' });
    expect(links.get('spotify')!.url).toMatch(/^https:\/\/open\.spotify\.com\/album\/[A-Za-z0-9]{22}$/);
    expect(links.get('youtube-music')).toMatchObject({ url: 'https://music.youtube.com/playlist?list=OLAK5uy_mine', source: null });
    for (const s of ['amazon-music', 'soundcloud', 'audiomack', 'anghami', 'boomplay']) expect(links.get(s)?.source).toBe('odesli');
    expect(links.has('bandcamp')).toBe(false);
    expect(t).toBeLessThan(c.first_release_at);

    // iTunes was asked with the UPC, the album entity and the store's country; Odesli with the Apple Music URL.
    expect(f.itunes.requests[0]!.query).toMatchObject({ upc: UPC, entity: 'album', country: 'US' });
    expect(f.odesli.requests[0]!.query.url).toBe(appleUrl);
    const statuses = new Map((await lookupStatuses(ctx.db, c.id)).map((s) => [s.source, s]));
    expect(statuses.get('itunes')).toMatchObject({ state: 'done', attempts: 1, lastResult: 'found Apple Music' });
    expect(statuses.get('deezer')).toMatchObject({ state: 'done', attempts: 1 });
    // Odesli keeps looking on schedule for the services it could still give (Bandcamp).
    expect(statuses.get('odesli')).toMatchObject({ state: 'waiting', attempts: 1 });

    // After release the smart link lists them all.
    const listen = (await listenLinks(ctx.db, c.id, c.services)).map((l) => l.service);
    expect(listen).toEqual(
      expect.arrayContaining([
        'apple-music',
        'deezer',
        'spotify',
        'youtube-music',
        'amazon-music',
        'soundcloud',
        'audiomack',
        'anghami',
        'boomplay',
      ]),
    );
  });

  it('a release not yet in the catalogs is looked up again on schedule until it is listed, and not before', async () => {
    const f = await fakes();
    server = await startTestServer(dialect, f.env, now);
    const { ctx } = server;
    const release = t + 10 * DAY;
    // Listed two days before release (a pre-order page).
    listEverywhere(f, { from: release - 2 * DAY });
    const c = await campaign('later', release);
    const runner = new LinkLookupRunner(ctx);
    closers.push({ close: () => runner.stop() });
    await runner.runOnce();
    expect(f.itunes.requests).toHaveLength(1);
    expect(f.deezer.apiRequests()).toHaveLength(1);
    expect(await campaignLinksWithSource(ctx.db, c.id)).toEqual([]);
    const first = new Map((await lookupStatuses(ctx.db, c.id)).map((s) => [s.source, s]));
    expect(first.get('itunes')).toMatchObject({ state: 'waiting', lastResult: 'not in the catalog yet' });
    // Ten days out: once a day.
    expect(first.get('itunes')!.nextAt).toBe(t + DAY);
    expect(first.get('odesli')!.lastResult).toMatch(/waits for an Apple Music, Spotify, Deezer or TIDAL link/);

    t += DAY - 60_000;
    await runner.runOnce();
    expect(f.itunes.requests).toHaveLength(1);

    // Day by day, then every six hours, until the pre-order is listed.
    let runs = 0;
    while (!(await campaignLinksWithSource(ctx.db, c.id)).some((l) => l.service === 'apple-music') && runs++ < 200) {
      t += HOUR;
      await runner.runOnce();
    }
    // The schedule, not a poll: daily while more than a week out (3), every six hours from then (20),
    // and the look-up that found it, eight days in.
    expect(f.itunes.requests).toHaveLength(24);
    expect(t - (release - 2 * DAY)).toBeGreaterThanOrEqual(0);
    expect(t - (release - 2 * DAY)).toBeLessThan(HOUR);
    await run(runner, 3);
    const services = (await campaignLinksWithSource(ctx.db, c.id)).map((l) => l.service);
    expect(services).toEqual(expect.arrayContaining(['apple-music', 'deezer', 'youtube-music', 'amazon-music']));
  });

  it('a 429 from Odesli holds every Odesli look-up until its Retry-After', async () => {
    const f = await fakes({ odesliPerMinute: 1 });
    server = await startTestServer(dialect, f.env, now);
    const { ctx } = server;
    listEverywhere(f);
    const other = f.itunes.addAlbum({ upc: '4006381333931', artistName: 'Nova Lights', collectionName: 'B-Sides' });
    f.odesli.addRelease({
      appleMusic: `https://music.apple.com/us/album/b-sides/${other.collectionId}`,
      youtubeMusic: 'https://music.youtube.com/playlist?list=OLAK5uy_bsides',
    });
    const a = await campaign('a-side', t + 10 * DAY);
    const b = await campaign('b-side', t + 10 * DAY, '4006381333931');
    const runner = new LinkLookupRunner(ctx);
    closers.push({ close: () => runner.stop() });
    // Both campaigns' look-ups: the second Odesli call is refused with 429 and a Retry-After.
    await run(runner, 3, 1000);
    const refused = f.odesli.requests.find((r) => r.status === 429);
    expect(refused).toBeDefined();
    const asked = f.odesli.requests.length;
    const status = async (id: number) => (await lookupStatuses(ctx.db, id)).find((s) => s.source === 'odesli')!;
    expect([(await status(a.id)).lastResult, (await status(b.id)).lastResult]).toContain(
      'Odesli asked to slow down (HTTP 429); asking again later',
    );

    // Inside the minute nobody asks Odesli again, whatever is due.
    while (t < refused!.at + 59_000) {
      await runner.runOnce();
      t += 5_000;
    }
    expect(f.odesli.requests).toHaveLength(asked);

    t = refused!.at + 61_000;
    await runner.runOnce();
    expect(f.odesli.requests).toHaveLength(asked + 1);
    expect(f.odesli.requests.at(-1)!.status).toBe(200);
    const has = async (id: number, s: string) => (await campaignLinksWithSource(ctx.db, id)).some((l) => l.service === s);
    expect((await has(a.id, 'youtube-music')) && (await has(b.id, 'youtube-music'))).toBe(true);
  });

  it('Deezer’s quota answer (HTTP 200, code 4) pauses Deezer look-ups; no request inside the pause', async () => {
    const f = await fakes();
    server = await startTestServer(dialect, { ...f.env, ODESLI_ENABLED: 'false' }, now);
    const { ctx } = server;
    listEverywhere(f);
    const c = await campaign('quota', t + 10 * DAY);
    f.deezer.faults.add({ kind: 'quota', target: 'lookup', count: 1 });
    const runner = new LinkLookupRunner(ctx);
    closers.push({ close: () => runner.stop() });
    await runner.runOnce();
    expect(f.deezer.apiRequests()).toHaveLength(1);
    expect(f.deezer.apiRequests()[0]!.fault).toBe('quota');
    const deezer = async () => (await lookupStatuses(ctx.db, c.id)).find((s) => s.source === 'deezer')!;
    expect(await deezer()).toMatchObject({
      state: 'waiting',
      nextAt: t + 5000,
      lastResult: 'Deezer quota reached (code 4); asking again later',
    });

    t += 4000;
    await runner.runOnce();
    expect(f.deezer.apiRequests()).toHaveLength(1);
    t += 1000;
    await runner.runOnce();
    expect(f.deezer.apiRequests()).toHaveLength(2);
    expect((await campaignLinksWithSource(ctx.db, c.id)).find((l) => l.service === 'deezer')?.source).toBe('deezer');
  });

  it('with iTunes’ own budget (20 a minute), thirty new campaigns are looked up at that pace, shared through the database', async () => {
    const f = await fakes();
    server = await startTestServer(dialect, { ...f.env, ITUNES_LOOKUPS_PER_MINUTE: '20', ODESLI_ENABLED: 'false' }, now);
    const { ctx } = server;
    for (let i = 0; i < 30; i++) await campaign(`c${i}`, t + 10 * DAY, i % 2 ? '036000291452' : '4006381333931');
    // Two runners: two worker processes.
    const one = new LinkLookupRunner(ctx);
    const two = new LinkLookupRunner(ctx);
    closers.push({ close: () => one.stop() }, { close: () => two.stop() });
    const start = t;
    while (t < start + 60_000) {
      await Promise.all([one.runOnce(), two.runOnce()]);
      t += 1000;
    }
    // Not one more than the minute's budget; and Apple never had to say 403.
    expect(f.itunes.requests.length).toBeLessThanOrEqual(20);
    expect(f.itunes.requests.length).toBeGreaterThanOrEqual(15);
    expect(f.itunes.requests.every((r) => r.status === 200)).toBe(true);
  });

  it('an answer that is not a store address (other hosts, javascript:, http:, a user name, a huge URL) is never stored or shown', async () => {
    const f = await fakes();
    server = await startTestServer(dialect, f.env, now);
    const { ctx } = server;
    const { appleUrl } = listEverywhere(f);
    f.odesli.releases[0]!.links = {
      appleMusic: appleUrl,
      youtubeMusic: 'javascript:alert(1)//music.youtube.com/x',
      amazonMusic: 'http://music.amazon.com/albums/B0PLAIN',
      soundcloud: 'https://soundcloud.com.evil.example/afterglow',
      audiomack: 'https://fan:secret@audiomack.com/novalights/album/afterglow',
      anghami: `https://play.anghami.com/album/${'9'.repeat(100_000)}`,
      boomplay: 'https://www.boomplay.com/albums/1\r\nSet-Cookie: a=b',
      bandcamp: 'https://bandcamp.com.evil.example/afterglow',
    };
    const c = await campaign('hostile', t + 10 * DAY);
    const runner = new LinkLookupRunner(ctx);
    closers.push({ close: () => runner.stop() });
    await run(runner, 6);
    expect(f.odesli.requests.length).toBeGreaterThan(0);
    const stored = (await campaignLinksWithSource(ctx.db, c.id)).map((l) => l.service).sort();
    expect(stored).toEqual(['apple-music', 'deezer', 'spotify']);
    const page = await (await fetch(`${server.url}/hostile`)).text();
    for (const bad of ['javascript:', 'evil.example', 'http://music.amazon', 'secret@', '9'.repeat(3000)]) expect(page).not.toContain(bad);
  });

  it('accepted, replaced and removed links stay as the artist left them through later look-ups', async () => {
    const f = await fakes();
    server = await startTestServer(dialect, f.env, now);
    const { ctx } = server;
    listEverywhere(f);
    const c = await campaign('kept', t + 3 * DAY);
    const runner = new LinkLookupRunner(ctx);
    closers.push({ close: () => runner.stop() });
    await run(runner, 6);
    await acceptFoundLink(ctx.db, c.id, 'apple-music', t);
    await setCampaignLink(ctx.db, c.id, 'amazon-music', 'https://music.amazon.com/albums/MINE', t);
    await removeCampaignLink(ctx.db, c.id, 'soundcloud', t);
    // Accepting a link that is the artist's own, or removing one already gone, names the service as artists read it.
    await expect(acceptFoundLink(ctx.db, c.id, 'amazon-music', t)).rejects.toThrow('This campaign has no found Amazon Music link.');
    await expect(removeCampaignLink(ctx.db, c.id, 'soundcloud', t)).rejects.toThrow('This campaign has no SoundCloud link.');
    // Odesli now answers other URLs for everything.
    f.odesli.releases[0]!.links = Object.fromEntries(
      Object.entries(f.odesli.releases[0]!.links).map(([p, u]) => [p, p === 'appleMusic' ? u : `${u.replace(/\/$/, '')}-v2`]),
    );
    t += 7 * HOUR;
    await run(runner, 6, HOUR * 7);
    const links = new Map((await campaignLinksWithSource(ctx.db, c.id)).map((l) => [l.service, l]));
    expect(links.get('amazon-music')).toMatchObject({ url: 'https://music.amazon.com/albums/MINE', source: null });
    expect(links.has('soundcloud')).toBe(false);
    expect(links.get('apple-music')!.acceptedAt).not.toBeNull();
    // A found link the artist has not reviewed follows what the source says now.
    expect(links.get('audiomack')!.url).toBe('https://audiomack.com/novalights/album/afterglow-v2');
    expect(f.odesli.requests.length).toBeGreaterThan(1);

    // `dropday campaign links` says where each came from.
    const cli = await runCli(['campaign', 'links', 'kept'], envFor(server.testDb));
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^Apple Music +https:\/\/music\.apple\.com\/\S+ +\(found by itunes, accepted\)$/m);
    expect(cli.stdout).toMatch(/^Audiomack +https:\/\/audiomack\.com\/\S+ +\(found by odesli\)$/m);
    expect(cli.stdout).toMatch(/^Amazon Music +https:\/\/music\.amazon\.com\/albums\/MINE$/m);
  });

  it('a changed UPC is another release: unaccepted finds go, the artist’s links and accepted ones stay, and the new UPC is looked up', async () => {
    const f = await fakes();
    server = await startTestServer(dialect, { ...f.env, ODESLI_ENABLED: 'false' }, now);
    const { ctx } = server;
    listEverywhere(f);
    const right = f.itunes.addAlbum({ upc: '4006381333931', artistName: 'Nova Lights', collectionName: 'Afterglow (Deluxe)' });
    const c = await campaign('fixed', t + 10 * DAY);
    await setCampaignLink(ctx.db, c.id, 'youtube-music', 'https://music.youtube.com/playlist?list=OLAK5uy_mine', t);
    const runner = new LinkLookupRunner(ctx);
    closers.push({ close: () => runner.stop() });
    await run(runner, 3);
    await acceptFoundLink(ctx.db, c.id, 'deezer', t);
    expect((await campaignLinksWithSource(ctx.db, c.id)).map((l) => l.service).sort()).toEqual([
      'apple-music',
      'deezer',
      'spotify',
      'youtube-music',
    ]);

    await updateCampaign({ db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() }, 'fixed', { upc: '4006381333931' });
    await run(runner, 3);
    const links = new Map((await campaignLinksWithSource(ctx.db, c.id)).map((l) => [l.service, l]));
    expect(links.get('apple-music')).toMatchObject({
      url: `https://music.apple.com/us/album/afterglow-deluxe/${right.collectionId}`,
      source: 'itunes',
    });
    expect(links.get('deezer')!.acceptedAt).not.toBeNull();
    expect(links.get('youtube-music')!.source).toBeNull();
    // The old Apple Music find was forgotten (else the look-up would have had nothing to fill).
    expect(f.itunes.requests.at(-1)!.query.upc).toBe('4006381333931');
  });

  it('an answer far larger than any catalog’s is not read whole: the look-up says so and waits', async () => {
    const huge = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = ' '.repeat(64 * 1024);
      let sent = 0;
      const more = () => {
        while (sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end('{"resultCount":0,"results":[]}');
      };
      res.on('close', () => (sent = Infinity));
      more();
    });
    await new Promise<void>((r) => huge.listen(0, '127.0.0.1', r));
    closers.push({ close: () => new Promise((r) => huge.close(r)) });
    huge.unref();
    server = await startTestServer(
      dialect,
      {
        ITUNES_LOOKUPS_PER_MINUTE: '600',
        ITUNES_LOOKUP_URL: `http://127.0.0.1:${(huge.address() as AddressInfo).port}`,
        DEEZER_PUBLIC_API_URL: `http://127.0.0.1:${(huge.address() as AddressInfo).port}`,
        ODESLI_ENABLED: 'false',
        OUTBOUND_TIMEOUT_MS: '20000',
      },
      now,
    );
    const c = await campaign('flooded', t + 5 * DAY);
    const runner = new LinkLookupRunner(server.ctx);
    closers.push({ close: () => runner.stop() });
    await runner.runOnce();
    const s = (await lookupStatuses(server.ctx.db, c.id)).find((x) => x.source === 'itunes')!;
    expect(s).toMatchObject({ state: 'waiting' });
    expect(s.lastResult).toBe(`iTunes Search answered more than ${MAX_LOOKUP_ANSWER_BYTES} bytes`);
  });

  it('a source that never answers holds no page: the page is served while the look-up waits, which then times out', async () => {
    const hang = http.createServer(() => {});
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    closers.push({ close: () => new Promise((r) => hang.close(r)) });
    hang.unref();
    const hangUrl = `http://127.0.0.1:${(hang.address() as AddressInfo).port}`;
    server = await startTestServer(
      dialect,
      {
        ITUNES_LOOKUPS_PER_MINUTE: '600',
        ITUNES_LOOKUP_URL: hangUrl,
        DEEZER_PUBLIC_API_URL: hangUrl,
        ODESLI_ENABLED: 'false',
        OUTBOUND_TIMEOUT_MS: '1500',
      },
      now,
    );
    const { ctx, url } = server;
    const c = await campaign('patient', t + 5 * DAY);
    const runner = new LinkLookupRunner(ctx);
    closers.push({ close: () => runner.stop() });
    let settled = false;
    const running = runner.runOnce().finally(() => (settled = true));
    const page = await fetch(`${url}/patient`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Afterglow');
    expect(settled).toBe(false);
    await running;
    const s = (await lookupStatuses(ctx.db, c.id)).find((x) => x.source === 'itunes')!;
    expect(s).toMatchObject({ state: 'waiting' });
    expect(s.lastResult).toMatch(/timed out after 1500 ms/);
    // Soon again, not at once: ten minutes.
    expect(s.nextAt).toBe(t + 10 * 60_000);
  });
});
