import { afterEach, describe, expect, it } from 'vitest';
import { getCampaignBySlug } from '../src/campaigns/repo.js';
import { createCampaign } from '../src/campaigns/service.js';
import type { AppContext } from '../src/context.js';
import { campaignStatusCounts } from '../src/presaves/repo.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { spotifyPresave } from './fakes/spotify/fan.js';
import { startSpotifyFake, type SpotifyFake } from './fakes/spotify/index.js';

const UPC = '036000291452';
const ISRC = 'GBAAA2600001';

async function counts(ctx: AppContext, slug: string) {
  const c = await getCampaignBySlug(ctx.db, slug);
  return campaignStatusCounts(ctx.db, c.id, ctx.now());
}

describe.each(testDialects())('the Spotify pre-save loop against the fake Spotify (%s)', (dialect) => {
  let server: TestServer | undefined;
  let fake: SpotifyFake | undefined;
  afterEach(async () => {
    await server?.close();
    await fake?.close();
    server = undefined;
    fake = undefined;
  });

  it('four fans pre-save through consent; after release (and token expiry) album + artists are in each library, verified', async () => {
    let clock = Date.now();
    fake = await startSpotifyFake({ now: () => clock });
    server = await startTestServer(dialect, fake.env(), () => clock);
    const { ctx, url } = server;
    fake.state.registerRedirectUri(`${url}/callback/spotify`);
    const releaseAt = clock + 2 * 3600_000;
    const campaign = await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'neon',
        artistName: 'Loop Artist',
        title: 'Neon Skies',
        upc: UPC,
        isrcs: [ISRC],
        releaseAt: new Date(releaseAt).toISOString(),
        timezone: 'UTC',
        timing: 'global',
        services: ['spotify'],
        followArtist: true,
      },
    );
    // Spotify gets the release at release time; a sped-up edit is out already.
    fake.state.addAlbum({ name: 'Neon Skies (Sped Up)', artists: ['Loop Artist'], upc: '4006381333931' });
    const album = fake.state.addAlbum({
      name: 'Neon Skies',
      artists: ['Loop Artist', 'Guest Singer'],
      upc: UPC,
      tracks: [{ isrc: ISRC }],
      liveAt: campaign.first_release_at,
    });

    const fans = ['ana', 'bo', 'chen', 'dee'];
    const thanks: string[] = [];
    for (const fan of fans) thanks.push(await spotifyPresave(url, 'neon', fan));
    expect((await counts(ctx, 'neon')).pending).toBe(4);
    const page = await fetch(thanks[0]!);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('data-reauth'); // 2 hours out: well inside the 6 months

    // Consent asked for exactly the four scopes a follow campaign needs.
    const authorize = fake.state.requests.find((r) => r.target === 'authorize' && r.method === 'GET')!;
    expect(String(authorize.query.scope).split(' ').sort()).toEqual([
      'user-follow-modify',
      'user-follow-read',
      'user-library-modify',
      'user-library-read',
    ]);
    expect(authorize.query.code_challenge_method).toBe('S256');

    server.worker.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.state.apiRequests('library')).toEqual([]); // nothing is due yet

    clock = releaseAt + 60_000; // the release is out; the 1-hour access tokens have expired
    server.worker.nudge(); // the worker sleeps by the real clock: tell it the time jumped
    await waitFor(async () => (await counts(ctx, 'neon')).saved === 4, { what: 'four saves', timeoutMs: 30_000 });

    const expected = [`spotify:album:${album.id}`, ...album.artists.map((a) => `spotify:artist:${a.id}`)].sort();
    for (const fan of fans) expect(fake.state.libraryOf(fan).sort()).toEqual(expected);

    // Expired access tokens were refreshed (rotating refresh tokens), then every save was verified.
    const refreshes = fake.state.requests.filter(
      (r) => r.target === 'token' && new URLSearchParams(r.body).get('grant_type') === 'refresh_token',
    );
    expect(refreshes.length).toBeGreaterThanOrEqual(4);
    expect(refreshes.every((r) => r.status === 200)).toBe(true);
    expect(fake.state.apiRequests('contains').filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(4);
    // The album and the follow are separate calls (a refused follow never costs the save): per fan,
    // one PUT with the album alone, then one with the artists.
    const puts = fake.state.apiRequests('library');
    expect(puts).toHaveLength(8);
    const albumOnly = [`spotify:album:${album.id}`];
    const artistsOnly = album.artists.map((a) => `spotify:artist:${a.id}`).sort();
    for (const put of puts) {
      expect(put.method).toBe('PUT');
      expect([albumOnly, artistsOnly]).toContainEqual(String(put.query.uris).split(',').sort());
      expect(put.body).toBe('');
    }
    expect(puts.filter((p) => String(p.query.uris) === albumOnly[0])).toHaveLength(4);
    expect(fake.state.apiRequests('legacy')).toEqual([]);
    expect(
      fake.state
        .apiRequests()
        .filter((r) => r.status === 401)
        .every((r) => r.clock >= releaseAt),
    ).toBe(true);

    const saved = await ctx.db.selectFrom('presaves').select(['status', 'attempts', 'failure_reason']).execute();
    expect(saved.every((p) => p.status === 'saved' && p.failure_reason === null)).toBe(true);
    expect(await (await fetch(thanks[0]!)).text()).toContain('data-status="saved"');
    // Nothing left to do: the fans' tokens are deleted.
    const grants = await ctx.db.selectFrom('grants').select(['status', 'refresh_token_enc']).execute();
    expect(grants.every((g) => g.status === 'released' && g.refresh_token_enc === null)).toBe(true);
  });

  it('a fan who cancels on Spotify’s consent page comes back to the campaign with nothing stored', async () => {
    fake = await startSpotifyFake();
    server = await startTestServer(dialect, fake.env());
    const { ctx, url } = server;
    fake.state.registerRedirectUri(`${url}/callback/spotify`);
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'deny',
        artistName: 'Loop Artist',
        title: 'Neon Skies',
        upc: UPC,
        releaseAt: new Date(Date.now() + 86_400_000).toISOString(),
        timezone: 'UTC',
        timing: 'global',
        services: ['spotify'],
      },
    );
    const fan = new FanBrowser();
    const { consentUrl, requestId } = await fan.startPresave(url, 'deny', 'UTC', 'spotify');
    expect(String(fake.state.requests.at(-1)!.query.scope)).toBe('user-library-modify user-library-read');
    const callback = await fan.decide(consentUrl, requestId, 'ana', 'deny');
    expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
    const res = await fan.get(callback);
    expect(res.status).toBe(403);
    expect(await ctx.db.selectFrom('presaves').selectAll().execute()).toEqual([]);
    expect(fake.state.requests.filter((r) => r.target === 'token')).toEqual([]);
  });

  it('a pre-save made after release is saved right away (by UPC)', async () => {
    fake = await startSpotifyFake();
    server = await startTestServer(dialect, fake.env());
    const { ctx, url } = server;
    fake.state.registerRedirectUri(`${url}/callback/spotify`);
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'late',
        artistName: 'Loop Artist',
        title: 'Neon Skies',
        upc: UPC,
        releaseAt: new Date(Date.now() + 1500).toISOString(),
        timezone: 'UTC',
        timing: 'global',
        services: ['spotify'],
      },
    );
    const album = fake.state.addAlbum({ name: 'Neon Skies', artists: ['Loop Artist'], upc: UPC });
    await new Promise((r) => setTimeout(r, 1600));
    server.worker.start();
    await spotifyPresave(url, 'late', 'eve');
    await waitFor(async () => (await counts(ctx, 'late')).saved === 1, { what: 'immediate save' });
    expect(fake.state.libraryOf('eve')).toEqual([`spotify:album:${album.id}`]);
  });
});
