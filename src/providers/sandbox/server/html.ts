import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export const SANDBOX_TITLE = 'Sandbox — a pretend streaming service for testing Dropday';

const STYLE = [
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f5f3ff;color:#1f1147}',
  'main{max-width:34rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px #0002}',
  'h1{font-size:1.25rem;color:#6d28d9}',
  '.note{font-size:.9rem;color:#555}',
  '.error{color:#b91c1c;font-weight:600}',
  'label{display:block;margin:1rem 0 .25rem;font-weight:600}',
  'input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}',
  'button{font:inherit;padding:.5rem 1.25rem;margin:1rem .5rem 0 0;border-radius:8px;border:1px solid #6d28d9}',
  'button[value=allow]{background:#6d28d9;color:#fff}',
  'button[value=deny]{background:#fff;color:#6d28d9}',
].join('');

// The CSP allows exactly this stylesheet and nothing else to run or load.
const STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

export function layout(title: string, body: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
    `<body><main><h1>${escapeHtml(SANDBOX_TITLE)}</h1>${body}</main></body></html>`
  );
}

/**
 * Sends a page with no-store caching and a strict CSP. `formTargets` are extra CSP sources the
 * page's form may end up at: browsers apply form-action to the redirect that follows a POST.
 */
export function sendHtml(reply: FastifyReply, status: number, html: string, formTargets: string[] = []): FastifyReply {
  const formAction = ["'self'", ...formTargets].join(' ');
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header(
      'content-security-policy',
      `default-src 'none'; style-src ${STYLE_SOURCE}; form-action ${formAction}; base-uri 'none'; frame-ancestors 'none'`,
    )
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .send(html);
}

/** The CSP source expression covering a redirect URI: its origin, or its scheme for app URIs. */
export function cspSourceFor(uri: string): string | null {
  try {
    const u = new URL(uri);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : u.protocol;
  } catch {
    return null;
  }
}

export function errorPage(heading: string, message: string): string {
  return layout(heading, `<h2>${escapeHtml(heading)}</h2><p>${escapeHtml(message)}</p>`);
}
