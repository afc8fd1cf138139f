import fs from 'node:fs';
import { OpenAPIBackend, type Document, type Operation } from 'openapi-backend';
import { afterEach, beforeAll, expect, it } from 'vitest';
import YAML from 'yaml';
import { getCampaignBySlug } from '../src/campaigns/repo.js';
import { createCampaign } from '../src/campaigns/service.js';
import { EnvReader } from '../src/config-reader.js';
import { campaignStatusCounts } from '../src/presaves/repo.js';
import { SpotifyAdapter } from '../src/providers/spotify/adapter.js';
import { readSpotifyConfig } from '../src/providers/spotify/config.js';
import { testDialects } from './helpers/db.js';
import { describeWithSpec, specFile } from './helpers/specs.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { spotifyPresave } from './fakes/spotify/fan.js';
import { startSpotifyFake, type RecordedRequest, type SpotifyFake } from './fakes/spotify/index.js';
import { consentAs, TEST_REDIRECT_URI } from './fakes/spotify/simulate.js';

/**
 * Contract: every request the Spotify adapter sends to the Web API — during a full pre-save loop,
 * and during resolution by UPC, ISRC and title, save, verification, /me and the legacy follow
 * fallback — is validated against Spotify's OpenAPI document with openapi-backend. A request that
 * matches no operation or fails validation fails the test. The fake's 200 answers are checked
 * against the documented response schemas too, so the fake cannot drift from Spotify either.
 */

const SPEC_PATH = specFile('spotify-web-api.openapi.yml');
const suite = describeWithSpec(SPEC_PATH);
const LIBRARY_MAX_URIS = 40; // documented in the parameter description, not as a schema constraint

interface SpecOperation {
  operationId?: string;
  deprecated?: boolean;
  requestBody?: { content: Record<string, unknown> };
}
interface Spec {
  servers: { url: string }[];
  paths: Record<string, Record<string, SpecOperation>>;
}

type Sent = Pick<RecordedRequest, 'method' | 'path' | 'query' | 'headers' | 'body'>;

class SpotifyContract {
  readonly spec = YAML.parse(fs.readFileSync(SPEC_PATH!, 'utf8')) as Spec;
  /** The spec's server is https://api.spotify.com/v1: paths in the spec are relative to /v1. */
  readonly basePath = new URL(this.spec.servers[0]!.url).pathname.replace(/\/$/, '');
  readonly api = new OpenAPIBackend({
    definition: structuredClone(this.spec) as unknown as Document,
    strict: false,
    quick: false,
    ajvOpts: { logger: false },
  });

  init(): Promise<unknown> {
    return this.api.init();
  }

  operationFor(req: Pick<Sent, 'method' | 'path'>): Operation | undefined {
    if (!req.path.startsWith(`${this.basePath}/`)) return undefined;
    return this.api.router.matchOperation({ method: req.method, path: req.path.slice(this.basePath.length), headers: {} }) as
      Operation | undefined;
  }

