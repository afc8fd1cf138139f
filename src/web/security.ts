import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Made on first use: pages served with CSP hashes (hashedCsp) never pay for one. */
    cspNonce: string;
    cspNonceValue: string | null;
  }
}

/** The policy every page shares; only where inline style and script may come from differs. */
function csp(style: string, script: string, appPage: boolean, connect = ''): string {
  return (
    `default-src 'self'; img-src 'self' https: data:; style-src ${style}; script-src ${script}; ` +
    (connect ? `connect-src 'self' ${connect}; ` : '') +
    // The web push service worker (/sw.js) is a script of this origin; without this line it would
    // fall under script-src's hashes and nonces and could never be registered.
    `worker-src 'self'; ` +
    `object-src 'none'; base-uri 'none'; frame-ancestors 'none'` +
    (appPage ? `; form-action 'self'` : '')
  );
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The CSP of a fans' page whose bytes are the same for every visitor (the cached campaign page):
 * its inline style and script are allowed by their SHA-256 hashes instead of a per-response
 * nonce, so one rendering can be sent to everyone. Anything injected into the page has another
 * hash and does not run. A route sets it as its Content-Security-Policy header; the hook below
 * then leaves it alone.
 */
export function hashedCsp(inline: { styles: string[]; scripts: string[]; scriptHosts?: string[]; connectHosts?: string[] }): string {
  const list = (texts: string[]) => (texts.length ? texts.map(sha256).join(' ') : "'none'");
  // Hosts (the artist's ad pixels, after the fan allows them: views/tracking-prompt.ts) join the hashes.
  const scripts = [list(inline.scripts), ...(inline.scriptHosts ?? [])].join(' ');
  return csp(list(inline.styles), scripts, false, (inline.connectHosts ?? []).join(' '));
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

/** The values the hook below sets (defaults, where a route may set its own). */
const SECURITY_HEADERS = {
  contentTypeOptions: 'nosniff',
  referrerPolicy: 'strict-origin-when-cross-origin',
  permissionsPolicy: 'camera=(), microphone=(), geolocation=()',
  frameOptions: 'DENY',
  openerPolicy: 'same-origin',
  hsts: 'max-age=31536000; includeSubDomains',
} as const;

/**
 * The headers the hook below gives a fans' page outside /connect/ whose route set its own CSP:
 * what the cached-page front (web/page-front.ts) sends without passing through the hook.
 */
export function fanPageSecurityHeaders(https: boolean): Record<string, string> {
  return {
    'x-content-type-options': SECURITY_HEADERS.contentTypeOptions,
    'referrer-policy': SECURITY_HEADERS.referrerPolicy,
    'permissions-policy': SECURITY_HEADERS.permissionsPolicy,
    'x-frame-options': SECURITY_HEADERS.frameOptions,
    'cross-origin-opener-policy': SECURITY_HEADERS.openerPolicy,
    ...(https ? { 'strict-transport-security': SECURITY_HEADERS.hsts } : {}),
  };
}

/**
 * Security headers on every response. Inline scripts and styles run only with the per-request
 * nonce (or, on the cached public pages, their hashes: hashedCsp); pages cannot be framed (CSP frame-ancestors and X-Frame-Options for older browsers);
 * HSTS when served over https. The Sandbox plugin sets its own CSP for its consent page.
 *
 * Cross-Origin-Opener-Policy is same-origin everywhere except /connect/…, where the Apple Music
 * page opens Apple's sign-in popup and needs its answer (same-origin-allow-popups).
 */
export function registerSecurityHeaders(app: FastifyInstance, opts: { https: boolean }): void {
  app.decorateRequest('cspNonceValue', null);
  app.decorateRequest('cspNonce', {
    getter(this: { cspNonceValue: string | null }) {
      return (this.cspNonceValue ??= randomBytes(16).toString('base64'));
    },
  });
  // A callback hook, not an async one: it runs on every response, and a promise each is measurable.
  app.addHook('onSend', (req, reply, payload, done) => {
    const appPage = isAppPage(req.url);
    reply.header('X-Content-Type-Options', SECURITY_HEADERS.contentTypeOptions);
    reply.header('Referrer-Policy', (reply.getHeader('Referrer-Policy') as string | undefined) ?? SECURITY_HEADERS.referrerPolicy);
    reply.header('Permissions-Policy', SECURITY_HEADERS.permissionsPolicy);
    reply.header('X-Frame-Options', SECURITY_HEADERS.frameOptions);
    reply.header(
      'Cross-Origin-Opener-Policy',
      req.url.startsWith('/connect/') ? 'same-origin-allow-popups' : SECURITY_HEADERS.openerPolicy,
    );
    if (opts.https) reply.header('Strict-Transport-Security', SECURITY_HEADERS.hsts);
    if (!reply.hasHeader('Content-Security-Policy')) {
      reply.header('Content-Security-Policy', csp(`'nonce-${req.cspNonce}'`, `'nonce-${req.cspNonce}'`, appPage));
    }
    done(null, payload);
  });
}
