import formbody from '@fastify/formbody';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import { apiRoutes } from './api.js';
import { connectRoutes } from './connect.js';
import { DeezerFaults, type DeezerRouteGroup, type QuotaSettings } from './faults.js';
import { ERR } from './shapes.js';
import { DeezerFakeState, type FakeApp } from './state.js';

export type { DeezerFault, DeezerFaultTarget, QuotaSettings } from './faults.js';
export type { FakeAlbum, FakeApp, FakeArtist, FakeUser } from './state.js';
export { DeezerFaults } from './faults.js';
export { DeezerFakeState } from './state.js';

/**
 * A stateful stand-in for Deezer on 127.0.0.1: connect.deezer.com under `/connect` and
 * api.deezer.com under `/api` of one local server. It behaves like the documented API, errors
 * included (HTTP 200 with an `error` object; plain-text `wrong code` from the token endpoint),
 * enforces a request quota, and records every request it receives.
 */
export interface DeezerFakeOptions {
  apps?: FakeApp[];
  /** Clock for release availability and token/code expiry (default Date.now). */
  now?: () => number;
  /** Requests per sliding window before code 4 (default 50 per 5 s, as reported); null = none. */
  quota?: QuotaSettings | null;
  codeTtlMs?: number;
  /** Lifetime of tokens issued without offline_access (default 3600 s). */
  tokenTtlSeconds?: number;
  /** The most items one page of a list gives, whatever `limit` asks (default 2000). */
  maxLimit?: number;
  /** Port on 127.0.0.1 (default 0: any free port). */
  port?: number;
}

export interface RecordedRequest {
  /** Real time the request arrived (Date.now()). */
  at: number;
  service: 'connect' | 'api';
  method: string;
  /** Path on that service, without the local prefix: e.g. `/user/me/albums`, `/oauth/access_token.php`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** Set when the fake answered with an injected fault or the quota: 'quota', 'error:700', 'server_error:503', 'slow', 'reset'. */
  fault?: string;
}

export interface DeezerFake {
  /** The server's origin. */
  url: string;
  /** Point DEEZER_CONNECT_URL here. */
  connectUrl: string;
  /** Point DEEZER_API_URL here. */
  apiUrl: string;
  appId: string;
  secret: string;
  state: DeezerFakeState;
  faults: DeezerFaults;
  requests: RecordedRequest[];
  /** Requests to the API (not the consent pages or token endpoint), optionally for one path. */
  apiRequests(path?: string | RegExp): RecordedRequest[];
  /** Dropday environment variables that point it at this fake. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

export const FAKE_APP: FakeApp = { appId: '734512', secret: 'fake-deezer-secret-4f7c1e', redirectUris: [] };

function groupOf(service: 'connect' | 'api', method: string, path: string): DeezerRouteGroup | null {
  if (service === 'connect') return path === '/oauth/access_token.php' ? 'token' : null; // consent pages are never faulted
  if (path === '/user/me') return 'me';
  if (/^\/user\/me\/(albums|artists)$/.test(path)) return method === 'POST' ? 'save' : 'verify';
  if (/^\/(album|track)\//.test(path)) return 'lookup';
  if (path.startsWith('/search')) return 'search';
  return 'other';
}

const HTML_5XX: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export async function startDeezerFake(opts: DeezerFakeOptions = {}): Promise<DeezerFake> {
  const apps = opts.apps ?? [FAKE_APP];
  const state = new DeezerFakeState(apps, opts.now ?? Date.now);
  const faults = new DeezerFaults(state, opts.quota === undefined ? { limit: 50, windowMs: 5000 } : opts.quota);
  const requests: RecordedRequest[] = [];
  let origin = '';

  const app = Fastify({ logger: false, forceCloseConnections: true });
  await app.register(formbody);

  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    const [rawPath] = req.url.split('?');
    const m = /^\/(connect|api)(\/.*)?$/.exec(rawPath!);
    if (!m) return;
    const service = m[1] as 'connect' | 'api';
    const path = m[2] ?? '/';
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries((req.query as Record<string, unknown>) ?? {})) if (typeof v === 'string') query[k] = v;
    const rec: RecordedRequest = {
      at: Date.now(),
      service,
      method: req.method,
      path,
      query,
      headers: { ...req.headers },
      body: req.body ?? null,
    };
    requests.push(rec);

    const group = groupOf(service, req.method, path);
    if (!group) return;
    const fault = faults.take(group);
    if (fault) {
      rec.fault =
        fault.kind === 'error' ? `error:${fault.code}` : fault.kind === 'server_error' ? `server_error:${fault.status ?? 503}` : fault.kind;
      switch (fault.kind) {
        case 'quota':
          return ERR.quota(reply);
        case 'error':
          return reply
            .code(200)
            .header('content-type', 'application/json; charset=utf-8')
            .send(
              JSON.stringify({
                error: { type: fault.type ?? 'Exception', message: fault.message ?? 'An error occurred', code: fault.code },
              }),
            );
        case 'server_error': {
          const status = fault.status ?? 503;
          return reply
            .code(status)
            .header('content-type', 'text/html; charset=iso-8859-1')
            .send(`<html><head><title>${status} ${HTML_5XX[status]}</title></head><body><h1>${HTML_5XX[status]}</h1></body></html>`);
        }
        case 'slow':
          await new Promise((r) => setTimeout(r, fault.delayMs));
          break;
        case 'reset':
          reply.hijack();
          req.raw.socket.destroy();
          return reply;
      }
    }
    if (service === 'api' && faults.overQuota()) {
      rec.fault = 'quota';
      return ERR.quota(reply);
    }
  });

  await app.register(
    connectRoutes({ state, faults, codeTtlMs: opts.codeTtlMs ?? 10 * 60_000, tokenTtlSeconds: opts.tokenTtlSeconds ?? 3600 }),
    { prefix: '/connect' },
  );
  await app.register(apiRoutes({ state, apiUrl: () => `${origin}/api`, maxLimit: opts.maxLimit ?? 2000 }), { prefix: '/api' });
  // Not Deezer: a look at every fan's favourites, for local trials (`serve.ts`).
  app.get('/_fake/libraries', async () =>
    Object.fromEntries([...state.users.values()].map((u) => [u.username, { id: u.id, ...state.library(u.username) }])),
  );

  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const first = apps[0]!;

  return {
    url: origin,
    connectUrl: `${origin}/connect`,
    apiUrl: `${origin}/api`,
    appId: first.appId,
    secret: first.secret,
    state,
    faults,
    requests,
    apiRequests(path) {
      return requests.filter(
        (r) => r.service === 'api' && (path === undefined || (typeof path === 'string' ? r.path === path : path.test(r.path))),
      );
    },
    env() {
      return {
        DEEZER_APP_ID: first.appId,
        DEEZER_SECRET: first.secret,
        DEEZER_CONNECT_URL: `${origin}/connect`,
        DEEZER_API_URL: `${origin}/api`,
      };
    },
    async close() {
      await app.close();
    },
  };
}
