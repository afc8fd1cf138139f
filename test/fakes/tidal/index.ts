import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { apiRoutes } from './api.js';
import { FaultSwitch, type FaultTarget } from './faults.js';
import { loginRoutes } from './login.js';
import { JSON_API, sendErrors } from './resources.js';
import { FakeTidalState, type FakeOptions } from './state.js';
import { tokenRoutes } from './token.js';

export { FakeTidalState, type FakeOptions, type ReleaseSeed } from './state.js';
export { FaultSwitch, type FaultSpec } from './faults.js';

/**
 * A fake TIDAL for tests: one loopback HTTP server standing in for login.tidal.com (`/login`),
 * auth.tidal.com/v1/oauth2 (`/auth/v1/oauth2`) and openapi.tidal.com/v2 (`/v2`). Stateful, with
 * TIDAL's errors, fault switches, and a log of every request it received.
 */
export interface RecordedRequest {
  /** Epoch ms (real time) when the request arrived. */
  at: number;
  method: string;
  /** Raw URL path and query as received, e.g. `/v2/albums?countryCode=US&filter%5BbarcodeId%5D=…`. */
  url: string;
  /** Path without the query. */
  path: string;
  /** Query parameters, a repeated name as an array. */
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body text, when there was one. */
  body?: string;
  /** Status answered (absent when the connection was dropped). */
  status?: number;
  /** Body answered (text), for checking the fake's own shapes against the spec. */
  responseBody?: string;
  fault?: string;
}

export interface TidalFake {
  url: string;
  loginUrl: string;
  authUrl: string;
  apiUrl: string;
  state: FakeTidalState;
  faults: FaultSwitch;
  requests: RecordedRequest[];
  /** Requests to the API (`/v2/…`) only. */
  apiRequests(): RecordedRequest[];
  /** The fan removes the app: their tokens stop working (401, then invalid_grant on refresh). */
  revoke(username: string): void;
  /** Environment pointing Dropday's TIDAL adapter at this fake. */
  env(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export const LOGIN_PREFIX = '/login';
export const AUTH_PREFIX = '/auth/v1/oauth2';
export const API_PREFIX = '/v2';

function targetOf(path: string): Exclude<FaultTarget, 'any'> | null {
  if (path.startsWith(`${AUTH_PREFIX}/`)) return 'token';
  if (!path.startsWith(`${API_PREFIX}/`)) return null;
  if (/\/relationships\/owners$/.test(path) || path.startsWith(`${API_PREFIX}/users/`)) return 'account';
  if (path.startsWith(`${API_PREFIX}/userCollection`)) return 'library';
  return 'catalog';
}

export async function startTidalFake(opts: FakeOptions & { port?: number } = {}): Promise<TidalFake> {
  const state = new FakeTidalState(opts);
  const faults = new FaultSwitch();
  const requests: RecordedRequest[] = [];
  const entries = new WeakMap<FastifyRequest, RecordedRequest>();

  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (request) => {
    const u = new URL(request.url, 'http://x');
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of u.searchParams) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    const entry: RecordedRequest = {
      at: Date.now(),
      method: request.method,
      url: request.url,
      path: u.pathname,
      query,
      headers: { ...request.headers },
    };
    requests.push(entry);
    entries.set(request, entry);
  });

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const entry = entries.get(request);
    if (entry && typeof request.body === 'string' && request.body !== '') entry.body = request.body;
    const target = targetOf(entry?.path ?? '');
    if (!target) return;
    const fault = faults.take(target, request.method);
    if (!fault) return;
    if (entry) entry.fault = fault.kind;
    if (fault.kind === 'slow') {
      await new Promise((r) => setTimeout(r, fault.delayMs ?? 5_000));
      return;
    }
    if (fault.kind === 'reset') {
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    const status = fault.kind === 'rate_limit' ? 429 : (fault.statusCode ?? 503);
    const headers: Record<string, string> = fault.kind === 'rate_limit' ? { 'retry-after': String(fault.retryAfterSeconds ?? 1) } : {};
    if (target === 'token') {
      for (const [k, v] of Object.entries(headers)) reply.header(k, v);
      return reply.code(status).send({
        status,
        error: status === 429 ? 'rate_limited' : 'server_error',
        error_description: status === 429 ? 'Too many requests' : 'Server error',
      });
    }
    return sendErrors(reply, status, { detail: status === 429 ? 'Rate limit exceeded' : 'Service temporarily unavailable' }, headers);
  });

  app.addHook('onSend', async (request, _reply, payload) => {
    const entry = entries.get(request);
    if (entry && typeof payload === 'string') entry.responseBody = payload;
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const entry = entries.get(request);
    if (entry) entry.status = reply.statusCode;
  });

  app.setNotFoundHandler(async (request, reply) => {
    const entry = entries.get(request);
    if (entry && typeof request.body === 'string' && request.body !== '') entry.body = request.body;
    return sendErrors(reply.header('content-type', JSON_API), request.method === 'GET' ? 404 : 405, {
      detail: `No route for ${request.method} ${request.url}`,
    });
  });

  // Not TIDAL: a look into the fake for people trying Dropday locally.
  app.get('/_fake/collections', async () =>
    Object.fromEntries([...state.users.values()].map((u) => [u.username, { userId: u.id, ...state.collectionOf(u.username) }])),
  );

  loginRoutes(app, state, LOGIN_PREFIX);
  tokenRoutes(app, state, AUTH_PREFIX);
  apiRoutes(app, state, API_PREFIX);

  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    loginUrl: `${url}${LOGIN_PREFIX}`,
    authUrl: `${url}${AUTH_PREFIX}`,
    apiUrl: `${url}${API_PREFIX}`,
    state,
    faults,
    requests,
    apiRequests: () => requests.filter((r) => r.path.startsWith(`${API_PREFIX}/`)),
    revoke: (username) => state.revoke(username),
    env: (extra = {}) => ({
      TIDAL_CLIENT_ID: state.clientId,
      ...(state.clientSecret ? { TIDAL_CLIENT_SECRET: state.clientSecret } : {}),
      TIDAL_LOGIN_URL: `${url}${LOGIN_PREFIX}`,
      TIDAL_AUTH_URL: `${url}${AUTH_PREFIX}`,
      TIDAL_API_URL: `${url}${API_PREFIX}`,
      ...extra,
    }),
    close: async () => {
      await app.close();
    },
  };
}