  /** Problems with one request as sent: empty when it is exactly what the spec documents. */
  problems(req: Sent): string[] {
    const where = `${req.method} ${req.path}?${new URLSearchParams(req.query as Record<string, string>)}`;
    const op = this.operationFor(req);
    if (!op) return [`${where}: no operation in the Spotify spec`];
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    );
    const hasBody = req.body !== undefined && req.body !== '';
    let body: unknown;
    if (hasBody) {
      try {
        body = JSON.parse(req.body);
      } catch {
        body = req.body;
      }
    }
    const out: string[] = [];
    const result = this.api.validateRequest(
      { method: req.method, path: req.path.slice(this.basePath.length), query: req.query, headers, ...(hasBody ? { body } : {}) },
      op,
    );
    for (const e of result.errors ?? [])
      out.push(`${where}: ${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);

    // What openapi-backend does not check: an undocumented body, the bearer token, documented limits in prose.
    const spec = this.spec.paths[op.path]![op.method]!;
    if (hasBody && !spec.requestBody) out.push(`${where}: sends a body, but ${op.operationId} takes none (parameters go in the query)`);
    if (!/^Bearer \S+$/.test(headers.authorization ?? '')) out.push(`${where}: no Bearer token`);
    if (op.operationId === 'save-library-items' || op.operationId === 'check-library-contains') {
      const n = String(req.query.uris ?? '').split(',').length;
      if (n > LIBRARY_MAX_URIS) out.push(`${where}: ${n} URIs, the documented maximum is ${LIBRARY_MAX_URIS}`);
    }
    return out;
  }

  /** Problems with a 200 answer of the fake against the documented response schema. */
  responseProblems(req: RecordedRequest): string[] {
    const op = this.operationFor(req);
    if (!op || req.status !== 200 || !req.responseBody) return [];
    const result = this.api.validateResponse(JSON.parse(req.responseBody) as unknown, op, 200);
    return (result.errors ?? []).map((e) => `${req.method} ${req.path} answer: ${e.instancePath || '/'} ${e.message ?? e.keyword}`);
  }

  deprecated(req: Sent): boolean {
    const op = this.operationFor(req);
    return Boolean(op && this.spec.paths[op.path]![op.method]!.deprecated);
  }
}

// Built only when the document is there; every suite below is skipped otherwise.
const contract = (SPEC_PATH ? new SpotifyContract() : undefined) as SpotifyContract;
beforeAll(async () => {
  await contract.init();
}, 60_000);

function expectAllConform(requests: RecordedRequest[]) {
  expect(requests.length).toBeGreaterThan(0);
  expect(requests.flatMap((r) => contract.problems(r))).toEqual([]);
  expect(requests.flatMap((r) => contract.responseProblems(r))).toEqual([]);
}

const operationsHit = (requests: RecordedRequest[]) =>
  new Set(requests.map((r) => contract.operationFor(r)?.operationId ?? `UNMATCHED ${r.method} ${r.path}`));

const UPC = '036000291452';
const ISRC = 'GBAAA2600001';

suite('Spotify contract: the adapter’s defaults', () => {
  it('talks to the documented API server', () => {
    const config = readSpotifyConfig(new EnvReader({ SPOTIFY_CLIENT_ID: 'a'.repeat(32) }), 'https://dropday.example')!;
    expect(config.apiBaseUrl).toBe(contract.spec.servers[0]!.url);
    expect(config.accountsBaseUrl).toBe('https://accounts.spotify.com');
  });
});

suite.each(testDialects())('Spotify contract: every request of a full loop validates against the spec (%s)', (dialect) => {
  let server: TestServer | undefined;
  let fake: SpotifyFake | undefined;
  afterEach(async () => {
    await server?.close();
    await fake?.close();
    server = undefined;
    fake = undefined;
  });

  it('consent, /me, resolution by UPC, ISRC and title, refresh, save with follow, verification', async () => {
    let clock = Date.now();
    fake = await startSpotifyFake({ now: () => clock });
    server = await startTestServer(dialect, fake.env(), () => clock);
    const { ctx, url } = server;
    fake.state.registerRedirectUri(`${url}/callback/spotify`);
    const releaseAt = clock + 2 * 3600_000;
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    const base = {
      artistName: 'Contract Artist',
      releaseAt: new Date(releaseAt).toISOString(),
      timezone: 'UTC',
      timing: 'global',
      services: ['spotify'],
    };
    await createCampaign(deps, { ...base, slug: 'by-upc', title: 'Clause', upc: UPC, followArtist: true });
    await createCampaign(deps, { ...base, slug: 'by-isrc', title: 'Subclause', upc: '4006381333931', isrcs: [ISRC] });
    await createCampaign(deps, { ...base, slug: 'by-title', title: 'Fine Print', upc: '5012345678900' });
    fake.state.addAlbum({ name: 'Clause', artists: ['Contract Artist', 'Witness'], upc: UPC, liveAt: releaseAt });
    fake.state.addAlbum({ name: 'Subclause', artists: ['Contract Artist'], tracks: [{ isrc: ISRC }], liveAt: releaseAt });
    fake.state.addAlbum({ name: 'Fine Print (Sped Up)', artists: ['Contract Artist'], liveAt: releaseAt });
    fake.state.addAlbum({ name: 'Fine Print', artists: ['Contract Artist'], liveAt: releaseAt });
    // One campaign per fan pair. (The same fan in several campaigns due at once trips two engine
    // issues reported to the lead: concurrent refreshes of one grant, and scope downgrade on re-consent.)
    const fans: Record<string, string[]> = { 'by-upc': ['ana', 'bo'], 'by-isrc': ['chen', 'dee'], 'by-title': ['eve', 'fay'] };
    for (const [slug, pair] of Object.entries(fans)) for (const fan of pair) await spotifyPresave(url, slug, fan);

    clock = releaseAt + 60_000; // tokens have expired: every fan's grant is refreshed first
    server.worker.start();
    server.worker.nudge();
    await waitFor(
      async () => {
        const all = await Promise.all(
          ['by-upc', 'by-isrc', 'by-title'].map(async (s) =>
            campaignStatusCounts(ctx.db, (await getCampaignBySlug(ctx.db, s)).id, ctx.now()),
          ),
        );
        return all.every((c) => c.saved === 2);
      },
      { what: 'six saves', timeoutMs: 30_000 },
    );
    const titles: Record<string, string> = { 'by-upc': 'Clause', 'by-isrc': 'Subclause', 'by-title': 'Fine Print' };
    for (const [slug, pair] of Object.entries(fans))
      for (const fan of pair) expect(fake.state.albumsOf(fan).map((a) => a.name)).toEqual([titles[slug]]);

    const requests = fake.state.apiRequests();
    expectAllConform(requests);
    const hit = operationsHit(requests);
    for (const op of ['get-current-users-profile', 'search', 'get-an-album', 'save-library-items', 'check-library-contains']) {
      expect(hit).toContain(op);
    }
    // Nothing deprecated (legacy /me/albums, /me/following) in the normal path.
    expect(requests.filter((r) => contract.deprecated(r))).toEqual([]);
    expect(fake.state.apiRequests('legacy')).toEqual([]);
  });
});

suite('Spotify contract: adapter calls one by one', () => {
  let fake: SpotifyFake | undefined;
  const adapters: SpotifyAdapter[] = [];
  afterEach(async () => {
    for (const a of adapters.splice(0)) await a.close();
    await fake?.close();
    fake = undefined;
  });

  function adapterFor(f: SpotifyFake, legacyFollowFallback = false) {
    const a = new SpotifyAdapter(
      {
        clientId: f.clientId,
        clientSecret: null,
        redirectUri: TEST_REDIRECT_URI,
        accountsBaseUrl: f.url,
        apiBaseUrl: f.apiUrl,
        legacyFollowFallback,
      },
      { timeoutMs: 5000, now: Date.now },
    );
    adapters.push(a);
    return a;
  }

  it('resolution by UPC (with a look-alike), ISRC, title and market; save and verify; /me', async () => {
    fake = await startSpotifyFake();
    const adapter = adapterFor(fake);
    const t = await consentAs(fake, adapter, 'ana', { followArtist: true });
    fake.state.addAlbum({ name: 'Clause (Live)', artists: ['Contract Artist'], upc: '4006381333931', searchAlso: [`upc:${UPC}`] });
    const byUpc = fake.state.addAlbum({ name: 'Clause', artists: ['Contract Artist'], upc: `0${UPC}` });
    fake.state.addAlbum({ name: 'Subclause', artists: ['Contract Artist'], tracks: [{ isrc: ISRC }] });
    fake.state.addAlbum({ name: 'Fine Print', artists: ['Contract Artist'] });
    const q = { artistName: 'Contract Artist', isrcs: [] as string[] };
    expect((await adapter.resolveRelease(t.accessToken, { ...q, title: 'Clause', upc: UPC, market: 'GB' }))?.matchedBy).toBe('upc');
    expect((await adapter.resolveRelease(t.accessToken, { ...q, title: 'Subclause', upc: null, isrcs: [ISRC] }))?.matchedBy).toBe('isrc');
    expect((await adapter.resolveRelease(t.accessToken, { ...q, title: 'Fine Print', upc: null }))?.matchedBy).toBe('title');
    expect(
      await adapter.resolveRelease(t.accessToken, { ...q, title: 'Nothing Here', upc: '5012345678900', isrcs: ['USRC17607839'] }),
    ).toBeNull();
    await adapter.currentAccount(t.accessToken);
    const uris = [`spotify:album:${byUpc.id}`, `spotify:artist:${byUpc.artists[0]!.id}`];
    await adapter.saveToLibrary(t.accessToken, uris);
    expect(await adapter.libraryContains(t.accessToken, uris)).toEqual([true, true]);

    const requests = fake.state.apiRequests();
    expectAllConform(requests);
    expect(requests.find((r) => r.target === 'albums' && r.query.market === 'GB')).toBeDefined();
  });

  it('the legacy follow fallback (Extended Quota apps) uses the documented follow operations', async () => {
    fake = await startSpotifyFake({
      artistUrisInLibrary: 'reject',
      clients: [{ clientId: 'extendedquotaclient0000000000001', mode: 'extended' }],
    });
    const adapter = adapterFor(fake, true);
    const album = fake.state.addAlbum({ name: 'Clause', artists: ['Contract Artist'], upc: UPC });
    const t = await consentAs(fake, adapter, 'ana', { followArtist: true });
    const uris = [`spotify:album:${album.id}`, `spotify:artist:${album.artists[0]!.id}`];
    await adapter.saveToLibrary(t.accessToken, uris);
    expect(await adapter.libraryContains(t.accessToken, uris)).toEqual([true, true]);
    const requests = fake.state.apiRequests();
    expect(requests.flatMap((r) => contract.problems(r))).toEqual([]);
    const hit = operationsHit(requests);
    expect(hit).toContain('follow-artists-users');
    expect(hit).toContain('save-library-items');
  });
});

suite('Spotify contract: the validator catches drift', () => {
  const sent = (method: string, p: string, query: Record<string, string> = {}, body = ''): Sent => ({
    method,
    path: `/v1${p}`,
    query,
    headers: { authorization: 'Bearer BQtoken', ...(body ? { 'content-type': 'application/json' } : {}) },
    body,
  });

  it('accepts what the adapter sends', () => {
    expect(contract.problems(sent('GET', '/search', { q: `upc:${UPC}`, type: 'album', limit: '5' }))).toEqual([]);
    expect(contract.problems(sent('PUT', '/me/library', { uris: 'spotify:album:4aawyAB9vmqN3uQ7FjRGTy' }))).toEqual([]);
  });

  it('limit=11 on /search (the spec says maximum 10)', () => {
    expect(contract.problems(sent('GET', '/search', { q: `upc:${UPC}`, type: 'album', limit: '11' })).join()).toMatch(/limit.*<= 10/);
  });

  it('a made-up query parameter', () => {
    expect(contract.problems(sent('GET', '/albums/4aawyAB9vmqN3uQ7FjRGTy', { upc: UPC })).join()).toMatch(/additional properties/);
  });

  it('a bad search type and a missing required parameter', () => {
    expect(contract.problems(sent('GET', '/search', { q: 'x', type: 'albums' }))).not.toEqual([]);
    expect(contract.problems(sent('GET', '/search', { q: 'x' })).join()).toMatch(/required/);
    expect(contract.problems(sent('PUT', '/me/library')).join()).toMatch(/required/);
  });

  it('a JSON body on PUT /me/library (URIs belong in the query) and more than 40 URIs', () => {
    const body = JSON.stringify({ uris: ['spotify:album:4aawyAB9vmqN3uQ7FjRGTy'] });
    expect(contract.problems(sent('PUT', '/me/library', { uris: 'spotify:album:4aawyAB9vmqN3uQ7FjRGTy' }, body)).join()).toMatch(
      /takes none/,
    );
    const many = Array.from({ length: 41 }, () => 'spotify:album:4aawyAB9vmqN3uQ7FjRGTy').join(',');
    expect(contract.problems(sent('PUT', '/me/library', { uris: many })).join()).toMatch(/41 URIs/);
  });

  it('a fake answer that drifts from the documented response schema', () => {
    const answer = (body: unknown): RecordedRequest => ({
      ...sent('GET', '/albums/4aawyAB9vmqN3uQ7FjRGTy'),
      seq: 1,
      at: 0,
      clock: 0,
      url: '/v1/albums/4aawyAB9vmqN3uQ7FjRGTy',
      target: 'albums',
      status: 200,
      responseBody: JSON.stringify(body),
    });
    expect(contract.responseProblems(answer({ id: '4aawyAB9vmqN3uQ7FjRGTy', name: 'No barcode, no tracks' }))).not.toEqual([]);
  });

  it('an endpoint that does not exist, and a request without a bearer token', () => {
    expect(contract.problems(sent('PUT', '/me/librarry', { uris: 'x' })).join()).toMatch(/no operation/);
    expect(contract.problems({ ...sent('GET', '/me'), headers: {} }).join()).toMatch(/no Bearer token/);
  });
});
