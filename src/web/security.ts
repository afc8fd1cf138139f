import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    cspNonce: string;
  }
}

/**
 * Security headers on every response. Inline scripts and styles run only with the per-request
 * nonce; pages cannot be framed. The Sandbox plugin sets its own CSP for its consent page.
 */
export function registerSecurityHeaders(app: FastifyInstance, opts: { https: boolean }): void {
  app.decorateRequest('cspNonce', '');
  app.addHook('onRequest', async (req) => {
    req.cspNonce = randomBytes(16).toString('base64');
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    if (opts.https) reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    if (!reply.hasHeader('Content-Security-Policy')) {
      reply.header(
        'Content-Security-Policy',
        `default-src 'self'; img-src 'self' https: data:; style-src 'nonce-${req.cspNonce}'; ` +
          `script-src 'nonce-${req.cspNonce}'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
      );
    }
  });
}
