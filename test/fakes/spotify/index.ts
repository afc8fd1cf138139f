import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { accountsRoutes } from './accounts.js';
import { SpotifyFakeFaults, type FaultSpec } from './faults.js';
import { DEFAULT_CLIENT_ID, SpotifyFakeState, type FakeClientInput, type RecordedRequest, type RequestTarget } from './state.js';
import { apiError, webApiRoutes } from './web-api.js';

export { DEFAULT_CLIENT_ID } from './state.js';
export type { FakeAlbum, AlbumInput, FakeArtist, FakeTrack } from './catalog.js';
export type { FaultSpec, FaultTarget } from './faults.js';
export type { RecordedRequest, FakeClientInput, SpotifyFakeState } from './state.js';

/**
 * A fake Spotify for tests: accounts service (/authorize, /api/token) and Web API (/v1) on one
 * loopback port. Stateful (tokens, grants, libraries, catalog), with Spotify's status codes,
 * error bodies and headers, fault switches, and a log of every request.
 */
export interface SpotifyFakeOptions {
  /** The fake's clock (token lifetimes, release times). Default Date.now. */
  now?: () => number;
  /** Registered apps. Default: one Development Mode app, DEFAULT_CLIENT_ID, no secret, no allow-list. */
  clients?: FakeClientInput[];
  accessTokenTtlSeconds?: number;
  /** Refresh tokens die this long after the fan's consent (default 183 days). */
  grantLifetimeMs?: number;
  /** PKCE refresh tokens rotate and are single-use (default true); false: the response omits refresh_token. */
  rotateRefreshTokens?: boolean;
  /** Whether PUT /me/library accepts spotify:artist: URIs (reported to work; default accept). */
  artistUrisInLibrary?: 'accept' | 'reject';
  codeTtlMs?: number;
  /** Port to listen on (default: any free port). */
  port?: number;
}

