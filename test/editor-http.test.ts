import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectAgent, captureLog } from '../src/accounts/testing.js';
import { createUser } from '../src/accounts/users.js';
import { createWorkspace } from '../src/accounts/workspaces.js';
import { buildApp } from '../src/app.js';
import { createContext } from '../src/bootstrap.js';
import { createCampaign } from '../src/campaigns/service.js';
import { findCampaignBySlug } from '../src/campaigns/repo.js';
import type { AppContext } from '../src/context.js';
import { artworkRoot } from '../src/editor/artwork.js';
import { editorDb, ensureEditorSchema } from '../src/editor/db.js';
import { makeImage, postMultipart } from '../src/editor/testing.js';
import { listMatches } from '../src/releases/matches.js';
import { campaignLinks } from '../src/smartlink/links.js';
import { registerAuth } from '../src/web/auth-hooks.js';
import { editorRoutes, uploadTmpDir } from '../src/web/routes/editor.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';
import { freePort } from './helpers/server.js';
import { addFault, clearFaults } from '../src/providers/sandbox/admin.js';

const PW = 'correct horse battery';
type Who = 'owner' | 'editor' | 'viewer' | 'outsider';
const WHO: Who[] = ['owner', 'editor', 'viewer', 'outsider'];
const DAY = 86_400_000;

/** A wall time `days` from now, as the form's datetime-local sends it (UTC). */
function inDays(days: number): string {
  return DateTime.fromMillis(Date.now() + days * DAY, { zone: 'UTC' }).toFormat("yyyy-MM-dd'T'HH:mm");
}

function baseForm(over: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    artist: 'The Band',
    title: 'Night Drive',
    type: 'single',
    upc: '',
    isrcs: 'GB-AAA-26-00001',
    releaseAt: inDays(21),
    timezone: 'UTC',
    timing: 'local',
    services: ['sandbox'],
    slug: 'night-drive',
    themeAccent: '',
    themeBackground: '',
    languages: '',
    ...over,
  };
}

