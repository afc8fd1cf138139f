import type { FastifyReply, FastifyRequest } from 'fastify';
import { authRuntime } from './auth-hooks.js';

/**
 * A one-time message after a POST-redirect-GET ("3 failed pre-saves are back in the queue"): a
 * short cookie scoped to the page's path, read and cleared by the next GET of that page. It
 * holds only a message key and numbers, never text from a request, and a forged one shows its
 * maker a message about their own browser.
 */
const COOKIE = 'dropday_flash';
const VALUE = /^[a-z_]{1,32}(\.[a-z0-9_-]{1,40}){0,4}$/;

function options(req: FastifyRequest, path: string) {
  return { path, httpOnly: true, sameSite: 'lax' as const, secure: authRuntime(req).config.secureCookies, maxAge: 60 };
}

/** Sets the message for the next GET of `path`: a key and up to four values, e.g. ['retried', '3', '2']. */
export function setFlash(req: FastifyRequest, reply: FastifyReply, path: string, parts: (string | number)[]): void {
  const value = parts.map(String).join('.');
  if (VALUE.test(value)) reply.setCookie(COOKIE, value, options(req, path));
}

/** The message parts set for this page, once: the cookie is cleared on this response. */
export function takeFlash(req: FastifyRequest, reply: FastifyReply, path: string): string[] | null {
  const value = req.cookies[COOKIE];
  if (value === undefined) return null;
  reply.clearCookie(COOKIE, options(req, path));
  return VALUE.test(value) ? value.split('.') : null;
}
