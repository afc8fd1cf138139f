import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from './helpers/db.js';
import type { TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { counts, presaveOnTidal, startDropdayWithTidal, tidalCampaign } from './fakes/tidal/dropday.js';
import { startTidalFake, type TidalFake } from './fakes/tidal/index.js';

/** The whole pre-save loop on TIDAL: Dropday over real HTTP against the fake TIDAL. */

const UPC = '036000291452';

describe.each(testDialects())('TIDAL pre-save loop over real HTTP (%s)', (dialect) => {
  let server: TestServer | undefined;
  let fake: TidalFake | undefined;
  afterEach(async () => {
    await server?.close();
    await fake?.close();
    server = undefined;
    fake = undefined;
  });

  it('three fans pre-save through TIDAL’s consent page; at release the album and artist land in each collection, verified', async () => {
    let clock = Date.now();
    fake = await startTidalFake({ now: () => clock });
    server = await startDropdayWithTidal(dialect, fake, {}, () => clock);
    const { ctx, url } = server;
    const releaseAt = clock + 60_000;
    const { album, artists } = fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water', upc: UPC, availableFrom: releaseAt });
    await tidalCampaign(ctx, { slug: 'tide', releaseAt: new Date(releaseAt).toISOString(), followArtist: true });

    const fans = ['ana', 'bo', 'chen'];
    const thanks: string[] = [];
    for (const fan of fans) thanks.push(await presaveOnTidal(url, 'tide', fan, 'Europe/Oslo'));
    expect((await counts(ctx, 'tide')).pending).toBe(3);
    expect(await (await fetch(thanks[0]!)).text()).toContain('will save');

    // Grants are keyed by the fan's TIDAL user id, and tokens are encrypted at rest.
    const grants = await ctx.db.selectFrom('grants').selectAll().orderBy('account_id').execute();
    expect(grants.map((g) => g.account_id).sort()).toEqual(fans.map((f) => fake!.state.findUser(f)!.id).sort());
    for (const g of grants) expect(g.access_token_enc).toMatch(/^v1\.test\./);
    // The consent asked for exactly the collection scopes.
    const consent = fake.requests.find((r) => r.path === '/login/authorize' && r.method === 'GET')!;
    expect(consent.query.scope).toBe('collection.read collection.write');

    server.worker.start();
    await new Promise((r) => setTimeout(r, 500));
    for (const fan of fans) expect(fake.state.collectionOf(fan).albums).toEqual([]);

    clock = releaseAt + 1000;
    server.worker.nudge();
    await waitFor(async () => (await counts(ctx, 'tide')).saved === 3, { what: 'three saves', timeoutMs: 30_000 });
    for (const fan of fans) {
      expect(fake.state.collectionOf(fan)).toEqual({ albums: [album.id], artists: [artists[0]!.id] });
    }
    const rows = await ctx.db.selectFrom('presaves').selectAll().execute();
    for (const p of rows) expect(p.status).toBe('saved');
    expect(await (await fetch(thanks[0]!)).text()).toContain('data-status="saved"');

    // Every save was checked by reading the collections back.
    const verifies = fake.apiRequests().filter((r) => r.method === 'GET' && r.path.endsWith('/relationships/items'));
    expect(verifies.length).toBeGreaterThanOrEqual(6);

    // With nothing left to do, Dropday drops the fans' tokens.
    const after = await ctx.db.selectFrom('grants').select(['status', 'refresh_token_enc']).execute();
    expect(after).toEqual(Array(3).fill({ status: 'released', refresh_token_enc: null }));
  });

  it('an expired access token is refreshed once (rotated refresh token stored) and the save goes through', async () => {
    let clock = Date.now();
    fake = await startTidalFake({ now: () => clock, accessTokenTtlSeconds: 600 });
    server = await startDropdayWithTidal(dialect, fake, {}, () => clock);
    const { ctx, url } = server;
    fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water', upc: UPC, availableFrom: clock + 30 * 60_000 });
    await tidalCampaign(ctx, { slug: 'soon', releaseAt: new Date(clock + 30 * 60_000).toISOString() });
    await tidalCampaign(ctx, { slug: 'later', releaseAt: new Date(clock + 30 * 86_400_000).toISOString() });
    await presaveOnTidal(url, 'soon', 'dana');
    await presaveOnTidal(url, 'later', 'dana'); // keeps the grant in use after the first save
    const before = await ctx.db.selectFrom('grants').selectAll().executeTakeFirstOrThrow();

    clock += 31 * 60_000; // the 10-minute access token has long expired
    server.worker.start();
    await waitFor(async () => (await counts(ctx, 'soon')).saved === 1, { what: 'saved after refresh' });
    const grant = await ctx.db.selectFrom('grants').selectAll().executeTakeFirstOrThrow();
    expect(grant.status).toBe('active');
    expect(grant.refresh_token_enc).not.toBe(before.refresh_token_enc);
    expect(fake.requests.filter((r) => r.path.endsWith('/token') && r.body?.includes('grant_type=refresh_token'))).toHaveLength(1);
    expect(fake.state.collectionOf('dana').albums).toHaveLength(1);
  });

  it('an access token TIDAL expires early (401) is refreshed and the call retried once', async () => {
    fake = await startTidalFake();
    server = await startDropdayWithTidal(dialect, fake);
    const { ctx, url } = server;
    fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water', upc: UPC });
    await tidalCampaign(ctx, { slug: 'early', releaseAt: new Date(Date.now() + 1000).toISOString() });
    await presaveOnTidal(url, 'early', 'eli');
    fake.state.expireAccessTokens('eli');
    await new Promise((r) => setTimeout(r, 1100));
    server.worker.start();
    await waitFor(async () => (await counts(ctx, 'early')).saved === 1, { what: 'saved after 401 + refresh' });
    const statuses = fake.apiRequests().map((r) => r.status);
    expect(statuses).toContain(401);
    const p = await ctx.db.selectFrom('presaves').selectAll().executeTakeFirstOrThrow();
    expect(p.attempts).toBe(1);
  });

  // Regression: two pre-saves of one fan in one worker once both refreshed with the same single-use
  // refresh token, and the fan's grant was marked dead.
  it('two pre-saves of one fan with an expired token share one refresh and are both saved', async () => {
    let clock = Date.now();
    fake = await startTidalFake({ now: () => clock });
    server = await startDropdayWithTidal(dialect, fake, {}, () => clock);
    const { ctx, url } = server;
    const releaseAt = clock + 60_000;
    fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water', upc: UPC, availableFrom: releaseAt });
    fake.state.addRelease({ artist: 'Tide Artist', title: 'Low Tide', upc: '012345678905', availableFrom: releaseAt });
    await tidalCampaign(ctx, { slug: 'one', releaseAt: new Date(releaseAt).toISOString() });
    await tidalCampaign(ctx, { slug: 'two', releaseAt: new Date(releaseAt).toISOString(), title: 'Low Tide', upc: '012345678905' });
    await presaveOnTidal(url, 'one', 'twice');
    await presaveOnTidal(url, 'two', 'twice');
    clock = releaseAt + 1000;
    fake.state.expireAccessTokens('twice');
    server.worker.start();
    await waitFor(
      async () => {
        clock += 250;
        return (await counts(ctx, 'one')).saved + (await counts(ctx, 'two')).saved === 2;
      },
      { what: 'both saved' },
    );
    expect(fake.state.collectionOf('twice').albums).toHaveLength(2);
  });
});
