import net from 'node:net';
import { request } from 'undici';
import { readAccountsConfig } from '../../src/accounts/config.js';
import { createSession } from '../../src/accounts/sessions.js';
import { createUser } from '../../src/accounts/users.js';
import { createWorkspace } from '../../src/accounts/workspaces.js';
import { setCampaignWorkspace } from '../../src/accounts/campaigns.js';
import { createInvitation } from '../../src/accounts/invitations.js';
import { createCampaign } from '../../src/campaigns/service.js';
import { depsOf } from '../../src/editor/service.js';
import { setCampaignLink } from '../../src/smartlink/links.js';
import { storeFoundLinks } from '../../src/smartlink/found-links.js';
import { escapeIds } from '../../src/web/inapp/escape.js';
import { sessionTimeouts } from '../../src/web/auth-hooks.js';
import { FanBrowser } from '../helpers/fan.js';
import { newBrowserKeys } from '../fakes/push/decrypt.js';
import { storeSubscription } from '../../src/reach/push/subscriptions.js';
import { INAPP_UA } from '../helpers/user-agents.js';
import type { TestServer } from '../helpers/server.js';
import { body, encodedValue, FIELDS, NASTY_ENCODED, queryString, type Body } from './inputs.js';
import type { Rng } from './random.js';
import type { RouteInfo } from './routes.js';
import { createApiKey } from '../../src/api/keys/store.js';
import { API_SCOPES } from '../../src/api/scopes.js';
import { presaveApiId } from '../../src/api/reports/presave-id.js';
import { createEndpoint } from '../../src/webhooks/endpoints.js';
import { recordEvent } from '../../src/webhooks/deliveries/record.js';
import { apiBodiesOf, apiJsonBody, idempotencyKey, oddAuthorization, type ApiBodies } from './api-inputs.js';

/**
 * Who sends a request: nobody, a signed-in member with the session's CSRF token, or a client of
 * the API with the workspace's key (every scope, or only the read ones).
 */
export interface Identity {
  name: 'anonymous' | 'editor' | 'owner' | 'apikey' | 'apikey-read';
  cookie: string | null;
  csrf: string | null;
  /** `Bearer <key>` for the API identities. */
  authorization?: string;
}

export interface World {
  identities: Identity[];
  /** Valid values for route parameters, so requests reach the handlers behind the lookups. */
  params: Record<string, string[]>;
  /** Valid queries of the fan pages (a service chosen with this server's escape id, a language, a QR size and channel). */
  fanQueries: string[];
  /** Parameters the classic inputs use instead of the first of `params` on routes whose address contains `match`. */
  pinned: { match: string; params: Record<string, string> }[];
  /** The API's body fields per route (`POST /api/v1/keys`), read from its OpenAPI document. */
  apiBodies: ApiBodies;
  /** Values a DELETE must not get (the endpoint whose deliveries the fuzzer needs): the spare instead. */
  keep: { param: string; value: string; instead: string }[];
}

/** Apps' built-in browsers: the campaign page's in-app variant and the escape step answer them. */
const INAPP_AGENTS = [INAPP_UA.instagramIos, INAPP_UA.tiktokAndroid, INAPP_UA.lineAndroid];

/**
 * A workspace "band" with an owner and an editor (each with a session), a campaign with a
 * link-out, a found store link and a fan's pre-save, offering Spotify (so the in-app rescue's step
 * is reached), and a pending invitation: enough for every route's lookups to succeed sometimes.
 */
