import { createHmac } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { DropdayError } from '../errors.js';
import { randomToken, safeEqual } from '../util/random.js';
import { syncHook } from './sync-hook.js';
import { html, type SafeHtml } from './html.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * 'manual': the global check is skipped except for Origin/Sec-Fetch-Site, and the route
     * calls `assertCsrf(req, token)` itself (for multipart bodies, whose format the route knows).
     * 'capability': no check at all. Only for a POST that must work cross-site without cookies and
     * whose address is itself the secret that authorizes it: RFC 8058 one-click unsubscribe, sent
     * by mail clients (`/c/<manage id>/unsubscribe`; it can only ever stop messages).
     */
    csrf?: 'manual' | 'capability';
  }
}

/**
 * CSRF protection for every state-changing request (POST, PUT, PATCH, DELETE):
 *
 * 1. Origin / Sec-Fetch-Site: a request a browser marks as coming from another site is refused.
 * 2. A token, sent as the form field `_csrf` or the `X-CSRF-Token` header — never in the address,
 *    where it would reach the browser history, the access log and Referer headers:
 *    - signed in: the synchronizer token of the session (random, stored with the session);
 *    - signed out (sign-in, sign-up, reset forms): a signed double-submit token — a random value
 *      in an HttpOnly `__Host-` cookie, and in the form its HMAC under a key derived from the
 *      server's encryption key, so another site can neither read nor forge it.
 *
 * Paths that are not browser forms of this app are excluded: the Sandbox (a separate fake
 * service), the OAuth returns under /callback (Apple Music's POST is protected by its single-use,
 * browser-bound state), and the bearer-token API under /api.
 */
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_EXEMPT_PREFIXES = ['/sandbox/', '/callback/', '/api/'] as const;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CsrfSettings {
  key: Buffer;
  publicOrigin: string;
  cookie: string;
}

function settings(req: FastifyRequest): CsrfSettings {
  const s = req.csrfSettings;
  if (!s) throw new Error('CSRF is not set up: call registerAuth(app, ctx) when building the app');
  return s;
}

function preToken(key: Buffer, cookieValue: string): string {
  return createHmac('sha256', key).update(`dropday-csrf:${cookieValue}`).digest('base64url');
}

/** The token to put in a form rendered for this request. */
export function csrfToken(req: FastifyRequest): string {
  if (req.authSession) return req.authSession.csrfToken;
  const s = settings(req);
  if (!req.csrfPreValue) {
    req.csrfPreValue = randomToken(32);
    req.csrfPreIssue = true;
  }
  return preToken(s.key, req.csrfPreValue);
}

/** `<input type="hidden" name="_csrf" …>` for a form. Every POST form of the app must include it. */
export function csrfField(req: FastifyRequest): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${csrfToken(req)}" />`;
}

export function isCsrfExempt(url: string): boolean {
  const path = url.split('?')[0]!;
  return CSRF_EXEMPT_PREFIXES.some((p) => path.startsWith(p) || path === p.slice(0, -1));
}

/** True when the token matches this session's, or this browser's signed double-submit cookie. */
export function checkCsrfToken(req: FastifyRequest, token: unknown): boolean {
  if (typeof token !== 'string' || token.length === 0 || token.length > 200) return false;
  if (req.authSession && safeEqual(token, req.authSession.csrfToken)) return true;
  const s = settings(req);
  const cookie = req.cookies[s.cookie];
  return !!cookie && cookie.length <= 100 && safeEqual(token, preToken(s.key, cookie));
}

/**
 * The second line: refuse what the browser says came from elsewhere. Sec-Fetch-Site, which pages
 * cannot set, decides when present (a same-origin form on a `Referrer-Policy: no-referrer` page
 * sends `Origin: null`); otherwise the Origin must be ours. Non-browser clients send neither.
 */
export function sameOrigin(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = req.headers.origin;
  return origin === undefined || origin === settings(req).publicOrigin;
}

export function assertCsrf(req: FastifyRequest, token: unknown): void {
  if (!sameOrigin(req)) throw new DropdayError('CSRF', 'This form was sent from another site, so it was refused.');
  if (!checkCsrfToken(req, token)) throw new DropdayError('CSRF');
}

function tokenOf(req: FastifyRequest): unknown {
  const body = req.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && CSRF_FIELD in body) return body[CSRF_FIELD];
  const header = req.headers[CSRF_HEADER];
  return typeof header === 'string' ? header : undefined;
}

/** Global preValidation hook (the body is parsed by then). Registered by registerAuth. */
export const verifyCsrf = syncHook(checkCsrf);

function checkCsrf(req: FastifyRequest): void {
  if (SAFE_METHODS.has(req.method) || isCsrfExempt(req.url) || req.routeOptions.config?.csrf === 'capability') return;
  if (req.routeOptions.config?.csrf === 'manual') {
    if (!sameOrigin(req)) throw new DropdayError('CSRF', 'This form was sent from another site, so it was refused.');
    return;
  }
  assertCsrf(req, tokenOf(req));
}
