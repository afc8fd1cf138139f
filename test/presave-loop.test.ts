import { afterEach, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../src/campaigns/identifiers.js';
import { getCampaignBySlug } from '../src/campaigns/repo.js';
import { createCampaign } from '../src/campaigns/service.js';
import type { AppContext } from '../src/context.js';
import { campaignStatusCounts } from '../src/presaves/repo.js';
import { editorDb } from '../src/editor/db.js';
import { libraryOf } from '../src/providers/sandbox/admin.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

function campaign(ctx: AppContext, slug: string, releaseAt: string, timing: 'local' | 'global', follow = false, upc = '036000291452') {
  return createCampaign(
    { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
    {
      slug,
      artistName: 'Loop Artist',
      title: `Loop ${slug}`,
      upc,
      releaseAt,
      timezone: 'UTC',
      timing,
      services: ['sandbox'],
      followArtist: follow,
    },
  );
}

async function counts(ctx: AppContext, slug: string) {
  const c = await getCampaignBySlug(ctx.db, slug);
  return campaignStatusCounts(ctx.db, c.id, ctx.now());
}

describe.each(testDialects())('the pre-save loop over real HTTP (%s)', (dialect) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('global timing: three fans pre-save, the release time passes, the album is in each library, verified', async () => {
    // An injected clock: the release time passes when the test says so, however slow the machine.
    let clock = Date.now();
    server = await startTestServer(dialect, {}, () => clock);
    const { ctx, url } = server;
    await campaign(ctx, 'loop', new Date(clock + 10 * 60_000).toISOString(), 'global', true);

    const thanks: string[] = [];
    for (const user of ['ana', 'bo', 'chen']) thanks.push(await new FanBrowser().presave(url, 'loop', user, 'Asia/Kolkata'));
    const before = await (await fetch(thanks[0]!)).text();
    expect(before).toContain('will save');
    expect(before).toContain('Asia/Kolkata');
    expect((await counts(ctx, 'loop')).pending).toBe(3);

    // Tokens are encrypted at rest: no row holds a bearer token in the clear.
    const stored = await ctx.db.selectFrom('grants').select(['access_token_enc', 'refresh_token_enc']).execute();
    expect(stored).toHaveLength(3);
    for (const g of stored) {
      expect(g.access_token_enc).toMatch(/^v1\.test\./);
      expect(g.refresh_token_enc).toMatch(/^v1\.test\./);
    }

    server.worker.start();
    // Before release nothing is saved (the Sandbox could not even find the release yet).
    expect(await libraryOf(ctx.db, 'ana')).toEqual([]);
    expect((await counts(ctx, 'loop')).pending).toBe(3);
    clock += 11 * 60_000;
    await waitFor(async () => (await counts(ctx, 'loop')).saved === 3, { what: 'three saves', timeoutMs: 30_000 });

    for (const user of ['ana', 'bo', 'chen']) {
      const lib = await libraryOf(ctx.db, user);
      expect(lib.map((i) => i.kind).sort()).toEqual(['album', 'artist']);
      expect(lib.find((i) => i.kind === 'album')?.title).toBe('Loop loop');
    }
    const after = await (await fetch(thanks[0]!)).text();
    expect(after).toContain('data-status="saved"');

    // Once nothing is left to do, Dropday deletes the fans' tokens, as the consent text promises.
    const grants = await ctx.db.selectFrom('grants').select(['status', 'access_token_enc', 'refresh_token_enc']).execute();
    expect(grants).toEqual(Array(3).fill({ status: 'released', access_token_enc: '', refresh_token_enc: null }));

    // After release the page is a smart link to the release.
    const page = await (await fetch(`${url}/loop`)).text();
    expect(page).toContain('Listen on Sandbox');
  });

  it('local timing: a fan whose midnight comes later is saved later', async () => {
    let clock = Date.now();
    server = await startTestServer(dialect, {}, () => clock);
    const { ctx, url } = server;
    const releaseUtc = new Date(clock + 60_000).toISOString();
    await campaign(ctx, 'midnight', releaseUtc, 'local');

    await new FanBrowser().presave(url, 'midnight', 'paris', 'Europe/Paris'); // already past: due now
    await new FanBrowser().presave(url, 'midnight', 'london', 'Europe/London'); // UTC in winter: in 60 s
    await new FanBrowser().presave(url, 'midnight', 'nyc', 'America/New_York'); // 5 hours later
    server.worker.start();

    await waitFor(async () => (await counts(ctx, 'midnight')).saved === 1, { what: 'Paris saved' });
    expect((await libraryOf(ctx.db, 'paris')).length).toBe(1);
    expect(await libraryOf(ctx.db, 'london')).toEqual([]);

    clock += 61_000;
    await waitFor(async () => (await counts(ctx, 'midnight')).saved === 2, { what: 'London saved' });
    expect(await libraryOf(ctx.db, 'nyc')).toEqual([]);

    clock += 5 * 3600_000;
    await waitFor(async () => (await counts(ctx, 'midnight')).saved === 3, { what: 'New York saved' });
    const saved = await ctx.db.selectFrom('presaves').select(['account_id', 'saved_at']).orderBy('saved_at').execute();
    expect(saved.map((s) => s.account_id)).toEqual(['paris', 'london', 'nyc']);
  });

  it('refreshes an expired access token, storing the rotated refresh token', async () => {
    let clock = Date.now();
    server = await startTestServer(dialect, { SANDBOX_ACCESS_TOKEN_TTL: '60' }, () => clock);
    const { ctx, url } = server;
    await campaign(ctx, 'refresh', new Date(clock + 10 * 60_000).toISOString(), 'global');
    await campaign(ctx, 'refresh-later', new Date(clock + 86_400_000).toISOString(), 'global');
    const fan = new FanBrowser();
    await fan.presave(url, 'refresh', 'dana', 'UTC');
    // A second pre-save keeps the grant in use, so its tokens stay stored after the first save.
    await fan.presave(url, 'refresh-later', 'dana', 'UTC');
    const before = await ctx.db.selectFrom('grants').selectAll().executeTakeFirstOrThrow();
    clock += 11 * 60_000; // release time passes; the 60 s access token has long expired
    server.worker.start();
    await waitFor(async () => (await counts(ctx, 'refresh')).saved === 1, { what: 'saved after refresh' });
    const after = await ctx.db.selectFrom('grants').selectAll().executeTakeFirstOrThrow();
    expect(after.status).toBe('active');
    expect(after.refresh_token_enc).toMatch(/^v1\./);
    expect(after.refresh_token_enc).not.toBe(before.refresh_token_enc);
    expect(after.access_expires_at).toBeGreaterThan(clock);
  });

  it('one fan with several pre-saves due together refreshes once, not once per pre-save', async () => {
    let clock = Date.now();
    server = await startTestServer(dialect, { SANDBOX_ACCESS_TOKEN_TTL: '60' }, () => clock);
    const { ctx, url } = server;
    const fan = new FanBrowser();
    for (const [i, slug] of ['triple-a', 'triple-b', 'triple-c'].entries()) {
      await campaign(ctx, slug, new Date(clock + 10 * 60_000).toISOString(), 'global', false, withCheckDigit(`0360002914${i}`));
      await fan.presave(url, slug, 'busyfan', 'UTC');
    }
    clock += 11 * 60_000; // all three due at once, the access token long expired
    server.worker.start();
    await waitFor(async () => (await ctx.db.selectFrom('presaves').select('status').where('status', '=', 'saved').execute()).length === 3, {
      what: 'three saves',
    });
    // The Sandbox revokes a whole grant when a rotated refresh token is used twice: one refresh it was.
    const refreshes = await ctx.db
      .selectFrom('sandbox_tokens')
      .select('token_hash')
      .where('kind', '=', 'refresh')
      .where('username', '=', 'busyfan')
      .execute();
    expect(refreshes.length).toBeLessThanOrEqual(5); // 3 authorizations + 1 refresh (+1 spare for a forced retry)
    expect((await libraryOf(ctx.db, 'busyfan')).length).toBe(3);
  });

  it("following the artist follows the profile named in the campaign editor, not the release's other artists", async () => {
    let clock = Date.now();
    server = await startTestServer(dialect, {}, () => clock);
    const { ctx, url } = server;
    const c = await campaign(ctx, 'named', new Date(clock + 10 * 60_000).toISOString(), 'global', true);
    await ctx.db.insertInto('sandbox_artists').values({ id: 'namedProfile01', name: 'Named Profile' }).execute();
    await editorDb(ctx.db)
      .insertInto('campaign_artist_ids')
      .values({
        campaign_id: c.id,
        service: 'sandbox',
        artist_uri: 'sandbox:artist:namedProfile01',
        artist_url: null,
        created_at: Date.now(),
      })
      .execute();
    await new FanBrowser().presave(url, 'named', 'fay', 'UTC');
    clock += 11 * 60_000;
    server.worker.start();
    await waitFor(async () => (await counts(ctx, 'named')).saved === 1, { what: 'saved' });
    const lib = await libraryOf(ctx.db, 'fay');
    expect(lib.map((i) => [i.kind, i.kind === 'album' ? i.title : i.artist])).toEqual([
      ['album', 'Loop named'],
      ['artist', 'Named Profile'],
    ]);
  });

  it('a pre-save made after release is saved right away', async () => {
    let clock = Date.now();
    server = await startTestServer(dialect, {}, () => clock);
    const { ctx, url } = server;
    await campaign(ctx, 'late', new Date(clock + 10 * 60_000).toISOString(), 'global');
    clock += 11 * 60_000;
    server.worker.start();
    const thanks = await new FanBrowser().presave(url, 'late', 'eve', 'UTC');
    await waitFor(async () => (await counts(ctx, 'late')).saved === 1, { what: 'immediate save' });
    expect(await (await fetch(thanks)).text()).toContain('data-status="saved"');
  });
});