export async function buildWorld(s: TestServer): Promise<World> {
  const { ctx } = s;
  const now = ctx.now();
  const owner = await createUser(ctx.db, { email: 'owner@example.com', password: 'correct horse battery' }, now);
  const editor = await createUser(ctx.db, { email: 'editor@example.com', password: 'correct horse battery' }, now);
  const ws = await createWorkspace(ctx.db, { slug: 'band', name: 'The Band', kind: 'artist' }, owner.id, now);
  await ctx.db
    .insertInto('workspace_members')
    .values({ workspace_id: ws.id, user_id: editor.id, role: 'editor', created_at: now, updated_at: now })
    .execute();
  const campaign = await createCampaign(depsOf(ctx), {
    slug: 'night-drive',
    artistName: 'The Band',
    title: 'Night Drive',
    isrcs: ['GB-AAA-26-00001'],
    releaseAt: new Date(now + 30 * 86_400_000).toISOString().slice(0, 16),
    timezone: 'UTC',
    services: ['sandbox', 'spotify'],
  });
  await setCampaignWorkspace(ctx.db, campaign.id, ws.id);
  await setCampaignLink(ctx.db, campaign.id, 'youtube-music', 'https://music.youtube.com/playlist?list=OLAK5uy_x', now);
  await storeFoundLinks(ctx.db, campaign.id, [{ service: 'deezer', url: 'https://www.deezer.com/album/302127', source: 'deezer' }], now);
  const esc = escapeIds(ctx).issue(campaign.id, now);
  await createInvitation(ctx.db, ws, { userId: owner.id, role: 'owner' }, { email: 'guest@example.com', role: 'viewer' }, now, 86_400_000);
  // A fan's pre-save, made through the Sandbox like a real one, so /p/:publicId routes reach their handlers.
  const thanks = await new FanBrowser().presave(s.url, 'night-drive', 'fuzzfan', 'UTC');
  const publicId = new URL(thanks).pathname.split('/').pop()!;
  // A browser's push subscription, so /n/:manage routes reach their handlers.
  const browserKeys = newBrowserKeys();
  const push = await storeSubscription(
    ctx,
    ctx.db,
    {
      audience: `w:${ws.id}`,
      subscription: {
        endpoint: 'https://push.example/fuzz',
        keys: { p256dh: browserKeys.p256dh, auth: browserKeys.auth.toString('base64url') },
      },
      host: 'push.example',
      lang: 'en',
      campaignId: campaign.id,
    },
    now,
  );
  // The API: a key with every scope and a read-only one (the fuzzer's own, never revoked: their
  // prefixes are no route parameter), a spare key whose prefix is (to revoke), a webhook endpoint
  // with a delivery (never sent: the worker does not run) and a spare endpoint to delete.
  const newKey = (name: string, scopes: readonly (typeof API_SCOPES)[number][]) =>
    createApiKey(ctx.db, { workspaceId: ws.id, name, scopes, expiresAt: null, createdByUserId: owner.id, createdVia: 'cli' }, now);
  const allKey = await newKey('fuzz', API_SCOPES);
  const readKey = await newKey(
    'fuzz read',
    API_SCOPES.filter((sc) => sc.endsWith(':read')),
  );
  const spareKey = await newKey('spare', ['campaigns:read']);
  const endpoint = (url: string) =>
    createEndpoint(ctx, { workspaceId: ws.id, url, description: 'fuzz', events: ['presave.created', 'campaign.released'] }, now);
  const hook = (await endpoint('https://hooks.example.com/dropday')).endpoint;
  const spareHook = (await endpoint('https://hooks.example.com/spare')).endpoint;
  await recordEvent(
    ctx.db,
    {
      workspaceId: ws.id,
      type: 'campaign.released',
      dedupe: 'fuzz',
      occurredAt: now,
      data: { slug: 'night-drive' },
      endpointIds: [hook.id],
    },
    now,
  );
  const delivery = await ctx.db
    .selectFrom('webhook_deliveries')
    .select('public_id')
    .where('endpoint_id', '=', hook.id)
    .executeTakeFirstOrThrow();
  const presaveRow = await ctx.db.selectFrom('presaves').select('id').where('campaign_id', '=', campaign.id).executeTakeFirstOrThrow();
  const psId = presaveApiId(ctx, Number(presaveRow.id));
  const accounts = readAccountsConfig(ctx.config.publicUrl, {});
  const signedIn = async (name: 'editor' | 'owner', userId: number): Promise<Identity> => {
    const sess = await createSession(ctx.db, userId, now, sessionTimeouts(accounts));
    return { name, cookie: `${accounts.sessionCookie}=${sess.token}`, csrf: sess.csrfToken };
  };
  return {
    identities: [
      { name: 'anonymous', cookie: null, csrf: null },
      await signedIn('editor', editor.id),
      await signedIn('owner', owner.id),
      { name: 'apikey', cookie: null, csrf: null, authorization: `Bearer ${allKey.secret}` },
      { name: 'apikey-read', cookie: null, csrf: null, authorization: `Bearer ${readKey.secret}` },
    ],
    params: {
      workspace: ['band'],
      slug: ['night-drive', 'new'],
      service: ['sandbox', 'spotify', 'apple-music', 'youtube-music', 'deezer'],
      userId: [String(owner.id), String(editor.id)],
      id: ['1', 'x', hook.public_id, spareHook.public_id, psId],
      prefix: [spareKey.key.prefix, 'ddk_00000000'],
      delivery_id: [delivery.public_id, 'x'],
      code: ['DROPDAY_ERR_NOT_FOUND', 'NOT_FOUND'],
      campaignId: [String(campaign.id)],
      version: ['v1'],
      file: ['cover-640.jpg', 'uplot.js'],
      token: ['x'.repeat(43)],
      publicId: [publicId, 'x'.repeat(22)],
      manage: [push.manageId, 'x'.repeat(22)],
    },
    fanQueries: [`service=spotify&esc=${esc}`, 'lang=ar', 'size=2048&channel=merch', `service=spotify&esc=${esc}&lang=de`],
    // The found store link's service, so the editor's accept and remove reach their change; the
    // in-app step is Spotify's.
    pinned: [
      { match: '/found-links/', params: { service: 'deezer' } },
      { match: '/escape/', params: { service: 'spotify' } },
      { match: '/api/v1/webhooks/', params: { id: hook.public_id } },
      { match: '/links/:service', params: { service: 'youtube-music' } },
      { match: '/presaves/', params: { id: psId } },
    ],
    apiBodies: await apiBodiesOf(s.url),
    keep: [{ param: 'id', value: hook.public_id, instead: spareHook.public_id }],
  };
}

