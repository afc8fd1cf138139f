import { PageFront } from './web/page-front.js';
import cookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { redirectUriFor } from './config.js';
import type { AppContext } from './context.js';
import { sandboxPlugin } from './providers/sandbox/server/index.js';
import { registerAuth } from './web/auth-hooks.js';
import { registerErrorHandling } from './web/errors.js';
import { registerInputGuard } from './web/input-guard.js';
import { registerHousekeeping } from './web/housekeeping.js';
import { createAnalytics, registerAnalytics, type AnalyticsOptions } from './analytics/index.js';
import { adminRoutes } from './web/routes/admin.js';
import { dashboardRoutes } from './web/routes/dashboard.js';
import { editorRoutes } from './web/routes/editor.js';
import { growthRoutes } from './web/routes/growth.js';
import { appleMusicRoutes } from './web/routes/apple-music.js';
import type { WorkerStats } from './fulfillment/worker.js';
import { healthRoutes } from './web/routes/health.js';
import { metricsRoutes } from './web/routes/metrics.js';
import { oauthRoutes } from './web/routes/oauth.js';
import { publicRoutes } from './web/routes/public.js';
import { contactRoutes } from './web/routes/contacts.js';
import { pushRoutes } from './web/routes/push.js';
import { trackingRoutes } from './web/routes/conversions.js';
import { webhookPageRoutes } from './web/routes/webhooks.js';
import { shareRoutes } from './web/routes/share.js';
import { registerSecurityHeaders } from './web/security.js';
import { registerApi } from './api/index.js';
import { isPublicPageRequest, registerRequestLog } from './web/request-log.js';
import type { PageCacheOptions } from './web/page-cache.js';
import { OverloadGuard, registerOverload, type PressureSignal } from './web/overload/index.js';

export interface AppHooks {
  /** Called after a pre-save is recorded, so an in-process worker can look for due work at once. */
  onPresave?: () => void;
  /** Analytics capture settings (tests use a long flush interval and flush by hand). */
  analytics?: AnalyticsOptions;
  /** This process's worker counters, for /metrics. */
  workerStats?: () => WorkerStats | null;
  /** This process's message counters (type|channel|outcome → n), for /metrics. */
  messageStats?: () => ReadonlyMap<string, number> | null;
  /** This process's webhook delivery counters (outcome → n), for /metrics. */
  webhookStats?: () => ReadonlyMap<string, number> | null;
  /** This process's conversion event counters (platform|outcome → n), for /metrics. */
  conversionStats?: () => ReadonlyMap<string, number> | null;
  /** The public pages' cache (tests inject its clock). */
  pageCache?: PageCacheOptions;
  /** Replaces the sampled pressure signal (tests inject pressure: a reason, or null when fine). */
  pressure?: PressureSignal;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Fresh cached campaign pages answered before Fastify (tests read how many). */
    pageFront: PageFront;
  }
}

/** The Fastify app without listen(): tests drive it with inject(), server.ts puts it on a port. */
export async function buildApp(ctx: AppContext, hooks: AppHooks = {}): Promise<FastifyInstance> {
  // In front of everything: refuses new work with a fast 503 when the process is saturated.
  const guard = new OverloadGuard(ctx.config.overload, ctx.log);
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 64 * 1024,
    logController: new LogController({ disableRequestLogging: isPublicPageRequest }),
    serverFactory: guard.serverFactory,
  });
  const front = new PageFront({
    https: ctx.config.publicUrl.startsWith('https:'),
    trustProxy: ctx.config.trustProxy,
    sessionCookie: ctx.config.accounts.sessionCookie,
    log: ctx.log,
    analytics: () => app.analytics,
  });
  guard.setFront((req, res) => front.serve(req, res));
  app.decorate('pageFront', front);
  registerRequestLog(app);
  await registerOverload(app, guard, ctx.config.overload, hooks.pressure);
  await app.register(cookie);
  // Before auth and routes: no handler (and no session lookup) ever sees a NUL or broken UTF-8.
  registerInputGuard(app);
  registerSecurityHeaders(app, { https: ctx.config.publicUrl.startsWith('https:') });
  registerErrorHandling(app);
  registerHousekeeping(app, ctx);
  await registerAuth(app, ctx);
  registerAnalytics(app, createAnalytics(ctx, hooks.analytics));

  if (servesSandbox(ctx)) {
    await app.register(
      sandboxPlugin({
        db: ctx.db,
        now: ctx.now,
        accessTokenTtlSeconds: ctx.config.sandbox.accessTokenTtlSeconds,
        clients: [{ clientId: ctx.config.sandbox.clientId, redirectUris: [redirectUriFor(ctx.config, 'sandbox')] }],
        publicBaseUrl: ctx.config.sandbox.baseUrl,
      }),
      { prefix: '/sandbox' },
    );
  }
  healthRoutes(app, ctx);
  metricsRoutes(app, ctx, hooks);
  adminRoutes(app, ctx);
  dashboardRoutes(app, ctx);
  editorRoutes(app, ctx);
  growthRoutes(app, ctx);
  appleMusicRoutes(app, ctx, hooks);
  oauthRoutes(app, ctx, hooks);
  publicRoutes(app, ctx, { pageCache: hooks.pageCache, front });
  contactRoutes(app, ctx);
  shareRoutes(app, ctx);
  pushRoutes(app, ctx);
  trackingRoutes(app, ctx);
  webhookPageRoutes(app, ctx);
  await registerApi(app, ctx);
  return app;
}

/** The Sandbox is served here unless SANDBOX_BASE_URL points at a separate Sandbox server. */
export function servesSandbox(ctx: AppContext): boolean {
  return ctx.config.sandbox.enabled && ctx.config.sandbox.baseUrl === `${ctx.config.publicUrl}/sandbox`;
}
