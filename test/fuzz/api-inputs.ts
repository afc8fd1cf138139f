import { request } from 'undici';
import { FIELDS, NASTY_TEXT, textValue, type Body } from './inputs.js';
import type { Rng } from './random.js';

/**
 * What the fuzzer sends the REST API (/api/v1): JSON bodies built from the fields the routes'
 * own schemas name (read from the served OpenAPI document, so a new field is fuzzed without
 * anyone listing it), with right and wrong types; Idempotency-Key headers; odd Authorization.
 */

/** Body field names per route, keyed like the fuzzer's routes: `PATCH /api/v1/campaigns/:slug`. */
export type ApiBodies = Record<string, string[]>;

interface OpenApiDoc {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: object } }> } }>>;
}

export async function apiBodiesOf(base: string): Promise<ApiBodies> {
  const res = await request(`${base}/api/v1/openapi.json`);
  const doc = (await res.body.json()) as OpenApiDoc;
  const out: ApiBodies = {};
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const props = op.requestBody?.content?.['application/json']?.schema?.properties;
      if (props) out[`${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`] = Object.keys(props);
    }
  }
  return out;
}

/**
 * Values that fit a field, nearly fit, or are refused for a reason its check must name. No slug
 * another campaign could take (a PATCH would rename the world's campaign away from the fuzzer),
 * no address that leaves this machine (a webhook's or artwork's URL is checked, never fetched,
 * but a name would be resolved).
 */
const FITTING: Record<string, unknown[]> = {
  name: ['fuzz key', '', '  '],
  scopes: [['campaigns:read'], ['keys:write', 'keys:write'], ['nope:read'], [], 'campaigns:read', [1]],
  expires_at: [null, '2031-01-01T00:00:00Z', '2000-01-01T00:00:00Z', 'tomorrow', '2031-02-30T00:00:00Z', 1],
  slug: ['night-drive', 'Night Drive!', 'new', 'api', '-', 'a'.repeat(300)],
  title: ['Night Drive', ''],
  artist: ['The Band', ''],
  type: ['single', 'album', 'ep', 'x'],
  artwork_url: [null, 'http://127.0.0.1:9/cover.jpg', 'file:///etc/passwd', 'not a url', 'data:image/png;base64,AAAA'],
  upc: [null, '012345678905', '123', ''],
  isrcs: [['GB-AAA-26-00001'], ['GB-AAA-26-00001', 'GB-AAA-26-00001'], ['x'], [], 'GB-AAA-26-00001'],
  release_at: ['2031-01-01T00:00', '2031-01-01T00:00:00Z', '2031-02-30T00:00', '1999-01-01T00:00', '', 'x'],
  timezone: ['UTC', 'Europe/Berlin', 'Mars/Base', ''],
  timing: ['local', 'global', 'x'],
  services: [['sandbox'], ['sandbox', 'spotify'], ['nope'], [], 'sandbox', [null]],
  follow_artist: [true, false, 'yes'],
  url: [
    'https://music.youtube.com/playlist?list=OLAK5uy_x',
    'http://127.0.0.1:9/hook',
    'https://10.0.0.1/hook',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'ftp://203.0.113.9/x',
    'javascript:alert(1)',
    'https://user:pass@203.0.113.9:99999/x',
    '',
  ],
  events: [['presave.created'], ['presave.created', 'campaign.released'], ['nope'], [], 'presave.created'],
  description: ['fuzz', '', 'two\nlines'],
  enabled: [true, false, 'false', 0],
  release: ['https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy', 'spotify:album:4aawyAB9vmqN3uQ7FjRGTy', 'sandbox:release:x', ''],
  artist_uris: [['spotify:artist:0OdUWJ0sBjDrqHygGUXeCF'], [], ['x'], 'spotify:artist:0OdUWJ0sBjDrqHygGUXeCF'],
  service: [null, 'sandbox', 'spotify', 'nope'],
};

/** Nested `depth` deep as text (JSON.stringify would overflow the stack first). */
function deep(field: string, depth: number): string {
  return `{${JSON.stringify(field)}:${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

/** A JSON body for one API route: its own fields with fitting and wrong values, and now and then unknown fields or the wrong shape. */
export function apiJsonBody(rng: Rng, fields: string[]): Body {
  const own = fields.length ? fields : ['name'];
  const r = rng.int(20);
  if (r === 0)
    return { kind: 'api-json-deep', contentType: 'application/json', payload: Buffer.from(deep(rng.pick(own), rng.pick([50, 5_000]))) };
  if (r === 1)
    return { kind: 'api-json-not-object', contentType: 'application/json', payload: Buffer.from(JSON.stringify(textValue(rng))) };
  const obj: Record<string, unknown> = {};
  // Usually most of the route's fields (so some requests are whole), one at a time wrong.
  for (const f of own) if (rng.chance(0.7)) obj[f] = rng.chance(0.75) ? rng.pick(FITTING[f] ?? ['x']) : textValue(rng);
  if (rng.chance(0.15)) obj[rng.pick(FIELDS) || 'extra'] = textValue(rng);
  if (rng.chance(0.05)) obj[rng.pick(own)] = rng.pick(NASTY_TEXT);
  return {
    kind: 'api-json',
    contentType: rng.chance(0.9)
      ? 'application/json'
      : rng.pick(['application/json; charset=latin1', 'application/problem+json', 'text/json']),
    payload: Buffer.from(JSON.stringify(obj)),
  };
}

/** Idempotency-Key values: fresh, reused (so retries, replays and mismatches happen), and refused ones. */
export function idempotencyKey(rng: Rng): string {
  return rng.pick([
    `fuzz-${rng.int(1_000_000_000)}`,
    'fuzz-reused',
    'fuzz-reused-2',
    '',
    ' ',
    'k'.repeat(256),
    'k'.repeat(255),
    'tab\there',
    'caf\u00e9',
    '"quoted", key',
  ]);
}

/** Authorization headers a confused or hostile client sends, beside the right one. */
export function oddAuthorization(rng: Rng, good: string): string {
  const secret = good.replace(/^Bearer /, '');
  return rng.pick([
    'Bearer',
    'Bearer ',
    `bearer ${secret}`,
    `Bearer  ${secret}  `,
    `Bearer ${secret} extra`,
    `Bearer ${secret}x`,
    `Bearer ${secret.slice(0, 13)}`,
    `Basic ${Buffer.from(`${secret}:`).toString('base64')}`,
    `Token ${secret}`,
    `Bearer ddk_00000000_${'A'.repeat(43)}`,
    `Bearer ${'a'.repeat(5_000)}`,
    'Bearer \u00e9\u00e9',
  ]);
}