/**
 * Routes a signed-in identity skips: they end the identity the fuzzer needs (signing out,
 * leaving, deleting the workspace). Anonymous requests still fuzz them.
 */
const SIGNED_IN_SKIP = new Set(['POST /logout', 'POST /w/:workspace/leave', 'POST /w/:workspace/delete']);

export interface Sent {
  method: string;
  url: string;
  who: string;
  body: string;
  raw: boolean;
  /** The Idempotency-Key sent, if any: a refusal judged by an API handler is kept under it for replay. */
  idempotencyKey?: string;
}

export interface Answer {
  status: number;
  text: string;
}

const API = '/api/v1/';
const isApi = (route: RouteInfo) => route.url.startsWith(API);
const hasKey = (who: Identity) => who.authorization !== undefined;

/** Who sends a random request: on the API mostly a key (sometimes a read-only one), elsewhere anyone. */
function identityFor(rng: Rng, world: World, route: RouteInfo): Identity {
  const keys = world.identities.filter(hasKey);
  if (isApi(route) && rng.chance(0.85)) return rng.chance(0.8) ? keys[0]! : rng.pick(keys);
  return rng.pick(world.identities);
}

/** A parameter's value: the spare one where a DELETE would remove what the fuzzer needs. */
function kept(world: World, method: string, param: string, value: string): string {
  if (method !== 'DELETE') return value;
  return world.keep.find((k) => k.param === param && k.value === value)?.instead ?? value;
}

