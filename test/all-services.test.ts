import { afterEach, describe, expect, it } from 'vitest';
import { getCampaignBySlug } from '../src/campaigns/repo.js';
import { createCampaign } from '../src/campaigns/service.js';
import { campaignStatusCounts } from '../src/presaves/repo.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { appleMusicEnv, connectApple, startFakeWithKeys } from './fakes/apple-music/dropday.js';
import type { AppleMusicFake } from './fakes/apple-music/index.js';
import { presaveOnDeezer } from './fakes/deezer/dropday.js';
import { startDeezerFake, type DeezerFake } from './fakes/deezer/index.js';
import { spotifyPresave } from './fakes/spotify/fan.js';
import { startSpotifyFake, type SpotifyFake } from './fakes/spotify/index.js';
import { presaveOnTidal } from './fakes/tidal/dropday.js';
import { startTidalFake, type TidalFake } from './fakes/tidal/index.js';

const UPC = '036000291452';

/**
 * The whole product in one campaign: offered on Spotify, Apple Music, TIDAL and Deezer (each a
 * stateful fake over real HTTP), pre-saved by fans on each, and at release every library holds
 * the release, verified by each service's own record.
 */
describe.each(testDialects())('one campaign on all four services (%s)', (dialect) => {
  let server: TestServer | undefined;
  let fakes: { spotify: SpotifyFake; apple: AppleMusicFake; tidal: TidalFake; deezer: DeezerFake } | undefined;
  afterEach(async () => {
    await server?.close();
    if (fakes) for (const f of Object.values(fakes)) await f.close();
    server = undefined;
    fakes = undefined;
  });

  it('fans pre-save on each service; after release every library holds the release', async () => {
    let clock = Date.now();
    const now = () => clock;
    const apple = await startFakeWithKeys(now);
    fakes = {
      spotify: await startSpotifyFake({ now }),
      apple: apple.fake,
      tidal: await startTidalFake({ now }),
      deezer: await startDeezerFake({ now }),
    };
    const env = {
      ...fakes.spotify.env(),
      ...appleMusicEnv(fakes.apple, apple.privateKeyPem),
      ...fakes.tidal.env(),
      ...fakes.deezer.env(),
    };
    server = await startTestServer(dialect, env, now);
    const { ctx, url } = server;
    fakes.spotify.state.registerRedirectUri(`${url}/callback/spotify`);
    fakes.tidal.state.registerRedirectUri(`${url}/callback/tidal`);
    fakes.deezer.state.addRedirectUri(`${url}/callback/deezer`);
    expect(ctx.providers.enabled().sort()).toEqual(['apple-music', 'deezer', 'sandbox', 'spotify', 'tidal']);

    const campaign = await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'everywhere',
        artistName: 'Omni Artist',
        title: 'Everywhere',
        upc: UPC,
        releaseAt: new Date(clock + 3600_000).toISOString(),
        timezone: 'UTC',
        timing: 'global',
        services: ['spotify', 'apple-music', 'tidal', 'deezer'],
        followArtist: true,
      },
    );
    const at = campaign.first_release_at;
    const sp = fakes.spotify.state.addAlbum({ name: 'Everywhere', artists: ['Omni Artist'], upc: UPC, liveAt: at });
    const am = fakes.apple.addAlbum({ name: 'Everywhere', artistName: 'Omni Artist', upc: UPC, liveAt: at });
    const td = fakes.tidal.state.addRelease({ artist: 'Omni Artist', title: 'Everywhere', upc: UPC, availableFrom: at });
    const dz = fakes.deezer.state.addAlbum({ title: 'Everywhere', artist: 'Omni Artist', upc: UPC, availableAt: at });

    const page = await (await fetch(`${url}/everywhere`)).text();
    for (const name of ['Spotify', 'Apple Music', 'TIDAL', 'Deezer']) expect(page).toContain(`Pre-save on ${name}`);

    for (const fan of ['sp1', 'sp2']) await spotifyPresave(url, 'everywhere', fan);
    for (const fan of ['td1', 'td2']) await presaveOnTidal(url, 'everywhere', fan);
    for (const fan of ['dz1', 'dz2']) await presaveOnDeezer(url, 'everywhere', fan);
    for (const fan of ['am1', 'am2']) {
      fakes.apple.addUser(fan, { storefront: 'us' });
      const res = await connectApple(new FanBrowser(), url, 'everywhere', fakes.apple.tokenOf(fan));
      expect(res.status).toBe(303);
    }
    const c = await getCampaignBySlug(ctx.db, 'everywhere');
    expect((await campaignStatusCounts(ctx.db, c.id, ctx.now())).pending).toBe(8);

    server.worker.start();
    clock = at + 60_000;
    server.worker.nudge();
    await waitFor(async () => (await campaignStatusCounts(ctx.db, c.id, ctx.now())).saved === 8, {
      what: 'eight saves',
      timeoutMs: 45_000,
    });

    for (const fan of ['sp1', 'sp2']) expect(fakes.spotify.state.libraryOf(fan)).toContain(`spotify:album:${sp.id}`);
    for (const fan of ['td1', 'td2']) expect(fakes.tidal.state.collectionOf(fan).albums).toEqual([td.album.id]);
    for (const fan of ['dz1', 'dz2']) expect(fakes.deezer.state.library(fan).albums).toEqual([dz.id]);
    for (const fan of ['am1', 'am2']) expect(fakes.apple.libraryOf(fan)).toEqual([am.id]);

    // After release the same link is a smart link to every service the release was matched on.
    const after = await (await fetch(`${url}/everywhere`)).text();
    for (const name of ['Spotify', 'Apple Music', 'TIDAL', 'Deezer']) expect(after).toContain(`Listen on ${name}`);
  });
});
