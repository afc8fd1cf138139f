import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { createLogger } from '../../../log.js';
import { albumPageRoutes } from './album-page.js';
import { apiRoutes } from './api.js';
import { authorizeRoutes } from './authorize.js';
import { errorPage, sendHtml } from './html.js';
import type { SandboxServerOptions } from './options.js';
import { tokenRoutes } from './token.js';

export type { SandboxServerOptions } from './options.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * The Sandbox: a fake streaming service shaped like Spotify (accounts service + Web API), with
 * its state in the sandbox_* tables. Routes are relative to the prefix the app registers it under.
 * The plugin is encapsulated: its body parsers, error handlers and hooks do not leak to the parent.
 */
export function sandboxPlugin(opts: SandboxServerOptions): FastifyPluginAsync {
  return async (app) => {
    // Mounted in Dropday, its input guard leaves body types to the Sandbox, which answers like Spotify.
    app.addHook('onRoute', (route) => {
      route.config = { ...route.config, bodyTypes: 'any' };
    });
    // Inherit the parent's form parser when it has one; adding a second would throw.
    if (!app.hasContentTypeParser(FORM)) await app.register(formbody);
    // Pages answer errors as HTML; the token endpoint and the Web API set their own JSON handlers.
    app.setErrorHandler((err: FastifyError, request, reply) => {
      const status = err.statusCode ?? 500;
      if (status >= 400 && status < 500) return sendHtml(reply, status, errorPage('Bad request', err.message));
      request.log.error({ err }, 'sandbox page failed');
      return sendHtml(reply, 500, errorPage('Something went wrong', 'The Sandbox could not handle this request.'));
    });
    await app.register(authorizeRoutes(opts));
    await app.register(albumPageRoutes(opts));
    await app.register(tokenRoutes(opts));
    await app.register(apiRoutes(opts), { prefix: '/v1' });
  };
}

/** A standalone app serving the Sandbox under /sandbox (for `dropday sandbox serve`). */
export function buildSandboxServer(opts: SandboxServerOptions & { logger?: boolean }): FastifyInstance {
  const { logger, ...options } = opts;
  // Dropday's logger redacts secrets from URLs (state, code) and never logs Authorization.
  const app: FastifyInstance = logger
    ? (Fastify({ loggerInstance: createLogger('info') as FastifyBaseLogger }) as unknown as FastifyInstance)
    : Fastify({ logger: false });
  void app.register(formbody);
  void app.register(sandboxPlugin(options), { prefix: '/sandbox' });
  return app;
}