/** One random request at one route (or, now and then, at a route with the wrong method). */
export function plan(rng: Rng, world: World, route: RouteInfo): { sent: Sent; headers: Record<string, string>; body: Body | null } {
  let who = identityFor(rng, world, route);
  const key = `${route.method} ${route.url}`;
  if (SIGNED_IN_SKIP.has(key)) who = world.identities[0]!;
  let method = rng.chance(0.15) ? rng.pick(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND']) : route.method;
  if (SIGNED_IN_SKIP.has(`${method} ${route.url}`) && who.cookie) method = 'GET';
  let path = route.url;
  for (const p of route.params) {
    const value = rng.chance(0.8)
      ? encodeURIComponent(kept(world, method, p, rng.pick(world.params[p] ?? ['x'])))
      : rng.pick(NASTY_ENCODED) || 'x';
    path = path.replace(`:${p}`, value);
  }
  if (rng.chance(0.5)) path += `?${rng.chance(0.3) ? `${rng.pick(world.fanQueries)}&` : ''}${queryString(rng)}`;
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  if (who.cookie) cookies.push(who.cookie);
  if (who.csrf && rng.chance(0.9)) headers['x-csrf-token'] = who.csrf;
  if (who.authorization) headers.authorization = rng.chance(0.9) ? who.authorization : oddAuthorization(rng, who.authorization);
  if (isApi(route) && method === 'POST' && rng.chance(0.5)) headers['idempotency-key'] = idempotencyKey(rng);
  if (rng.chance(0.2))
    cookies.push(`${rng.pick(['dropday_session', 'dropday_csrf', 'dropday_service', 'dropday_bind'])}=${encodedValue(rng)}`);
  if (cookies.length) headers.cookie = cookies.join('; ');
  if (rng.chance(0.3)) headers.accept = 'application/json';
  if (rng.chance(0.1)) headers['accept-language'] = rng.pick(['zz-ZZZZZZZZZ;q=x, *;q=-1', `${'a'.repeat(4000)}`, 'fr-FR,fr;q=0.9', ',,;;']);
  if (rng.chance(0.1)) headers.origin = rng.pick(['null', 'https://evil.example', 'http://127.0.0.1']);
  if (rng.chance(0.05)) headers['sec-fetch-site'] = rng.pick(['cross-site', 'same-origin', 'none', 'x']);
  if (rng.chance(0.05)) headers['x-forwarded-for'] = rng.pick(['not-an-ip', '1.2.3.4, ::1, ', '999.999.1.1']);
  if (rng.chance(0.15))
    headers['user-agent'] = rng.pick(['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)', 'x'.repeat(5000), 'Googlebot/2.1', ...INAPP_AGENTS]);
  if (rng.chance(0.05)) headers['cf-ipcountry'] = rng.pick(['ZZ', 'XX', 'T1', '12', 'a'.repeat(100)]);
  const apiBody = isApi(route) && rng.chance(0.75);
  const b =
    method === 'GET' || method === 'HEAD' ? null : apiBody ? apiJsonBody(rng, world.apiBodies[`${method} ${route.url}`] ?? []) : body(rng);
  if (b?.contentType !== undefined) headers['content-type'] = b.contentType;
  const multipartCsrf = b?.kind === 'multipart' && who.csrf && rng.chance(0.5);
  if (multipartCsrf) path += `${path.includes('?') ? '&' : '?'}_csrf=${encodeURIComponent(who.csrf!)}`;
  const sent: Sent = { method, url: path, who: who.name, body: b?.kind ?? 'none', raw: false };
  if (headers['idempotency-key'] !== undefined) sent.idempotencyKey = headers['idempotency-key'];
  return { sent, headers, body: b };
}

export async function send(base: string, p: ReturnType<typeof plan>): Promise<Answer> {
  const res = await request(`${base}${p.sent.url}`, {
    method: p.sent.method,
    headers: p.headers,
    ...(p.body ? { body: p.body.payload } : {}),
    headersTimeout: 20_000,
    bodyTimeout: 20_000,
  });
  const text = p.sent.method === 'HEAD' ? '' : await res.body.text();
  return { status: res.statusCode, text: text.slice(0, 300) };
}

/** Requests no well-behaved client sends, as bytes on a socket (inject() and undici refuse to). */
export const RAW_REQUESTS: Buffer[] = [
  Buffer.concat([Buffer.from('GET /w/'), Buffer.from([0xff, 0xfe]), Buffer.from('/campaigns HTTP/1.1\r\nHost: x\r\n\r\n')]),
  Buffer.concat([Buffer.from('GET /caf'), Buffer.from([0xc3, 0x28]), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]),
  Buffer.from('GET /a\u0000b HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1'),
  Buffer.concat([
    Buffer.from('GET /night-drive HTTP/1.1\r\nHost: x\r\nAccept-Language: '),
    Buffer.from([0xff, 0xfe, 0xc3]),
    Buffer.from('\r\n\r\n'),
  ]),
  Buffer.concat([
    Buffer.from('GET /night-drive HTTP/1.1\r\nHost: x\r\nUser-Agent: '),
    Buffer.from([0xe9, 0x00, 0x41]),
    Buffer.from('\r\n\r\n'),
  ]),
  Buffer.from('GET /night-drive HTTP/1.1\r\nHost: x\r\nCookie: dropday_session=\u0000\r\n\r\n', 'latin1'),
  Buffer.from(
    'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5\r\nContent-Length: 9\r\n\r\nemail',
    'latin1',
  ),
  Buffer.from(
    'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nemail\r\n0\r\n\r\n',
  ),
  Buffer.from('POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\nemail=a'),
  Buffer.concat([
    Buffer.from('POST /signup HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 18\r\n\r\nemail='),
    Buffer.from([0x61, 0x00, 0x40, 0x78, 0x2e, 0x69, 0x6f, 0xff, 0xfe, 0x26, 0x70, 0x3d]),
  ]),
  Buffer.from(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
  Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n'),
  Buffer.from('GET / HTTP/1.1\nHost: x\n\n'),
  Buffer.from('BREW /login HTTP/1.1\r\nHost: x\r\n\r\n'),
  Buffer.from('GET /%ED%A0%80 HTTP/1.0\r\n\r\n'),
];

/** Sends raw bytes and reads the status line; 0 when the server closed without an answer. */
export function sendRaw(port: number, bytes: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    // Write, and close our side only if no answer comes (a body shorter than its Content-Length):
    // a server may drop a request whose client hung up before it was answered.
    let hangUp: NodeJS.Timeout | undefined;
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(bytes);
      hangUp = setTimeout(() => socket.end(), 2_000);
    });
    socket.setTimeout(20_000, () => {
      socket.destroy();
      reject(new Error('the server neither answered nor closed the connection within 20 s'));
    });
    socket.on('data', (c: Buffer) => {
      clearTimeout(hangUp);
      chunks.push(c);
      if (/^HTTP\/1\.[01] \d{3}/.test(Buffer.concat(chunks).toString('latin1'))) socket.end();
    });
    socket.on('error', () => {}); // a reset after the answer is fine
    socket.on('close', () => {
      clearTimeout(hangUp);
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 0, text: text.slice(0, 300) });
    });
  });
}

