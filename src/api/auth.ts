import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { AppContext } from '../context.js';
import { DropdayError } from '../errors.js';
import { authenticateApiKey, touchApiKey, type ApiKey } from './keys/store.js';
import { countFailedAuth, refuseBlockedNetwork, takeKeySlot } from './rate-limit.js';
import { allows, type ApiScope } from './scopes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key this request was made with (routes under /api/v1 only; null on public ones). */
    apiKey: ApiKey | null;
  }
  interface FastifyContextConfig {
    /** The scope an /api/v1 route needs (every route names one, or says it is public). */
    scope?: ApiScope;
    /** An /api/v1 route anyone may read without a key (the OpenAPI document, the error index). */
    public?: boolean;
  }
}

/**
 * Authentication of the API: only `Authorization: Bearer <key>`. A browser's session cookie never
 * authenticates here — /api is exempt from CSRF checks precisely because nothing a browser sends on
 * its own can act. Every route declares its scope; a route without one fails at start-up.
 */
export function registerApiAuth(api: FastifyInstance, ctx: AppContext): void {
  api.decorateRequest('apiKey', null);
  api.addHook('onRoute', (route) => {
    const cfg = route.config as { scope?: ApiScope; public?: boolean } | undefined;
    if (!cfg?.scope && !cfg?.public && route.method !== 'HEAD') {
      throw new Error(`API route ${String(route.method)} ${route.url} names no scope (config.scope) and is not public`);
    }
    if (cfg?.scope) documentScope(route, cfg.scope);
  });
  api.addHook('onRequest', async (req, reply) => {
    const cfg = req.routeOptions.config;
    if (cfg?.public || !req.routeOptions.url) return; // public routes, and unknown ones (404 below)
    const key = await keyOf(req, ctx);
    // Counted before the scope check: a request refused for its scope was still made.
    await takeKeySlot(ctx, reply, key);
    const scope = cfg?.scope;
    if (!scope || !allows(key.scopes, scope)) {
      throw new DropdayError('API_SCOPE_MISSING', `This API key does not have the scope ${scope ?? '(none)'}, which this needs.`);
    }
    req.apiKey = key;
    await touchApiKey(ctx.db, key, ctx.now());
  });
}

async function keyOf(req: FastifyRequest, ctx: AppContext): Promise<ApiKey> {
  const header = req.headers.authorization;
  if (!header) throw new DropdayError('API_KEY_MISSING');
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw new DropdayError('API_KEY_MISSING', 'The Authorization header must be "Bearer <API key>".');
  await refuseBlockedNetwork(ctx, req);
  const check = await authenticateApiKey(ctx.db, m[1]!, ctx.now());
  if (check.ok) return check.key;
  if (check.reason === 'revoked') throw new DropdayError('API_KEY_REVOKED');
  if (check.reason === 'expired') throw new DropdayError('API_KEY_EXPIRED');
  // Only a key that is not one of ours is a guess: the right secret of a revoked key is not.
  await countFailedAuth(ctx, req);
  throw new DropdayError('API_KEY_INVALID');
}

/** The key of a request on a route that needs one (set by the hook above). */
export function apiKeyOf(req: FastifyRequest): ApiKey {
  if (!req.apiKey) throw new DropdayError('API_KEY_MISSING');
  return req.apiKey;
}

/**
 * The scope a route needs, in its OpenAPI operation: as the security requirement's role list
 * (OpenAPI 3.1 allows one for any scheme) and in words at the end of its description, so the
 * document and /api/docs say which key can call it — from the same `config.scope` that is enforced.
 */
function documentScope(route: RouteOptions, scope: ApiScope): void {
  const schema = route.schema as { description?: string; security?: unknown } | undefined;
  if (!schema) return;
  const [resource, access] = scope.split(':');
  const words = access === 'read' ? `Needs the \`${scope}\` scope (or \`${resource}:write\`).` : `Needs the \`${scope}\` scope.`;
  // Alternatives: a read is allowed by either scope of its resource (scopes.ts allows).
  schema.security = access === 'read' ? [{ apiKey: [scope] }, { apiKey: [`${resource}:write`] }] : [{ apiKey: [scope] }];
  // Once: a GET's HEAD twin arrives here with the same schema object.
  if (schema.description?.endsWith(words)) return;
  schema.description = schema.description ? `${schema.description}\n\n${words}` : words;
}