export interface SpotifyFake {
  /** Accounts service base (SPOTIFY_ACCOUNTS_URL). */
  url: string;
  /** Web API base, ending in /v1 (SPOTIFY_API_URL). */
  apiUrl: string;
  clientId: string;
  state: SpotifyFakeState;
  faults: SpotifyFakeFaults;
  /** Env vars pointing Dropday at this fake. */
  env(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

function targetOf(method: string, path: string): RequestTarget {
  if (path === '/authorize') return 'authorize';
  if (path === '/api/token') return 'token';
  if (!path.startsWith('/v1/')) return 'other';
  const p = path.slice(3);
  if (p === '/me') return 'me';
  if (p === '/search') return 'search';
  if (p.startsWith('/albums')) return 'albums';
  if (p === '/me/library') return method === 'GET' ? 'contains' : 'library';
  if (p === '/me/library/contains') return 'contains';
  if (p.startsWith('/me/following')) return 'following';
  if (p.startsWith('/me/albums')) return 'legacy';
  return 'other';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startSpotifyFake(opts: SpotifyFakeOptions = {}): Promise<SpotifyFake> {
  const state = new SpotifyFakeState({
    now: opts.now ?? Date.now,
    accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 3600,
    grantLifetimeMs: opts.grantLifetimeMs ?? 183 * 86_400_000,
    rotateRefreshTokens: opts.rotateRefreshTokens ?? true,
    artistUrisInLibrary: opts.artistUrisInLibrary ?? 'accept',
    codeTtlMs: opts.codeTtlMs ?? 10 * 60_000,
  });
  for (const c of opts.clients ?? [{ clientId: DEFAULT_CLIENT_ID }]) state.addClient(c);
  const faults = new SpotifyFakeFaults(state);

  const app = Fastify({ logger: false });
  // Bodies are kept raw: the log records them, the token endpoint parses its form itself,
  // and the Web API ignores them (as Spotify ignores a JSON body on PUT /me/library).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const records = new WeakMap<FastifyRequest, RecordedRequest>();

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const url = new URL(request.url, 'http://fake');
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of url.searchParams) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const target = targetOf(request.method, url.pathname);
    const form = target === 'token' && typeof request.body === 'string' ? new URLSearchParams(request.body) : null;
    // Whose request it is: by bearer token, or by the refresh token presented.
    const grantId = bearer ? state.accessTokens.get(bearer)?.grantId : state.refreshTokens.get(form?.get('refresh_token') ?? '')?.grantId;
    const grant = grantId ? state.grants.get(grantId) : undefined;
    const rec = state.record({
      at: Date.now(),
      clock: state.now(),
      method: request.method,
      path: url.pathname,
      url: request.url,
      query,
      headers: { ...request.headers },
      body: typeof request.body === 'string' ? request.body : '',
      target,
      ...(grant
        ? { clientId: grant.clientId, username: grant.username }
        : form?.get('client_id')
          ? { clientId: form.get('client_id')! }
          : {}),
    });
    records.set(request, rec);

    const fault = faults.take(target);
    if (fault) {
      const hit = fault as FaultSpec;
      switch (hit.kind) {
        case 'rate_limit':
          reply.header('retry-after', String(hit.retryAfterSeconds));
          rec.retryAfterUntil = Date.now() + hit.retryAfterSeconds * 1000;
          return apiError(reply, 429, 'API rate limit exceeded');
        case 'quota':
          if (hit.retryAfterSeconds !== undefined) reply.header('retry-after', String(hit.retryAfterSeconds));
          return apiError(reply, 429, 'API rate limit exceeded', { reason: 'QUOTA_EXCEEDED' });
        case 'server_error': {
          const status = hit.statusCode ?? 503;
          return apiError(reply, status, status === 502 ? 'Bad gateway.' : status === 503 ? 'Service unavailable' : 'Server error.');
        }
        case 'slow':
          await sleep(hit.delayMs);
          break;
        case 'reset':
          reply.hijack();
          request.raw.socket.destroy();
          return reply;
      }
    }
    // Spotify's front end wants a length on every PUT, even an empty one.
    if (request.method === 'PUT' && request.headers['content-length'] === undefined && request.headers['transfer-encoding'] === undefined) {
      return apiError(reply, 411, 'Length Required');
    }
    if (target !== 'authorize' && target !== 'token' && target !== 'other' && rec.clientId) {
      const wait = faults.windowRetryAfter(rec.clientId);
      if (wait !== null) {
        reply.header('retry-after', String(wait));
        rec.retryAfterUntil = Date.now() + wait * 1000;
        return apiError(reply, 429, 'API rate limit exceeded');
      }
    }
    return undefined;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const rec = records.get(request);
    if (rec) {
      rec.status = reply.statusCode;
      rec.respondedAt = Date.now();
      rec.respondedAfterSeq = state.lastSeq;
      if (typeof payload === 'string') rec.responseBody = payload;
      if (reply.statusCode === 429 && rec.retryAfterUntil !== undefined) {
        const s = Number(reply.getHeader('retry-after'));
        if (Number.isFinite(s)) rec.retryAfterUntil = rec.respondedAt + s * 1000;
      }
    }
    return payload;
  });

  app.setNotFoundHandler((request, reply) =>
    request.url.startsWith('/v1/') ? apiError(reply, 404, 'Service not found') : reply.code(404).send('Not found'),
  );

  let url = '';
  accountsRoutes(app, state);
  webApiRoutes(app, state, () => `${url}/v1`);
  // For a local trial in a browser: what landed in whose library.
  app.get('/_fake/libraries', async () =>
    Object.fromEntries([...state.users.values()].map((u) => [u.username, state.libraryOf(u.username)])),
  );
  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const apiUrl = `${url}/v1`;
  const clientId = [...state.clients.keys()][0]!;

  return {
    url,
    apiUrl,
    clientId,
    state,
    faults,
    env(extra = {}) {
      return { SPOTIFY_CLIENT_ID: clientId, SPOTIFY_ACCOUNTS_URL: url, SPOTIFY_API_URL: apiUrl, ...extra };
    },
    async close() {
      await app.close();
    },
  };
}