type Planned = ReturnType<typeof plan>;

const ALL_FIELDS_JSON = (value: string) =>
  `{${FIELDS.filter(Boolean)
    .map((f) => `${JSON.stringify(f)}:${value}`)
    .join(',')}}`;
const ALL_FIELDS_FORM = (value: string, times = 1) =>
  FIELDS.filter(Boolean)
    .flatMap((f) => Array.from({ length: times }, () => `${encodeURIComponent(f)}=${value}`))
    .join('&');

/** The classic bad inputs, each sent to every route as every identity: no luck needed to find them. */
export const CLASSIC_BODIES: Body[] = [
  { kind: 'json-title-number', contentType: 'application/json', payload: Buffer.from('{"title":1,"services":{"a":1},"artist":["x"]}') },
  { kind: 'json-numbers', contentType: 'application/json', payload: Buffer.from(ALL_FIELDS_JSON('1')) },
  { kind: 'json-objects', contentType: 'application/json', payload: Buffer.from(ALL_FIELDS_JSON('{"a":[1]}')) },
  { kind: 'json-deep', contentType: 'application/json', payload: Buffer.from(`{"title":${'['.repeat(5_000)}${']'.repeat(5_000)}}`) },
  { kind: 'json-nul', contentType: 'application/json', payload: Buffer.from(ALL_FIELDS_JSON('"a\\u0000b"')) },
  { kind: 'json-surrogate', contentType: 'application/json', payload: Buffer.from(ALL_FIELDS_JSON('"\\ud800"')) },
  { kind: 'form-nul', contentType: 'application/x-www-form-urlencoded', payload: Buffer.from(ALL_FIELDS_FORM('a%00b')) },
  { kind: 'form-surrogate', contentType: 'application/x-www-form-urlencoded', payload: Buffer.from(ALL_FIELDS_FORM('%ED%A0%80')) },
  { kind: 'form-bad-utf8', contentType: 'application/x-www-form-urlencoded', payload: Buffer.from(ALL_FIELDS_FORM('%C3%28')) },
  { kind: 'form-repeated', contentType: 'application/x-www-form-urlencoded', payload: Buffer.from(ALL_FIELDS_FORM('x', 2)) },
  {
    kind: 'form-proto',
    contentType: 'application/x-www-form-urlencoded',
    payload: Buffer.from('__proto__=1&fields=1&files=1&constructor=1'),
  },
  {
    kind: 'multipart-nul',
    contentType: 'multipart/form-data; boundary=B',
    payload: Buffer.from(
      FIELDS.filter(Boolean)
        .map((f) => `--B\r\nContent-Disposition: form-data; name="${f}"\r\n\r\na\u0000b\r\n`)
        .join('') + '--B--\r\n',
    ),
  },
  { kind: 'text-plain', contentType: 'text/plain', payload: Buffer.from('title=x') },
  { kind: 'no-type', payload: Buffer.from('title=x') },
];

