import fs from 'node:fs';
import { OpenAPIBackend, type Operation } from 'openapi-backend';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { EnvReader } from '../src/config-reader.js';
import { readTidalConfig } from '../src/providers/tidal/config.js';
import { testDialects } from './helpers/db.js';
import { describeWithSpec, specFile } from './helpers/specs.js';
import type { TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { counts, presaveOnTidal, startDropdayWithTidal, tidalCampaign } from './fakes/tidal/dropday.js';
import { startTidalFake, type RecordedRequest, type TidalFake } from './fakes/tidal/index.js';
import { adapterFor, tokensFor } from './fakes/tidal/oauth.js';

/**
 * Contract: every request the TIDAL adapter sends (during a full pre-save loop, and during
 * resolution by UPC, ISRC and title, save and verification) is checked against TIDAL's published
 * OpenAPI document with openapi-backend. A request that matches no operation, or fails validation,
 * fails the test. The fake's own 200 answers are checked against the documented response schemas.
 */

const SPEC_PATH = specFile('tidal-api.openapi.json');
const suite = describeWithSpec(SPEC_PATH);
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface Spec {
  servers: { url: string }[];
  paths: Record<string, Record<string, SpecOperation>>;
  components: { securitySchemes: Record<string, { flows: Record<string, Record<string, unknown>> }> };
}
interface SpecOperation {
  operationId?: string;
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, unknown> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

/**
 * openapi-backend needs operationIds (this spec has none) and validates bodies only for
 * `application/json`, while TIDAL documents `application/vnd.api+json`: give each operation an id
 * and mirror its JSON:API request bodies under `application/json`, so they are validated rather
 * than skipped.
 */
function prepare(spec: Spec): Spec {
  const copy = structuredClone(spec);
  for (const [p, item] of Object.entries(copy.paths)) {
    for (const m of METHODS) {
      const op = item[m];
      if (!op) continue;
      op.operationId ??= `${m.toUpperCase()} ${p}`;
      const body = op.requestBody?.content;
      if (body?.['application/vnd.api+json'] && !body['application/json']) body['application/json'] = body['application/vnd.api+json'];
    }
  }
  return copy;
}

/**
 * Response schemas for the fake's answers. Validating answers against the whole spec is not
 * practical (every document's `included` is a `oneOf` over ~70 resource types, which openapi-backend
 * compiles for minutes and cannot tell apart without discriminator support), so this second backend
 * holds only the operations the adapter calls, with `included` checked item by item against the
 * resource schema its `type` maps to (the spec's own discriminator mapping).
 */
function responseDefinition(spec: Spec, paths: string[]): unknown {
  const out: Record<string, Record<string, unknown>> = {};
  for (const p of paths) {
    for (const m of METHODS) {
      const ok = spec.paths[p]?.[m]?.responses?.['200']?.content?.['application/vnd.api+json'];
      if (!ok) continue;
      (out[p] ??= {})[m] = {
        operationId: `${m.toUpperCase()} ${p}`,
        responses: { 200: { description: 'ok', content: { 'application/json': ok } } },
      };
    }
  }
  const schemas = (
    spec.components as unknown as { schemas: Record<string, { items?: { discriminator?: { mapping?: Record<string, string> } } }> }
  ).schemas;
  const mapping = schemas.Included?.items?.discriminator?.mapping ?? {};
  for (const [type, ref] of Object.entries(mapping)) {
    out[`/__included/${type}`] = {
      get: {
        operationId: `included ${type}`,
        responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: ref } } } } },
      },
    };
  }
  return {
    openapi: '3.0.1',
    info: { title: 'TIDAL responses used by Dropday', version: '1' },
    paths: out,
    components: {
      ...spec.components,
      schemas: { ...schemas, Included: { type: 'array', items: { type: 'object', required: ['id', 'type'] } } },
    },
  };
}

const ANSWERED_PATHS = [
  '/albums',
  '/albums/{id}',
  '/tracks',
  '/searchResults',
  '/users/{id}',
  '/userCollectionAlbums/{id}/relationships/items',
  '/userCollectionAlbums/{id}/relationships/owners',
  '/userCollectionArtists/{id}/relationships/items',
];

class TidalContract {
  readonly spec: Spec = JSON.parse(fs.readFileSync(SPEC_PATH!, 'utf8')) as Spec;
  readonly basePath = new URL(this.spec.servers[0]!.url).pathname.replace(/\/$/, '');
  readonly api = new OpenAPIBackend({ definition: prepare(this.spec) as never, strict: false, ajvOpts: { logger: false } });
  readonly answers = new OpenAPIBackend({
    definition: responseDefinition(this.spec, ANSWERED_PATHS) as never,
    strict: false,
    ajvOpts: { logger: false },
  });
  private readonly tiers = (this.spec.components.securitySchemes.Authorization_Code_PKCE!.flows.authorizationCode![
    'x-scopes-required-access-tier'
  ] ?? {}) as Record<string, string>;