describe.each(testDialects())('campaign editor over HTTP (%s)', (dialect) => {
  let t: TestDb;
  let ctx: AppContext & { close(): Promise<void> };
  let app: FastifyInstance;
  const agents = {} as Record<Who, InjectAgent>;
  let png: Buffer;

  async function countCampaigns(): Promise<number> {
    return (await ctx.db.selectFrom('campaigns').select('id').execute()).length;
  }

  /** Loads a page as `who` first so the agent holds a fresh CSRF token. */
  async function primed(who: Who, page = '/w/band/campaigns'): Promise<InjectAgent> {
    await agents[who].get(page);
    return agents[who];
  }

  beforeAll(async () => {
    const port = await freePort();
    t = await createTestDb(dialect, { PORT: String(port) });
    await ensureEditorSchema(t.db, t.dialect);
    ctx = await createContext(t.config, { log: captureLog().log });
    app = await buildApp(ctx);
    await registerAuth(app, ctx);
    editorRoutes(app, ctx);
    editorRoutes(app, ctx); // a second call does nothing
    // Listening, so the editor's id look-ups reach the Sandbox over HTTP, as in production; the
    // Sandbox knows the band's artist id.
    await app.listen({ host: '127.0.0.1', port });
    await ctx.db.insertInto('sandbox_artists').values({ id: 'band123', name: 'The Band' }).execute();
    const ids = {} as Record<Who, number>;
    for (const who of WHO) ids[who] = (await createUser(ctx.db, { email: `${who}@example.com`, password: PW }, ctx.now())).id;
    const ws = await createWorkspace(ctx.db, { slug: 'band', name: 'The Band', kind: 'artist' }, ids.owner, ctx.now());
    for (const who of ['editor', 'viewer'] as const) {
      await ctx.db
        .insertInto('workspace_members')
        .values({ workspace_id: ws.id, user_id: ids[who], role: who, created_at: ctx.now(), updated_at: ctx.now() })
        .execute();
    }
    for (const [i, who] of WHO.entries()) {
      const a = new InjectAgent(app, `10.0.1.${i + 1}`);
      await a.get('/login');
      expect((await a.post('/login', { email: `${who}@example.com`, password: PW })).statusCode).toBe(303);
      agents[who] = a;
    }
    png = await makeImage(1200, 900, 'png');
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
    await t.drop();
  });

  it('lists campaigns: every member sees them, only editors see "New campaign", outsiders get 404', async () => {
    for (const who of WHO) {
      const res = await agents[who].get('/w/band/campaigns');
      expect(res.statusCode, who).toBe(who === 'outsider' ? 404 : 200);
      if (res.statusCode === 200) expect(res.body.includes('href="/w/band/campaigns/new"'), who).toBe(who !== 'viewer');
    }
    expect((await agents.viewer.get('/w/band/campaigns/new')).statusCode).toBe(403);
    const form = await agents.editor.get('/w/band/campaigns/new');
    expect(form.statusCode).toBe(200);
    // Only configured services are offered.
    expect(form.body).toContain('name="services" value="sandbox"');
    expect(form.body).not.toContain('value="spotify"');
    expect(form.body).toContain('enctype="multipart/form-data"');
  });

  it('shows every field problem next to its field, keeps the values, and stores nothing', async () => {
    const before = await countCampaigns();
    const a = await primed('editor', '/w/band/campaigns/new');
    const res = await postMultipart(
      app,
      a,
      '/w/band/campaigns/new',
      baseForm({
        artist: '',
        title: 'x'.repeat(201),
        type: 'mixtape',
        upc: '123',
        isrcs: 'NOT-AN-ISRC',
        releaseAt: 'tomorrow',
        timing: 'whenever',
        services: ['spotify'],
        slug: 'admin',
        themeAccent: 'purple',
        themeBackground: '#12345',
        languages: 'en, not_a_lang',
        artist_sandbox: 'https://example.com/x y',
        match_sandbox: 'https://example.com/album/1',
        'link_youtube-music': 'https://evil.example.com/watch',
        link_bandcamp: 'http://band.bandcamp.com/album/x',
      }),
      { artwork: { filename: 'cover.png', contentType: 'image/png', data: Buffer.from('not an image at all') } },
    );
    expect(res.statusCode).toBe(400);
    const expected: Record<string, string> = {
      artist: 'is required',
      title: 'must be at most 200 characters',
      type: 'must be one of single, ep, album',
      upc: 'must be 12 or 13 digits with a valid check digit',
      isrc: '&quot;NOTANISRC&quot; is not an ISRC',
      releaseAt: 'must be a date and time like',
      timing: 'must be local or global',
      services: '&quot;spotify&quot; is not configured on this server',
      slug: '&quot;admin&quot; is reserved',
      themeAccent: 'must be a colour written #rrggbb',
      themeBackground: 'must be a colour written #rrggbb',
      languages: '&quot;not_a_lang&quot; is not a language tag',
      artist_sandbox: 'is not a Sandbox artist',
      match_sandbox: 'is not a Sandbox album address or URI',
      'link_youtube-music': 'must be a YouTube Music address',
      link_bandcamp: 'must be an https:// URL',
      artwork: 'is not a JPEG, PNG or WebP image',
    };
    for (const [field, message] of Object.entries(expected)) {
      const m = new RegExp(`<p class="err" id="${field}-error">([^<]*)</p>`).exec(res.body);
      expect(m?.[1], field).toContain(message);
    }
    // Values are kept (escaped); the file is not (browsers cannot refill it).
    expect(res.body).toContain('value="https://evil.example.com/watch"');
    expect(res.body).toContain('value="purple"');
    expect(res.body).toContain('Nothing was saved');
    expect(await countCampaigns()).toBe(before);
    expect((await editorDb(ctx.db).selectFrom('campaign_editor').select('campaign_id').execute()).length).toBe(0);
    // An edit slug that would shadow the editor's own pages.
    const again = await postMultipart(app, a, '/w/band/campaigns/new', baseForm({ slug: 'new' }));
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('&quot;new&quot; is reserved');
  });

  it('creates a campaign with artwork, artist ids, link-outs, theme and languages in the workspace', async () => {
    const a = await primed('editor', '/w/band/campaigns/new');
    const res = await postMultipart(
      app,
      a,
      '/w/band/campaigns/new',
      baseForm({
        followArtist: 'on',
        themeAccent: '#FF5500',
        themeBackground: '#101820',
        languages: 'en, FR, pt-br',
        artist_sandbox: 'sandbox:artist:band123',
        'link_youtube-music': 'https://music.youtube.com/playlist?list=OLAK5uy_x',
        link_bandcamp: 'https://theband.bandcamp.com/album/night-drive',
      }),
      { artwork: { filename: 'cover.png', contentType: 'image/png', data: png } },
    );
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(303);
    expect(res.headers.location).toBe('/w/band/campaigns/night-drive/edit?done=created');
    const c = (await findCampaignBySlug(ctx.db, 'night-drive'))!;
    expect(c.follow_artist).toBe(true);
    expect(c.services).toEqual(['sandbox']);
    const ws = await ctx.db.selectFrom('campaigns').select('workspace_id').where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(ws.workspace_id).not.toBeNull();
    const s = await editorDb(ctx.db).selectFrom('campaign_editor').selectAll().where('campaign_id', '=', c.id).executeTakeFirstOrThrow();
    expect([s.theme_accent, s.theme_background, JSON.parse(s.languages)]).toEqual(['#ff5500', '#101820', ['en', 'fr', 'pt-BR']]);
    const ids = await editorDb(ctx.db).selectFrom('campaign_artist_ids').selectAll().where('campaign_id', '=', c.id).execute();
    expect(ids.map((r) => [r.service, r.artist_uri])).toEqual([['sandbox', 'sandbox:artist:band123']]);
    expect((await campaignLinks(ctx.db, c.id)).map((l) => l.service).sort()).toEqual(['bandcamp', 'youtube-music']);

    // Artwork: resized JPEGs with the right sizes (1200×900 centre-cropped to 900×900; never enlarged).
    expect(c.artwork_url).toMatch(/^\/assets\/artwork\/\d+\/[0-9a-f]{16}\/1000\.jpg$/);
    const dir = path.join(artworkRoot(ctx.config.dataDir), String(c.id), c.artwork_url!.split('/')[4]!);
    const dims: Record<string, [number, number]> = {
      '3000.jpg': [900, 900],
      '1000.jpg': [900, 900],
      '640.jpg': [640, 640],
      '300.jpg': [300, 300],
      'social.jpg': [1200, 630],
    };
    for (const [file, [w, h]] of Object.entries(dims)) {
      const meta = await sharp(fs.readFileSync(path.join(dir, file))).metadata();
      expect([meta.format, meta.width, meta.height], file).toEqual(['jpeg', w, h]);
    }
    // Served with long cache headers and nosniff; anything else under /assets/artwork is 404.
    const asset = await app.inject({ method: 'GET', url: c.artwork_url! });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toBe('image/jpeg');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
    expect((await app.inject({ method: 'GET', url: c.artwork_url!.replace('1000.jpg', '../../x.jpg') })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: c.artwork_url!.replace('1000.jpg', 'original.png') })).statusCode).toBe(404);

    // The public page shows it; the edit page shows the values back with the timeline.
    const pub = await app.inject({ method: 'GET', url: '/night-drive' });
    expect(pub.statusCode).toBe(200);
    expect(pub.body).toContain(`src="${c.artwork_url}"`);
    // Link previews get the social card at its absolute address; the page wears the campaign's colours.
    const card = new URL(c.artwork_url!.replace('1000.jpg', 'social.jpg'), ctx.config.publicUrl).href;
    expect(pub.body).toContain(`<meta property="og:image" content="${card}" />`);
    expect((await app.inject({ method: 'GET', url: new URL(card).pathname })).statusCode).toBe(200);
    expect(pub.body).toContain(':root{--accent:#ff5500}');
    expect(pub.body).toContain(':root{--bg:#101820}body{background:#101820}');
    // Offered in en, fr and pt-BR: a French visitor gets French, a German one the first language.
    const lang = async (accept: string) =>
      /<html lang="([^"]+)"/.exec(
        (await app.inject({ method: 'GET', url: '/night-drive', headers: { 'accept-language': accept } })).body,
      )?.[1];
    expect([await lang('fr-FR,fr;q=0.9'), await lang('de-DE'), await lang('pt-BR')]).toEqual(['fr', 'en', 'pt']);
    const edit = await agents.editor.get(res.headers.location as string);
    expect(edit.body).toContain('Campaign created.');
    expect(edit.body).toContain('value="sandbox:artist:band123"');
    expect(edit.body).toContain('value="en, fr, pt-BR"');
    expect((edit.body.match(/<li class="[a-z]+" data-day=/g) ?? []).length).toBe(8);
  });

  it('viewers see a campaign read-only and cannot create, edit, upload, duplicate or archive (403)', async () => {
    const a = await primed('viewer', '/w/band/campaigns/night-drive/edit');
    const page = await agents.viewer.get('/w/band/campaigns/night-drive/edit');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<fieldset disabled>');
    expect(page.body).not.toContain('Save changes');
    expect(page.body).not.toContain('action="/w/band/campaigns/night-drive/archive"');
    const before = (await findCampaignBySlug(ctx.db, 'night-drive'))!;
    const multipartRoutes = ['/w/band/campaigns/new', '/w/band/campaigns/night-drive/edit', '/w/band/campaigns/night-drive/artwork'];
    for (const url of multipartRoutes) {
      const res = await postMultipart(app, a, url, baseForm({ title: 'Hijacked', slug: 'hijacked' }), {
        artwork: { filename: 'x.png', contentType: 'image/png', data: png },
      });
      expect(res.statusCode, url).toBe(403);
    }
    for (const url of ['/w/band/campaigns/night-drive/duplicate', '/w/band/campaigns/night-drive/archive']) {
      expect((await a.post(url, { releaseAt: inDays(30) })).statusCode, url).toBe(403);
    }
    expect((await a.get('/w/band/campaigns/night-drive/preview?title=x')).statusCode).toBe(403);
    const after = (await findCampaignBySlug(ctx.db, 'night-drive'))!;
    expect(after).toEqual(before);
    expect(await findCampaignBySlug(ctx.db, 'hijacked')).toBeNull();
    expect(await findCampaignBySlug(ctx.db, 'night-drive-copy')).toBeNull();
    // An outsider does not even learn the campaign exists.
    expect((await agents.outsider.get('/w/band/campaigns/night-drive/edit')).statusCode).toBe(404);
  });

  it('every POST needs the CSRF token and a same-site origin', async () => {
    const a = await primed('editor');
    // A file behind a wrong token is never written: the token is checked when the file part begins.
    fs.rmSync(uploadTmpDir(ctx.config.dataDir), { recursive: true, force: true });
    const withFile = await postMultipart(
      app,
      a,
      '/w/band/campaigns/new',
      baseForm({ slug: 'csrf-test' }),
      { artwork: { filename: 'a.png', contentType: 'image/png', data: png } },
      { csrf: 'x'.repeat(43) },
    );
    expect(withFile.statusCode).toBe(403);
    expect(fs.existsSync(uploadTmpDir(ctx.config.dataDir))).toBe(false);
    for (const url of ['/w/band/campaigns/new', '/w/band/campaigns/night-drive/edit', '/w/band/campaigns/night-drive/artwork']) {
      const none = await postMultipart(app, a, url, baseForm({ slug: 'csrf-test' }), {}, { csrf: false });
      expect(none.statusCode, url).toBe(403);
      expect(none.body).toContain('DROPDAY_ERR_CSRF');
      const wrong = await postMultipart(app, a, url, baseForm({ slug: 'csrf-test' }), {}, { csrf: 'x'.repeat(43) });
      expect(wrong.statusCode, url).toBe(403);
      // Tokens never travel in addresses: the right token in the query is not accepted.
      const inAddress = await postMultipart(app, a, `${url}?_csrf=${a.csrf!}`, baseForm({ slug: 'csrf-test' }), {}, { csrf: false });
      expect(inAddress.statusCode, url).toBe(403);
      const cross = await postMultipart(app, a, url, baseForm({ slug: 'csrf-test' }), {}, { headers: { 'sec-fetch-site': 'cross-site' } });
      expect(cross.statusCode, url).toBe(403);
    }
    for (const url of ['/w/band/campaigns/night-drive/duplicate', '/w/band/campaigns/night-drive/archive']) {
      expect((await a.post(url, { releaseAt: inDays(30) }, { csrf: false })).statusCode, url).toBe(403);
      expect((await a.post(url, { releaseAt: inDays(30) }, { headers: { origin: 'https://evil.example' } })).statusCode, url).toBe(403);
    }
    expect(await findCampaignBySlug(ctx.db, 'csrf-test')).toBeNull();
    expect((await findCampaignBySlug(ctx.db, 'night-drive'))!.status).toBe('active');
    expect(await findCampaignBySlug(ctx.db, 'night-drive-copy')).toBeNull();
  });

  it('artwork uploads: a disguised file, a too-large file and a too-small image are refused with clear messages', async () => {
    const a = await primed('editor', '/w/band/campaigns/night-drive/edit');
    const url = '/w/band/campaigns/night-drive/artwork';
    const before = (await findCampaignBySlug(ctx.db, 'night-drive'))!.artwork_url;
    const cases: [string, Buffer, string][] = [
      [
        'cover.png',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        'is not a JPEG, PNG or WebP image (whatever its name says)',
      ],
      ['cover.jpg', Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(2000)]), 'is not a JPEG, PNG or WebP image'],
      [
        'huge.png',
        Buffer.concat([png.subarray(0, 8), Buffer.alloc(25 * 1024 * 1024 + 100)]),
        'The file is 25.0 MB; artwork can be at most 25 MB.',
      ],
      ['small.png', await makeImage(500, 500), 'The image is 500×500 pixels; artwork must be at least 640×640.'],
      ['thin.jpg', await makeImage(2000, 600, 'jpeg'), 'The image is 2000×600 pixels; artwork must be at least 640×640.'],
      ['broken.png', png.subarray(0, 200), 'could not be read'],
    ];
    for (const [filename, data, message] of cases) {
      const res = await postMultipart(app, a, url, {}, { artwork: { filename, contentType: 'image/png', data } });
      expect(res.statusCode, filename).toBe(filename === 'huge.png' ? 413 : 400);
      expect(/<p class="err" id="upload-artwork-error">([^<]*)<\/p>/.exec(res.body)?.[1], filename).toContain(message);
    }
    const empty = await postMultipart(
      app,
      a,
      url,
      {},
      { artwork: { filename: '', contentType: 'application/octet-stream', data: Buffer.alloc(0) } },
    );
    expect(empty.body).toContain('Choose an image file to upload.');
    // Bigger than any upload form may be (64 MB, as declared): refused before reading, as too large, in words.
    const tooBig = await app.inject({
      method: 'POST',
      url,
      cookies: Object.fromEntries(a.cookies),
      headers: { 'content-type': 'multipart/form-data; boundary=b', 'content-length': String(70 * 1024 * 1024) },
      payload: Buffer.from('--b\r\nContent-Disposition: form-data; name="artwork"; filename="x.png"\r\n\r\n'),
      remoteAddress: a.remoteAddress,
    });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.body).toContain('artwork can be at most 25 MB');
    expect(tooBig.body).not.toContain('DROPDAY_ERR_INTERNAL');
    expect((await findCampaignBySlug(ctx.db, 'night-drive'))!.artwork_url).toBe(before);
    // Nothing of any upload is left in DATA_DIR/tmp once answered.
    expect(fs.readdirSync(uploadTmpDir(ctx.config.dataDir))).toEqual([]);

    // A WebP (square, 3200 px) replaces it: every size made, the old version removed.
    const webp = await makeImage(3200, 3200, 'webp');
    const ok = await postMultipart(app, a, url, {}, { artwork: { filename: 'cover.webp', contentType: 'image/webp', data: webp } });
    expect(ok.statusCode).toBe(303);
    const after = (await findCampaignBySlug(ctx.db, 'night-drive'))!;
    expect(after.artwork_url).not.toBe(before);
    const dir = path.join(artworkRoot(ctx.config.dataDir), String(after.id));
    expect(fs.readdirSync(dir)).toEqual([after.artwork_url!.split('/')[4]]);
    const big = await sharp(fs.readFileSync(path.join(dir, after.artwork_url!.split('/')[4]!, '3000.jpg'))).metadata();
    expect([big.width, big.height]).toEqual([3000, 3000]);
  });

  it('a too-large or non-image artwork on the form is refused next to the field, every other field kept', async () => {
    const a = await primed('editor', '/w/band/campaigns/new');
    const form = baseForm({
      title: 'Kept Title',
      slug: 'kept-title',
      artist_sandbox: 'sandbox:artist:band123',
      link_bandcamp: 'https://kept.bandcamp.com/album/x',
    });
    const cases: [string, Buffer, number, string][] = [
      [
        'huge.png',
        Buffer.concat([png.subarray(0, 8), Buffer.alloc(30 * 1024 * 1024)]),
        413,
        'The file is 30.0 MB; artwork can be at most 25 MB.',
      ],
      ['notes.png', Buffer.from('just some text'), 400, 'is not a JPEG, PNG or WebP image'],
      ['small.png', await makeImage(500, 500), 400, 'The image is 500×500 pixels; artwork must be at least 640×640.'],
    ];
    for (const [filename, data, status, message] of cases) {
      await agents.editor.get('/w/band/campaigns/new');
      const res = await postMultipart(app, a, '/w/band/campaigns/new', form, { artwork: { filename, contentType: 'image/png', data } });
      expect(res.statusCode, filename).toBe(status);
      expect(/<p class="err" id="artwork-error">([^<]*)<\/p>/.exec(res.body)?.[1], filename).toContain(message);
      // Fields before and after the artwork in the form all come back.
      expect(res.body).toContain('>GB-AAA-26-00001</textarea>');
      for (const v of [
        'Kept Title',
        'The Band',
        form.releaseAt as string,
        'kept-title',
        'sandbox:artist:band123',
        'https://kept.bandcamp.com/album/x',
      ])
        expect(res.body, `${filename}: ${v}`).toContain(`value="${v}"`);
      expect(res.body).toContain('Nothing was saved');
      expect(await findCampaignBySlug(ctx.db, 'kept-title')).toBeNull();
    }
    expect(fs.readdirSync(uploadTmpDir(ctx.config.dataDir))).toEqual([]);
  });

  it('checks the ids an artist enters with the service: unknown refused on its field, unreachable saved with a warning', async () => {
    const a = await primed('editor', '/w/band/campaigns/new');
    const before = await countCampaigns();
    // The id from the first-time artist's report: well-formed once, but the Sandbox does not know it.
    const unknown = await postMultipart(
      app,
      a,
      '/w/band/campaigns/new',
      baseForm({ slug: 'ids-1', artist_sandbox: 'sandbox:artist:novalights', followArtist: 'on' }),
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toMatch(/id="artist_sandbox-error">Sandbox does not know this artist \(sandbox:artist:novalights\)/);
    const dashed = await postMultipart(
      app,
      a,
      '/w/band/campaigns/new',
      baseForm({ slug: 'ids-1', artist_sandbox: 'sandbox:artist:nova-lights' }),
    );
    expect(dashed.statusCode).toBe(400);
    expect(dashed.body).toMatch(/id="artist_sandbox-error">is not a Sandbox artist/);
    const badRelease = await postMultipart(
      app,
      a,
      '/w/band/campaigns/new',
      baseForm({ slug: 'ids-1', match_sandbox: 'sandbox:album:BBBBBBBBBBBBBBBBBBBBBB' }),
    );
    expect(badRelease.statusCode).toBe(400);
    expect(badRelease.body).toMatch(/id="match_sandbox-error">Sandbox does not know this release/);
    // Two years and a day ahead: a typo for the year, refused.
    const far = await postMultipart(app, a, '/w/band/campaigns/new', baseForm({ slug: 'ids-1', releaseAt: inDays(731) }));
    expect(far.statusCode).toBe(400);
    expect(far.body).toMatch(/id="releaseAt-error">is more than 730 days ahead \(2 years\): check the year/);
    expect(await countCampaigns()).toBe(before);

    // The Sandbox failing: the id cannot be checked, so it is saved and the page says so.
    await addFault(ctx.db, { kind: 'server_error', target: 'search', statusCode: 503 }, Date.now());
    try {
      const saved = await postMultipart(
        app,
        a,
        '/w/band/campaigns/new',
        baseForm({ slug: 'ids-1', artist_sandbox: 'sandbox:artist:band123' }),
      );
      expect(saved.statusCode, saved.body.slice(0, 2000)).toBe(303);
      expect(saved.headers.location).toBe('/w/band/campaigns/ids-1/edit?done=created&unchecked=artist_sandbox%3Aunreachable');
      const page = await agents.editor.get(saved.headers.location as string);
      expect(page.body).toContain(
        'The Sandbox artist to follow (sandbox:artist:band123) was saved without being checked: Sandbox could not be reached.',
      );
    } finally {
      await clearFaults(ctx.db);
    }
  });

  it('edits a campaign: keeps a past release, changes the slug, keeps values on errors', async () => {
    const a = await primed('editor', '/w/band/campaigns/night-drive/edit');
    const c = (await findCampaignBySlug(ctx.db, 'night-drive'))!;
    const release = await ctx.db.selectFrom('sandbox_releases').select('id').where('campaign_id', '=', c.id).executeTakeFirstOrThrow();
    const album = `sandbox:album:${release.id}`;
    const bad = await postMultipart(
      app,
      a,
      '/w/band/campaigns/night-drive/edit',
      baseForm({ title: '', releaseAt: inDays(-2), themeAccent: '#zzzzzz' }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/id="title-error">is required</);
    expect(bad.body).toMatch(/id="releaseAt-error">must be in the future</);
    expect(bad.body).toMatch(/id="themeAccent-error">must be a colour/);
    expect(bad.body).toContain('value="#zzzzzz"');
    expect((await findCampaignBySlug(ctx.db, 'night-drive'))!.title).toBe('Night Drive');
    // An empty date (or a date without its time, which the browser sends empty) asks for it, next to the field.
    const noDate = await postMultipart(app, a, '/w/band/campaigns/night-drive/edit', baseForm({ releaseAt: '' }));
    expect(noDate.statusCode).toBe(400);
    expect(noDate.body).toMatch(/id="releaseAt-error">Enter the release date and time \(both: /);

    const ok = await postMultipart(
      app,
      a,
      '/w/band/campaigns/night-drive/edit',
      baseForm({
        title: 'Night Drive (Remix)',
        slug: 'night-drive-remix',
        releaseAt: c.release_local.slice(0, 16),
        match_sandbox: album,
        artist_sandbox: 'sandbox:artist:band123',
        link_bandcamp: 'https://theband.bandcamp.com/album/night-drive',
      }),
    );
    expect(ok.statusCode, ok.body.slice(0, 2000)).toBe(303);
    expect(ok.headers.location).toBe('/w/band/campaigns/night-drive-remix/edit?done=saved');
    const updated = (await findCampaignBySlug(ctx.db, 'night-drive-remix'))!;
    expect(updated.title).toBe('Night Drive (Remix)');
    expect(updated.artwork_url).toBe(c.artwork_url);
    expect((await campaignLinks(ctx.db, c.id)).map((l) => l.service)).toEqual(['bandcamp']);
    const m = (await listMatches(ctx.db, c.id)).find((x) => x.service === 'sandbox');
    expect([m?.albumUri, m?.overridden, m?.artistUris]).toEqual([album, true, ['sandbox:artist:band123']]);
    // Rename back for the next tests.
    await agents.editor.get('/w/band/campaigns/night-drive-remix/edit');
    const back = await postMultipart(
      app,
      a,
      '/w/band/campaigns/night-drive-remix/edit',
      baseForm({
        releaseAt: c.release_local.slice(0, 16),
        artist_sandbox: 'sandbox:artist:band123',
        link_bandcamp: 'https://theband.bandcamp.com/album/x',
      }),
    );
    expect(back.statusCode).toBe(303);
  });

  it('live preview renders the form values without saving, framable by this site only', async () => {
    const a = await primed('editor');
    const q = new URLSearchParams({
      title: 'Preview <Title>',
      artist: 'Someone',
      themeAccent: '#ff0000',
      releaseAt: inDays(10),
      timezone: 'UTC',
      timing: 'global',
    });
    q.append('services', 'sandbox');
    const res = await a.get(`/w/band/campaigns/night-drive/preview?${q}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Preview &lt;Title&gt;');
    expect(res.body).toContain('Pre-save on Sandbox');
    expect(res.body).toContain('.btn{background:#ff0000;color:#fff}');
    expect(res.body).toContain('Preview — not saved');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(res.headers['content-security-policy']).toContain("form-action 'none'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    const fresh = await a.get(`/w/band/campaigns/new/preview?${q}`);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body).toContain('art-placeholder');
    expect((await findCampaignBySlug(ctx.db, 'night-drive'))!.title).toBe('Night Drive');
    // Other pages stay unframable.
    expect((await a.get('/w/band/campaigns/night-drive/edit')).headers['x-frame-options']).toBe('DENY');
  });

  it('timing guidance: warns when the link goes live more than 6 weeks or less than 3 days before release', async () => {
    const a = await primed('editor', '/w/band/campaigns/new');
    const cases: [string, number, string | null][] = [
      ['soon', 2, 'too-late'],
      ['later', 60, 'too-early'],
      ['fine', 30, null],
    ];
    for (const [slug, days, kind] of cases) {
      await agents.editor.get('/w/band/campaigns/new');
      const res = await postMultipart(app, a, '/w/band/campaigns/new', baseForm({ slug, releaseAt: inDays(days), timing: 'global' }));
      expect(res.statusCode, slug).toBe(303);
      const page = await agents.editor.get(`/w/band/campaigns/${slug}/edit`);
      const m = /data-warning="([a-z-]+)">([^<]*)</.exec(page.body);
      expect(m?.[1] ?? null, slug).toBe(kind);
      if (kind === 'too-late')
        expect(m?.[2]).toMatch(/^The link goes live only [12] days? before the release\. Few fans will see it in time/);
      if (kind === 'too-early') expect(m?.[2]).toMatch(/^The link goes live (59|60) days before the release, more than 6 weeks ahead\./);
    }
  });

  it('duplicates with a new future release date and slug <slug>-copy; archives (public page 410, listed apart)', async () => {
    const a = await primed('editor', '/w/band/campaigns/night-drive/edit');
    const src = (await findCampaignBySlug(ctx.db, 'night-drive'))!;
    const noDate = await a.post('/w/band/campaigns/night-drive/duplicate', { releaseAt: '' });
    expect(noDate.statusCode).toBe(400);
    expect(noDate.body).toMatch(/id="releaseAt-error">is required: a copy needs its own release date/);
    const past = await a.post('/w/band/campaigns/night-drive/duplicate', { releaseAt: inDays(-1) });
    expect(past.statusCode).toBe(400);
    expect(past.body).toMatch(/id="releaseAt-error">must be in the future</);

    const ok = await a.post('/w/band/campaigns/night-drive/duplicate', { releaseAt: inDays(40) });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/w/band/campaigns/night-drive-copy/edit?done=duplicated');
    const copy = (await findCampaignBySlug(ctx.db, 'night-drive-copy'))!;
    expect([copy.title, copy.artist_name, copy.isrcs, copy.services, copy.follow_artist]).toEqual([
      src.title,
      src.artist_name,
      src.isrcs,
      src.services,
      src.follow_artist,
    ]);
    expect(copy.release_local.slice(0, 16)).toBe(inDays(40));
    expect(copy.artwork_url).toMatch(new RegExp(`^/assets/artwork/${copy.id}/`));
    expect((await app.inject({ method: 'GET', url: copy.artwork_url! })).statusCode).toBe(200);
    expect((await campaignLinks(ctx.db, copy.id)).map((l) => l.url)).toEqual((await campaignLinks(ctx.db, src.id)).map((l) => l.url));
    const ids = await editorDb(ctx.db).selectFrom('campaign_artist_ids').select('artist_uri').where('campaign_id', '=', copy.id).execute();
    expect(ids.map((r) => r.artist_uri)).toEqual(['sandbox:artist:band123']);
    await a.get('/w/band/campaigns/night-drive/edit');
    const second = await a.post('/w/band/campaigns/night-drive/duplicate', { releaseAt: inDays(41) });
    expect(second.headers.location).toBe('/w/band/campaigns/night-drive-copy-2/edit?done=duplicated');
    const taken = await a.post('/w/band/campaigns/night-drive/duplicate', { releaseAt: inDays(41), slug: 'night-drive-copy' });
    expect(taken.statusCode).toBe(400);
    expect(taken.body).toMatch(/id="slug-error">is already used by another campaign</);

    // Archive.
    await a.get('/w/band/campaigns/night-drive-copy/edit');
    // First a page that says what archiving cancels; nothing changes until it is confirmed.
    const ask = await a.post('/w/band/campaigns/night-drive-copy/archive');
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('Archive? No pre-saves are pending. The public page will say the campaign has ended.');
    expect(ask.body).toContain('name="confirm" value="yes"');
    expect((await a.post('/w/band/campaigns/night-drive-copy/archive', { confirm: 'yes' })).body).toContain('id="archive-confirm"');
    expect((await a.post('/w/band/campaigns/night-drive-copy/archive', { confirm: 'yes', pending: 'x' })).body).toContain(
      'id="archive-confirm"',
    );
    expect((await findCampaignBySlug(ctx.db, 'night-drive-copy'))!.status).toBe('active');
    const arch = await a.post('/w/band/campaigns/night-drive-copy/archive', { confirm: 'yes', pending: '0' });
    expect(arch.statusCode).toBe(303);
    expect(arch.headers.location).toBe('/w/band/campaigns?done=archived');
    expect((await app.inject({ method: 'GET', url: '/night-drive-copy' })).statusCode).toBe(410);
    const list = await agents.viewer.get('/w/band/campaigns');
    const archived = list.body.slice(list.body.indexOf('id="archived"'));
    expect(list.body.indexOf('id="archived"')).toBeGreaterThan(0);
    expect(archived).toContain('data-campaign="night-drive-copy"');
    expect(archived).not.toContain('data-campaign="night-drive"');
    const row = await editorDb(ctx.db)
      .selectFrom('campaign_editor')
      .select(['archived_at', 'archived_by'])
      .where('campaign_id', '=', copy.id)
      .executeTakeFirstOrThrow();
    expect(row.archived_at).not.toBeNull();
    // An archived campaign is read-only.
    const page = await a.get('/w/band/campaigns/night-drive-copy/edit');
    expect(page.body).toContain('This campaign is archived');
    expect(page.body).toContain('action="/w/band/campaigns/night-drive-copy/duplicate"');
    expect(page.body).not.toContain('action="/w/band/campaigns/night-drive-copy/archive"');
    const edit = await postMultipart(app, a, '/w/band/campaigns/night-drive-copy/edit', baseForm({ slug: 'night-drive-copy' }));
    expect(edit.statusCode).toBe(410);

    // Restore: viewers cannot; an editor can, and the public page is back.
    expect(page.body).toContain('action="/w/band/campaigns/night-drive-copy/restore"');
    const viewer = await primed('viewer', '/w/band/campaigns/night-drive-copy/edit');
    expect((await viewer.post('/w/band/campaigns/night-drive-copy/restore')).statusCode).toBe(403);
    await a.get('/w/band/campaigns/night-drive-copy/edit');
    const restored = await a.post('/w/band/campaigns/night-drive-copy/restore');
    expect(restored.statusCode).toBe(303);
    expect(restored.headers.location).toBe('/w/band/campaigns/night-drive-copy/edit?done=restored');
    expect((await findCampaignBySlug(ctx.db, 'night-drive-copy'))!.status).toBe('active');
    expect((await app.inject({ method: 'GET', url: '/night-drive-copy' })).statusCode).toBe(200);
    const back = await a.get(restored.headers.location as string);
    expect(back.body).toContain('Campaign restored');
    expect(back.body).toContain('action="/w/band/campaigns/night-drive-copy/archive"');
  });

  it('campaigns of other workspaces and CLI campaigns are not reachable', async () => {
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      { slug: 'cli-made', artistName: 'X', title: 'Y', isrcs: ['GB-AAA-26-00002'], releaseAt: inDays(20), services: ['sandbox'] },
    );
    const a = await primed('owner');
    expect((await a.get('/w/band/campaigns/cli-made/edit')).statusCode).toBe(404);
    expect((await a.post('/w/band/campaigns/cli-made/archive')).statusCode).toBe(404);
    expect((await findCampaignBySlug(ctx.db, 'cli-made'))!.status).toBe('active');
  });
});