/** The classic bad inputs in an API route's own fields: every field of the wrong type, NUL, huge, and one unknown field. */
function apiClassicBodies(fields: string[]): Body[] {
  const each = (value: unknown, extra: Record<string, unknown> = {}) =>
    Buffer.from(JSON.stringify({ ...Object.fromEntries(fields.map((f) => [f, value])), ...extra }));
  return [
    { kind: 'api-numbers', contentType: 'application/json', payload: each(1) },
    { kind: 'api-objects', contentType: 'application/json', payload: each({ a: [1] }) },
    { kind: 'api-nul', contentType: 'application/json', payload: each('a\u0000b') },
    { kind: 'api-huge', contentType: 'application/json', payload: each('x'.repeat(70_000)) },
    { kind: 'api-nulls', contentType: 'application/json', payload: each(null) },
    { kind: 'api-unknown-field', contentType: 'application/json', payload: each('x', { isAdmin: true }) },
    {
      kind: 'api-proto',
      contentType: 'application/json',
      payload: Buffer.from(`{"__proto__":{"admin":true},${each('x').toString().slice(1)}`),
    },
  ];
}

export const CLASSIC_URL_PIECES = ['%00', '%ED%A0%80', '%C3%28', '%E2%80%8B'];

/** Fans' pages (GET): the in-app rescue's, QR and card parameters are theirs. */
const FAN_PAGE = /^GET \/(?::slug|p\/|connect\/|callback\/)/;

/** Every classic input for one route, as each identity. */
export function classicPlans(world: World, route: RouteInfo): Planned[] {
  const out: Planned[] = [];
  const pinned = world.pinned.find((p) => route.url.includes(p.match))?.params ?? {};
  const valid = (name: string) => encodeURIComponent(kept(world, route.method, name, pinned[name] ?? world.params[name]?.[0] ?? 'x'));
  const validPath = route.params.reduce((p, name) => p.replace(`:${name}`, valid(name)), route.url);
  // A session never authenticates on the API, and a key nowhere else: each side's identities only
  // (anonymous on both), so the walk's length stays what it was before the keys came.
  const identities = world.identities.filter((who) => who.name === 'anonymous' || hasKey(who) === isApi(route));
  const apiFields = world.apiBodies[`${route.method} ${route.url}`];
  for (const who of identities) {
    if (who.cookie && SIGNED_IN_SKIP.has(`${route.method} ${route.url}`)) continue;
    const base: Record<string, string> = {};
    if (who.cookie) base.cookie = who.cookie;
    if (who.csrf) base['x-csrf-token'] = who.csrf;
    if (who.authorization) base.authorization = who.authorization;
    const sent = (url: string, kind: string): Sent => ({ method: route.method, url, who: who.name, body: kind, raw: false });
    // A key's plain request first, so the bad inputs below are compared with a request the handler answers.
    if (hasKey(who)) out.push({ sent: sent(validPath, 'none'), headers: base, body: null });
    for (const piece of CLASSIC_URL_PIECES) {
      for (const name of route.params) {
        const url = validPath.replace(valid(name), piece);
        out.push({ sent: sent(url, `param ${name}`), headers: base, body: null });
      }
      out.push({ sent: sent(`${validPath}?title=${piece}&email=${piece}`, 'query'), headers: base, body: null });
      if (!FAN_PAGE.test(`${route.method} ${route.url}`) || who.cookie) continue;
      // The fan pages' own parameters, bad, and bad beside good ones, as a fan inside an app's browser.
      const fan = (i: number) => ({ ...base, 'user-agent': INAPP_AGENTS[i % INAPP_AGENTS.length]! });
      const bad = ['service', 'esc', 'lang', 'size', 'channel'].map((f) => `${f}=${piece}`).join('&');
      out.push({ sent: sent(`${validPath}?${bad}`, 'fan query'), headers: fan(0), body: null });
      world.fanQueries.forEach((q, i) => {
        out.push({ sent: sent(`${validPath}?${q}&lang=${piece}&size=${piece}`, 'fan query'), headers: fan(i), body: null });
      });
    }
    if (route.method === 'GET' || route.method === 'HEAD') continue;
    for (const b of [...CLASSIC_BODIES, ...(apiFields && hasKey(who) ? apiClassicBodies(apiFields) : [])]) {
      out.push({
        sent: sent(validPath, b.kind),
        headers: { ...base, ...(b.contentType ? { 'content-type': b.contentType } : {}) },
        body: b,
      });
    }
  }
  return out;
}