  init(): Promise<unknown> {
    return Promise.all([this.api.init(), this.answers.init()]);
  }

  operationFor(req: Pick<RecordedRequest, 'method' | 'path' | 'query' | 'headers'>): Operation | undefined {
    if (!req.path.startsWith(`${this.basePath}/`)) return undefined;
    return this.api.router.matchOperation({
      method: req.method,
      path: req.path.slice(this.basePath.length),
      query: req.query,
      headers: {},
    }) as Operation | undefined;
  }

  /** Problems with one request as sent: empty when it is exactly what the spec documents. */
  problems(req: Pick<RecordedRequest, 'method' | 'path' | 'query' | 'headers' | 'body'>, grantedScopes: string[]): string[] {
    const where = `${req.method} ${req.path}`;
    const op = this.operationFor(req);
    if (!op) return [`${where}: no operation in the TIDAL spec`];
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    );
    const body = req.body === undefined ? undefined : (JSON.parse(req.body) as unknown);
    const out: string[] = [];
    const result = this.api.validateRequest(
      {
        method: req.method,
        path: req.path.slice(this.basePath.length),
        query: req.query,
        headers,
        ...(body !== undefined ? { body } : {}),
      },
      op.operationId!,
    );
    for (const e of result.errors ?? [])
      out.push(`${where}: ${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);

    // What openapi-backend does not check: media types, the bearer token, and the scopes.
    const spec = this.spec.paths[op.path]![op.method]!;
    if (body !== undefined) {
      const type = (headers['content-type'] ?? '').split(';')[0]!.trim();
      if (!spec.requestBody || !(type in spec.requestBody.content))
        out.push(`${where}: content-type "${type}" is not documented for this body`);
    } else if (spec.requestBody && req.method !== 'GET') {
      out.push(`${where}: sent without the documented request body`);
    }
    if (!/application\/vnd\.api\+json/.test(headers.accept ?? '')) out.push(`${where}: Accept must name application/vnd.api+json`);
    if (!/^Bearer \S+$/.test(headers.authorization ?? '')) out.push(`${where}: no Bearer token`);
    const missing = this.requiredScopes(op).filter((s) => !grantedScopes.includes(s));
    if (missing.length) out.push(`${where}: needs scope ${missing.join(', ')} which Dropday does not ask for`);
    return out;
  }

  /** Problems with a 200 answer of the fake against the documented response schema. */
  responseProblems(req: RecordedRequest): string[] {
    const op = this.operationFor(req);
    if (!op || req.status !== 200 || !req.responseBody) return [`${req.method} ${req.path}: no 200 answer to check`];
    const where = `${req.method} ${req.path} answer`;
    const answerOp = this.answers.router.getOperation(op.operationId!);
    if (!answerOp) return [`${where}: the adapter called ${op.operationId}, which ANSWERED_PATHS does not list`];
    const doc = JSON.parse(req.responseBody) as { included?: { type?: string }[] };
    const errors = [...(this.answers.validateResponse(doc, answerOp, 200).errors ?? [])];
    for (const item of doc.included ?? []) {
      const itemOp = this.answers.router.getOperation(`included ${item.type}`);
      if (!itemOp) errors.push({ instancePath: '/included', message: `unknown resource type ${item.type}` } as never);
      else
        errors.push(
          ...(this.answers.validateResponse(item, itemOp, 200).errors ?? []).map((e) => ({
            ...e,
            instancePath: `/included(${item.type})${e.instancePath}`,
          })),
        );
    }
    return errors.map((e) => `${where}: ${e.instancePath || '/'} ${e.message ?? e.keyword}`);
  }

  /**
   * THIRD_PARTY scopes an operation needs with a fan's token. Operations also open to client
   * credentials (the catalog, search) serve public data to any token; their listed user scopes
   * only unlock personal extras (e.g. `search.read`: personalized results), so none is needed.
   */
  requiredScopes(op: Operation): string[] {
    const spec = this.spec.paths[op.path]![op.method]!;
    if ((spec.security ?? []).some((s) => 'Client_Credentials' in s)) return [];
    return (spec.security ?? []).flatMap((s) => s.Authorization_Code_PKCE ?? []).filter((s) => this.tiers[s] === 'THIRD_PARTY');
  }

  scopesUsedBy(requests: RecordedRequest[]): Set<string> {
    const used = new Set<string>();
    for (const r of requests) {
      const op = this.operationFor(r);
      for (const scope of op ? this.requiredScopes(op) : []) used.add(scope);
    }
    return used;
  }
}

// Built only when the document is there; every suite below is skipped otherwise.
const contract = (SPEC_PATH ? new TidalContract() : undefined) as TidalContract;
beforeAll(async () => {
  await contract.init();
}, 60_000);

function expectAllConform(requests: RecordedRequest[], scopes: string[]) {
  expect(requests.length).toBeGreaterThan(0);
  const problems = requests.flatMap((r) => contract.problems(r, scopes));
  expect(problems).toEqual([]);
  const answers = requests.filter((r) => r.status === 200).flatMap((r) => contract.responseProblems(r));
  expect(answers).toEqual([]);
}

const operationsHit = (requests: RecordedRequest[]) =>
  new Set(requests.map((r) => contract.operationFor(r)?.operationId ?? `UNMATCHED ${r.method} ${r.path}`));

suite('TIDAL contract: the adapter’s defaults match the spec', () => {
  it('talks to the documented API server, authorization URL and token URL', () => {
    const config = readTidalConfig(new EnvReader({ TIDAL_CLIENT_ID: 'x' }), 'https://dropday.example')!;
    const flow = contract.spec.components.securitySchemes.Authorization_Code_PKCE!.flows.authorizationCode!;
    expect(config.apiBaseUrl).toBe(contract.spec.servers[0]!.url);
    expect(`${config.loginBaseUrl}/authorize`).toBe(flow.authorizationUrl);
    expect(`${config.authBaseUrl}/token`).toBe(flow.tokenUrl);
    const scopes = Object.keys(flow.scopes as Record<string, string>);
    for (const s of ['collection.read', 'collection.write']) expect(scopes).toContain(s);
  });
});

suite.each(testDialects())('TIDAL contract: every request validates against tidal-api.openapi.json (%s)', (dialect) => {
  let server: TestServer | undefined;
  let fake: TidalFake | undefined;
  afterEach(async () => {
    await server?.close();
    await fake?.close();
    server = undefined;
    fake = undefined;
  });

  it('a full loop: consent, account, resolution by UPC, ISRC and title, follow, save, paged verification, refresh', async () => {
    let clock = Date.now();
    // One item per collection page, so verification must follow the cursor.
    fake = await startTidalFake({ now: () => clock, pageSize: 1 });
    server = await startDropdayWithTidal(dialect, fake, {}, () => clock);
    const { ctx, url } = server;
    const releaseAt = clock + 60_000;
    fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water', upc: '036000291452', availableFrom: releaseAt });
    fake.state.addRelease({
      artist: 'Tide Artist',
      title: 'Low Tide',
      upc: '012345678905',
      isrcs: ['GBAYE2600002'],
      availableFrom: releaseAt,
    });
    fake.state.addRelease({ artist: 'Tide Artist', title: 'Undertow', upc: '4006381333931', availableFrom: releaseAt });
    const at = new Date(releaseAt).toISOString();
    await tidalCampaign(ctx, { slug: 'by-upc', releaseAt: at, followArtist: true });
    await tidalCampaign(ctx, { slug: 'by-isrc', releaseAt: at, title: 'Low Tide', upc: null, isrcs: ['GBAYE2600002'] });
    await tidalCampaign(ctx, { slug: 'by-title', releaseAt: at, title: 'Undertow', upc: null, isrcs: ['GBAYE2600099'] });
    for (const slug of ['by-upc', 'by-isrc', 'by-title']) {
      await presaveOnTidal(url, slug, 'ana');
      await presaveOnTidal(url, slug, 'bo');
    }
    await presaveOnTidal(url, 'by-upc', 'cy');
    clock = releaseAt + 1000;
    fake.state.expireAccessTokens('cy'); // one fan's token has expired: a refresh happens mid-loop
    server.worker.start();
    await waitFor(
      async () => {
        clock += 250; // time moves on, so short waits (backoff, another worker refreshing) end
        const all = await Promise.all(['by-upc', 'by-isrc', 'by-title'].map((s) => counts(ctx, s)));
        return all.map((c) => c.saved).join() === '3,2,2';
      },
      { what: 'seven saves', timeoutMs: 30_000 },
    );
    expect(fake.state.collectionOf('ana').albums).toHaveLength(3);
    expect(fake.state.collectionOf('ana').artists).toHaveLength(1);

    const requests = fake.apiRequests();
    const scopes = ctx.providers.get('tidal').scopesFor({ followArtist: true });
    expectAllConform(requests, scopes);
    expect([...operationsHit(requests)].sort()).toEqual(
      [
        'GET /albums',
        'GET /searchResults',
        'GET /tracks',
        'GET /userCollectionAlbums/{id}/relationships/items',
        'GET /userCollectionAlbums/{id}/relationships/owners',
        'GET /userCollectionArtists/{id}/relationships/items',
        'POST /userCollectionAlbums/{id}/relationships/items',
        'POST /userCollectionArtists/{id}/relationships/items',
      ].sort(),
    );
    // Verification followed the cursor through the one-item pages.
    expect(requests.some((r) => r.method === 'GET' && typeof r.query['page[cursor]'] === 'string')).toBe(true);
    // Least privilege: Dropday asks for exactly the scopes the operations it calls document.
    expect([...contract.scopesUsedBy(requests)].sort()).toEqual([...scopes].sort());
  });

  it('adapter-level calls (batches, duplicates, fan market, a not-yet-live release) validate too', async () => {
    fake = await startTidalFake({ pageSize: 2 });
    const adapter = adapterFor(fake);
    const t = await tokensFor(adapter, 'carl');
    const albums = Array.from({ length: 55 }, (_, i) =>
      fake!.state.addRelease({ artist: 'Batch Artist', title: `Song ${i}`, upc: `2000000000${String(i).padStart(2, '0')}` }),
    );
    const uris = albums.map((a) => `tidal:album:${a.album.id}`);
    await adapter.saveToLibrary(t.accessToken, [...uris, `tidal:artist:${albums[0]!.artists[0]!.id}`]);
    fake.state.duplicateAnswer = 'conflict';
    await adapter.saveToLibrary(t.accessToken, uris.slice(0, 2));
    expect((await adapter.libraryContains(t.accessToken, uris)).every(Boolean)).toBe(true);
    fake.state.addRelease({
      artist: 'Later',
      title: 'Soon',
      upc: '036000291452',
      isrcs: ['GBAYE2600003'],
      availableFrom: Date.now() + 3_600_000,
    });
    expect(
      await adapter.resolveRelease(t.accessToken, {
        upc: '036000291452',
        isrcs: ['GBAYE2600003'],
        artistName: 'Later',
        title: 'Soon',
        market: 'no',
      }),
    ).toBeNull();
    await adapter.currentAccount(t.accessToken);
    expectAllConform(fake.apiRequests(), adapter.scopesFor({ followArtist: true }));
  });
});

suite('TIDAL contract: the validator catches drift', () => {
  const valid = {
    method: 'POST',
    path: '/v2/userCollectionAlbums/me/relationships/items',
    query: {},
    headers: { authorization: 'Bearer t', accept: 'application/vnd.api+json', 'content-type': 'application/vnd.api+json' },
    body: JSON.stringify({ data: [{ type: 'albums', id: '1' }] }),
  };
  const scopes = ['collection.read', 'collection.write'];

  it('accepts the documented request', () => {
    expect(contract.problems(valid, scopes)).toEqual([]);
  });

  it('rejects a wrong body shape, a wrong type, and more than 50 items', () => {
    expect(contract.problems({ ...valid, body: JSON.stringify({ data: { type: 'albums', id: '1' } }) }, scopes).join('\n')).toMatch(
      /must be array/,
    );
    expect(contract.problems({ ...valid, body: JSON.stringify({ data: [{ type: 'album', id: '1' }] }) }, scopes).join('\n')).toMatch(
      /allowed values/,
    );
    const tooMany = { data: Array.from({ length: 51 }, (_, i) => ({ type: 'albums', id: String(i) })) };
    expect(contract.problems({ ...valid, body: JSON.stringify(tooMany) }, scopes).join('\n')).toMatch(/must NOT have more than 50 items/);
    expect(contract.problems({ ...valid, body: JSON.stringify({ uris: ['tidal:album:1'] }) }, scopes).join('\n')).toMatch(/required/);
  });

  it('rejects the wrong media type, a missing token, and a scope Dropday does not have', () => {
    expect(contract.problems({ ...valid, headers: { ...valid.headers, 'content-type': 'application/json' } }, scopes).join('\n')).toMatch(
      /content-type/,
    );
    expect(contract.problems({ ...valid, headers: { ...valid.headers, authorization: '' } }, scopes).join('\n')).toMatch(/Bearer/);
    expect(contract.problems(valid, ['collection.read']).join('\n')).toMatch(/needs scope collection.write/);
    expect(contract.problems({ ...valid, method: 'GET', path: '/v2/users/me', body: undefined }, scopes).join('\n')).toMatch(
      /needs scope user.read/,
    );
  });

  it('rejects an undocumented query parameter and an undocumented path', () => {
    const get = { ...valid, method: 'GET', path: '/v2/albums', body: undefined };
    expect(contract.problems({ ...get, query: { 'filter[barcodeId]': '036000291452', countryCode: 'US' } }, scopes)).toEqual([]);
    expect(contract.problems({ ...get, query: { 'filter[upc]': '036000291452' } }, scopes).join('\n')).toMatch(/additional properties/);
    expect(contract.problems({ ...get, path: '/v2/me/albums' }, scopes)).toEqual(['GET /v2/me/albums: no operation in the TIDAL spec']);
    expect(contract.problems({ ...get, path: '/v1/albums' }, scopes)).toEqual(['GET /v1/albums: no operation in the TIDAL spec']);
  });
});
