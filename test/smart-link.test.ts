import { afterEach, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { libraryOf } from '../src/providers/sandbox/admin.js';
import { listMatches, overrideMatch } from '../src/releases/matches.js';
import { setCampaignLink } from '../src/smartlink/links.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

describe.each(testDialects())('the smart link after release (%s)', (dialect) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('lists the matched service and the artist’s link-outs, ordered for the visitor, through a redirect that remembers the choice', async () => {
    server = await startTestServer(dialect);
    const { ctx, url } = server;
    const c = await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'smart',
        artistName: 'Smart Artist',
        title: 'Linked',
        upc: '036000291452',
        releaseAt: new Date(Date.now() + 1500).toISOString(),
        timing: 'global',
        services: ['sandbox'],
      },
    );
    await setCampaignLink(ctx.db, c.id, 'youtube-music', 'https://music.youtube.com/playlist?list=OLAK5uy_demo', ctx.now());
    await setCampaignLink(ctx.db, c.id, 'jiosaavn', 'https://www.jiosaavn.com/album/linked/abc', ctx.now());
    await expect(setCampaignLink(ctx.db, c.id, 'soundcloud', 'https://evil.example/x', ctx.now())).rejects.toThrow(/SoundCloud address/);

    await new FanBrowser().presave(url, 'smart', 'lin', 'UTC');
    server.worker.start();
    await waitFor(async () => (await listMatches(ctx.db, c.id)).length === 1, { what: 'a match' });
    expect((await listMatches(ctx.db, c.id))[0]).toMatchObject({ service: 'sandbox', matchedBy: 'upc', overridden: false });

    const page = await (await fetch(`${url}/smart?lang=en`, { headers: { 'accept-language': 'hi-IN' } })).text();
    const order = [...page.matchAll(/Listen on ([^<]+)</g)].map((m) => m[1]);
    expect(order).toEqual(['JioSaavn', 'YouTube Music', 'Sandbox']);

    const fan = new FanBrowser();
    const go = await fan.get(`${url}/smart/listen/youtube-music`);
    expect(go.status).toBe(302);
    expect(go.headers.get('location')).toBe('https://music.youtube.com/playlist?list=OLAK5uy_demo');
    const again = await fan.request(`${url}/smart?lang=en`, { headers: { 'accept-language': 'hi-IN' } });
    expect([...(await again.text()).matchAll(/Listen on ([^<]+)</g)].map((m) => m[1])[0]).toBe('YouTube Music');
    expect((await fan.get(`${url}/smart/listen/bandcamp`)).status).toBe(404);
  });

  it('an artist’s manual match is what every fan gets saved', async () => {
    server = await startTestServer(dialect);
    const { ctx, url } = server;
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    const release = new Date(Date.now() + 1500).toISOString();
    // Two campaigns whose releases share a UPC in the Sandbox catalog: the artist points at the right one.
    const right = await createCampaign(deps, {
      slug: 'right',
      artistName: 'Twin',
      title: 'Right One',
      upc: '4006381333931',
      releaseAt: release,
      timing: 'global',
      services: ['sandbox'],
    });
    const wrong = await createCampaign(deps, {
      slug: 'wrong',
      artistName: 'Twin',
      title: 'Wrong One',
      upc: '036000291452',
      releaseAt: release,
      timing: 'global',
      services: ['sandbox'],
    });
    const rightId = (await ctx.db.selectFrom('sandbox_releases').select('id').where('campaign_id', '=', right.id).executeTakeFirstOrThrow())
      .id;
    await overrideMatch(ctx.db, wrong.id, 'sandbox', { albumUri: `sandbox:album:${rightId}`, albumUrl: null, artistUris: [] }, ctx.now());
    await new FanBrowser().presave(url, 'wrong', 'pick', 'UTC');
    server.worker.start();
    await waitFor(async () => (await libraryOf(ctx.db, 'pick')).length === 1, { what: 'saved' });
    expect((await libraryOf(ctx.db, 'pick'))[0]!.title).toBe('Right One');
  });
});
