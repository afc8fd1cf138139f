import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    cspNonce: string;
  }
}

/**
 * The app's own pages (accounts, workspaces, dashboard, operator overview): their forms may only
 * post to this server (`form-action 'self'`) and they are fully isolated from other windows.
 * Fans' pages are not in the list: the campaign page's GET forms go to /connect/…, which redirects
 * to the streaming service, and browsers apply form-action to that redirect too.
 */
export const APP_PAGE_PREFIXES = ['/login', '/signup', '/logout', '/forgot', '/reset', '/workspaces', '/w', '/invite', '/admin'] as const;

export function isAppPage(url: string): boolean {
  const path = url.split('?')[0]!;
  return APP_PAGE_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

/**
 * Security headers on every response. Inline scripts and styles run only with the per-request
 * nonce; pages cannot be framed (CSP frame-ancestors and X-Frame-Options for older browsers);
 * HSTS when served over https. The Sandbox plugin sets its own CSP for its consent page.
 *
 * Cross-Origin-Opener-Policy is same-origin everywhere except /connect/…, where the Apple Music
 * page opens Apple's sign-in popup and needs its answer (same-origin-allow-popups).
 */
export function registerSecurityHeaders(app: FastifyInstance, opts: { https: boolean }): void {
  app.decorateRequest('cspNonce', '');
  app.addHook('onRequest', async (req) => {
    req.cspNonce = randomBytes(16).toString('base64');
  });
  app.addHook('onSend', async (req, reply) => {
    const appPage = isAppPage(req.url);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', (reply.getHeader('Referrer-Policy') as string | undefined) ?? 'strict-origin-when-cross-origin');
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cross-Origin-Opener-Policy', req.url.startsWith('/connect/') ? 'same-origin-allow-popups' : 'same-origin');
    if (opts.https) reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    if (!reply.hasHeader('Content-Security-Policy')) {
      reply.header(
        'Content-Security-Policy',
        `default-src 'self'; img-src 'self' https: data:; style-src 'nonce-${req.cspNonce}'; ` +
          `script-src 'nonce-${req.cspNonce}'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'` +
          (appPage ? `; form-action 'self'` : ''),
      );
    }
  });
}
