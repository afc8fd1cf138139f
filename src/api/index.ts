import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { AppContext } from '../context.js';
import { registerApiAuth } from './auth.js';
import { documentIdempotency, registerIdempotency } from './idempotency.js';
import { registerProblems } from './problem.js';
import { apiValidatorCompiler } from './validation.js';
import { API_ROUTES } from './routes/index.js';
import { openApiInfo } from './openapi.js';
import { DOCS_THEME_CSS } from './docs-theme.js';

export interface ApiRoute {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route under /api/v1 as registered (test/api-openapi.test.ts checks each is documented). */
    apiRoutes: readonly ApiRoute[];
  }
}

/** The API's Fastify instance: TypeBox schemas type each handler's input and output. */
export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

// The one inline <style> the Swagger UI bundle injects is allowed by its hash (a new @fastify/swagger-ui
// may change it: test/api-docs-browser.test.ts then reports the CSP error with the new hash).
const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='; " +
  "script-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/**
 * The REST API v1 (docs/api.md): everything under /api/v1, each route declared with a TypeBox schema
 * that validates its input, serializes its output (a field not in the schema never leaves) and
 * makes the OpenAPI document. Encapsulated: its error format, validators and key authentication
 * apply to /api/v1 only.
 */
export async function registerApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const seen: ApiRoute[] = [];
  app.decorate('apiRoutes', seen);
  await app.register(async (outer) => {
    await outer.register(swagger, {
      openapi: openApiInfo(),
      // Shared shapes keep their names (`#/components/schemas/Problem`), not `def-0`.
      refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    });
    // Interactive docs at /api/docs, every asset served from here (no CDN), under a policy of their
    // own: the UI's stylesheets and scripts are files of this origin, not nonce-tagged inline code.
    await outer.register(swaggerUi, {
      routePrefix: '/api/docs',
      staticCSP: DOCS_CSP,
      validatorUrl: false,
      // Accessible as the app's own pages are (axe in test/api-docs-browser.test.ts): no top bar (its
      // URL box would load a foreign document and has no label), no deep-link anchors nested in the
      // operation buttons, and colours with enough contrast (docs-theme.ts).
      uiConfig: { deepLinking: false, defaultModelsExpandDepth: 0, layout: 'BaseLayout' },
      theme: { title: 'Dropday API', css: [{ filename: 'dropday.css', content: DOCS_THEME_CSS }] },
    });
    await outer.register(
      async (v1) => {
        v1.setValidatorCompiler(apiValidatorCompiler);
        // The input guard (web/input-guard.ts) takes form bodies unless a route says otherwise: the API takes JSON.
        v1.addHook('onRoute', (route) => {
          route.config = { bodyTypes: ['application/json'], ...route.config };
          documentIdempotency(route);
          for (const method of [route.method].flat()) if (method !== 'HEAD') seen.push({ method, url: route.url });
        });
        registerProblems(v1, ctx.config.publicUrl);
        registerApiAuth(v1, ctx);
        registerIdempotency(v1, ctx);
        const api = v1.withTypeProvider<TypeBoxTypeProvider>();
        for (const routes of API_ROUTES) routes(api, ctx);
        api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, () => outer.swagger());
      },
      { prefix: '/api/v1' },
    );
  });
}
