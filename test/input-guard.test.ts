import { startSpotifyFake, type SpotifyFake } from './fakes/spotify/index.js';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../src/editor/testing.js';
import { campaignLinks } from '../src/smartlink/links.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { buildWorld, type Identity, type World } from './fuzz/harness.js';

/**
 * Issue 9, findings 4–6, over real HTTP: NUL and broken Unicode are refused with a 400 naming the
 * field before anything is written (PostgreSQL answered 500, SQLite stored them); form routes take
 * only form bodies (JSON answered 500); link-outs are stored normalized and the listen redirect
 * survives rows stored before.
 */
describe.each(testDialects())('input guard (%s)', (dialect) => {
  let s: TestServer;
  let world: World;
  let editor: Identity;
  let spotify: SpotifyFake;

  beforeAll(async () => {
    // The fuzz harness's world offers Spotify (so the in-app rescue is reachable): it needs the fake.
    spotify = await startSpotifyFake();
    s = await startTestServer(dialect, spotify.env());
    world = await buildWorld(s);
    editor = world.identities.find((i) => i.name === 'editor')!;
  });
  afterAll(async () => {
    await s?.close();
    await spotify?.close();
  });

  async function post(path: string, payload: string | Buffer, contentType: string, who?: Identity) {
    const res = await request(`${s.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        ...(who?.cookie ? { cookie: who.cookie, 'x-csrf-token': who.csrf! } : {}),
      },
      body: payload,
    });
    return { status: res.statusCode, text: await res.body.text() };
  }
  const count = async (table: 'users' | 'campaigns' | 'workspaces') =>
    Number(
      (
        await s.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('refuses a NUL in a form field on /login, /signup and /forgot, without signing in, naming the field', async () => {
    const users = await count('users');
    for (const path of ['/login', '/signup', '/forgot']) {
      const res = await post(path, 'email=a%00@x.io&password=correct+horse+battery', 'application/x-www-form-urlencoded');
      expect(res.status, path).toBe(400);
      expect(res.text).toContain('the field &quot;email&quot; contains a NUL character');
    }
    expect(await count('users')).toBe(users);
  });

  it('refuses invalid UTF-8 and lone surrogates, in forms, paths and queries', async () => {
    const bad = await post('/signup', Buffer.from([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x3d, 0xff, 0xfe]), 'application/x-www-form-urlencoded');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('the form is not valid UTF-8');
    const surrogate = await post('/signup', 'email=%ED%A0%80%40x.io', 'application/x-www-form-urlencoded');
    expect(surrogate.status).toBe(400);
    expect(surrogate.text).toContain('&quot;email&quot;');

    const path = await request(`${s.url}/w/ba%00nd/campaigns`, { headers: { cookie: editor.cookie! } });
    expect(path.statusCode).toBe(400);
    expect(await path.body.text()).toContain('the address contains a NUL character');
    const query = await request(`${s.url}/login?next=%C3%28`);
    expect(query.statusCode).toBe(400);
    expect(await query.body.text()).toContain('the query parameter &quot;next&quot;');
  });

  it('refuses a NUL in a workspace name, an invitation and a multipart campaign form, storing nothing', async () => {
    const owner = world.identities.find((i) => i.name === 'owner')!;
    const [workspaces, campaigns] = [await count('workspaces'), await count('campaigns')];
    expect((await post('/workspaces', 'name=Ba%00nd&slug=other&kind=artist', 'application/x-www-form-urlencoded', editor)).status).toBe(
      400,
    );
    expect((await post('/w/band/invitations', 'email=x%00@y.io&role=viewer', 'application/x-www-form-urlencoded', owner)).status).toBe(400);
    const form = multipart({
      title: 'Night\u0000Drive',
      artist: 'The Band',
      slug: 'nul-drive',
      services: 'sandbox',
      isrcs: 'GB-AAA-26-00001',
    });
    const res = await post('/w/band/campaigns/new', form.body, form.contentType, editor);
    expect(res.status).toBe(400);
    expect(res.text).toContain('the field &quot;title&quot; contains a NUL character');
    expect([await count('workspaces'), await count('campaigns')]).toEqual([workspaces, campaigns]);
  });

  it('takes only form bodies on form routes: JSON is a 415 that says what to send, for signed-in editors too', async () => {
    const res = await post('/w/band/campaigns/new', '{"title":1}', 'application/json', editor);
    expect(res.status).toBe(415);
    expect(res.text).toContain('This address takes form fields or multipart/form-data, not &quot;application/json&quot;');
    const deep = await post(
      '/w/band/campaigns/night-drive/edit',
      `{"title":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      'application/json',
      editor,
    );
    expect(deep.status).toBe(415);
    expect((await post('/login', 'email=x', 'text/plain')).status).toBe(415);
  });

  it('type-checks fields: a field the form sends once may not come twice', async () => {
    const res = await post(
      '/w/band/campaigns/night-drive/duplicate',
      'releaseAt=2031-01-01T00:00&releaseAt=x&slug=copy',
      'application/x-www-form-urlencoded',
      editor,
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('releaseAt: was sent more than once');
    // A field named like the multipart reader's own ("fields") is just a field.
    expect(
      (await post('/w/band/campaigns/night-drive/duplicate', 'fields=1&files=1', 'application/x-www-form-urlencoded', editor)).status,
    ).toBe(400);
  });

  it('treats a cookie holding a NUL as absent instead of failing the page', async () => {
    const res = await request(`${s.url}/login`, { headers: { cookie: 'dropday_session=%00; dropday_csrf=%ED%A0%80' } });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  });

  it('sends a listen click to the normalized URL even for a link stored with line breaks before this fix', async () => {
    const campaign = await s.ctx.db.selectFrom('campaigns').select('id').where('slug', '=', 'night-drive').executeTakeFirstOrThrow();
    await s.ctx.db
      .updateTable('campaign_links')
      .set({ url: 'https://music.youtube.com/play\r\nlist?list=OLAK\u0000x' })
      .where('campaign_id', '=', campaign.id)
      .where('service', '=', 'youtube-music')
      .execute()
      .catch(() =>
        // PostgreSQL cannot hold the NUL: the line breaks alone broke the redirect there.
        s.ctx.db
          .updateTable('campaign_links')
          .set({ url: 'https://music.youtube.com/play\r\nlist?list=OLAKx' })
          .where('campaign_id', '=', campaign.id)
          .where('service', '=', 'youtube-music')
          .execute(),
      );
    const res = await request(`${s.url}/night-drive/listen/youtube-music`);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toMatch(/^https:\/\/music\.youtube\.com\/playlist\?list=OLAK(%00)?x$/);
    // Still one YouTube Music link (the world also has a found Deezer link).
    expect((await campaignLinks(s.ctx.db, campaign.id)).filter((l) => l.service === 'youtube-music').length).toBe(1);
  });
});
