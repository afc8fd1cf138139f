import { afterEach, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../src/campaigns/identifiers.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { waitFor } from './helpers/wait.js';
import { counts, deezerCampaign, presaveOnDeezer, startDeezerWorld, type DeezerWorld } from './fakes/deezer/dropday.js';

/**
 * The whole pre-save loop on Deezer over real HTTP: Dropday configured for Deezer and pointed at
 * the fake, fans authorizing on the fake's consent page, the release time passing on a movable
 * clock, the worker saving, and every fan's favourites on the fake holding the release.
 */
const UPC = withCheckDigit('19028800101');

describe.each(testDialects())('Deezer pre-save loop (%s)', (dialect) => {
  let world: DeezerWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('three fans pre-save; at release the album is saved and its artists followed in each library, verified', async () => {
    let clock = Date.now();
    world = await startDeezerWorld(dialect, { now: () => clock });
    const { server, fake } = world;
    const { ctx, url } = server;
    const release = clock + 60_000;
    // Deezer gets the release at release time; before that it is not in the catalog.
    const album = fake.state.addAlbum({
      title: 'Loop Deezer',
      artist: 'Loop Artist',
      contributors: ['Guest Star'],
      upc: UPC,
      availableAt: release,
    });
    await deezerCampaign(ctx, {
      slug: 'dz-loop',
      artistName: 'Loop Artist',
      title: 'Loop Deezer',
      upc: UPC,
      releaseAt: release,
      followArtist: true,
    });

    const fans = ['ana', 'bo', 'chen'];
    const thanks: string[] = [];
    for (const fan of fans) thanks.push(await presaveOnDeezer(url, 'dz-loop', fan, 'Europe/Paris'));
    expect((await counts(ctx, 'dz-loop')).pending).toBe(3);

    // Deezer grants: a token without expiry (offline_access), no refresh token, encrypted at rest.
    const grants = await ctx.db.selectFrom('grants').selectAll().where('service', '=', 'deezer').execute();
    expect(grants.map((g) => g.account_id).sort()).toEqual(fans.map((f) => String(fake.state.users.get(f)!.id)).sort());
    for (const g of grants) {
      expect(g.access_expires_at).toBeNull();
      expect(g.refresh_token_enc).toBeNull();
      expect(g.access_token_enc).toMatch(/^v1\.test\./);
      expect(g.scopes).toBe('basic_access offline_access manage_library');
    }
    // No PKCE on Deezer: the authorize request carried none, and state came back to Dropday.
    const consents = fake.requests.filter((r) => r.path === '/oauth/auth.php');
    expect(consents).toHaveLength(3);
    for (const c of consents) {
      expect(c.query.code_challenge).toBeUndefined();
      expect(c.query.state).toBeTruthy();
      expect(c.query.redirect_uri).toBe(`${url}/callback/deezer`);
    }

    server.worker.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.state.library('ana')).toEqual({ albums: [], artists: [] });

    clock = release + 1000;
    await waitFor(async () => (await counts(ctx, 'dz-loop')).saved === 3, { what: 'three Deezer saves', timeoutMs: 30_000 });
    for (const fan of fans) {
      expect(fake.state.library(fan)).toEqual({ albums: [album.id], artists: album.contributors.map((a) => a.id) });
    }
    const rows = await ctx.db.selectFrom('presaves').selectAll().execute();
    for (const p of rows) {
      expect(p.status).toBe('saved');
      expect(p.attempts).toBe(1);
    }
    expect(await (await fetch(thanks[0]!)).text()).toContain('data-status="saved"');
    // Every save was verified by reading the fan's favourites.
    expect(fake.apiRequests('/user/me/albums').filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(3);
    // The tokens are deleted once nothing is left to do.
    const after = await ctx.db.selectFrom('grants').select(['status', 'access_token_enc']).execute();
    expect(after).toEqual(Array(3).fill({ status: 'released', access_token_enc: '' }));
  });

  it('a fan who refuses on Deezer’s page records nothing', async () => {
    world = await startDeezerWorld(dialect);
    const { server } = world;
    await deezerCampaign(server.ctx, { slug: 'dz-deny', artistName: 'A', title: 'T', upc: UPC, releaseAt: Date.now() + 3600_000 });
    const fan = new FanBrowser();
    const { consentUrl, requestId } = await fan.startPresave(server.url, 'dz-deny', 'UTC', 'deezer');
    const callback = await fan.decide(consentUrl, requestId, '', 'deny');
    expect(new URL(callback).searchParams.get('error_reason')).toBe('user_denied');
    const res = await fan.get(callback);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await server.ctx.db.selectFrom('presaves').selectAll().execute()).toEqual([]);
    expect(await server.ctx.db.selectFrom('grants').selectAll().execute()).toEqual([]);
  });
});
