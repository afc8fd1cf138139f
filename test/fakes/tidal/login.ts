import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { THIRD_PARTY_SCOPES, type FakeTidalState } from './state.js';

/**
 * login.tidal.com: GET /authorize checks the request (client, exact redirect URI, PKCE S256,
 * scopes) and shows a consent form; POST /authorize turns the fan's decision into a redirect with
 * a code or `error=access_denied`. Form fields match what test/helpers/fan.ts (FanBrowser) posts.
 */
const REQUEST_TTL_MS = 10 * 60_000;
const CODE_TTL_MS = 10 * 60_000;
const USERNAME_RE = /^[a-z0-9_.-]{1,32}$/;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1>${body}</body></html>`,
    );
}

function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}

function one(q: URLSearchParams, name: string): string | undefined {
  const all = q.getAll(name);
  return all.length === 1 ? all[0] : undefined;
}

export function loginRoutes(app: FastifyInstance, state: FakeTidalState, prefix: string): void {
  app.get(`${prefix}/authorize`, async (request, reply) => {
    const q = new URL(request.url, 'http://x').searchParams;
    const clientId = one(q, 'client_id');
    if (clientId !== state.clientId) return page(reply, 400, 'Unknown client', '<p>The client_id is not a registered TIDAL app.</p>');
    const redirectUri = one(q, 'redirect_uri');
    if (!redirectUri || !state.redirectUris.includes(redirectUri)) {
      return page(reply, 400, 'Invalid redirect URI', '<p>The redirect_uri does not match one registered for this app.</p>');
    }
    const st = one(q, 'state');
    const fail = (error: string, description: string) =>
      reply.redirect(withQuery(redirectUri, { error, error_description: description, state: st }), 302);
    if (one(q, 'response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be code');
    if (one(q, 'code_challenge_method') !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    const challenge = one(q, 'code_challenge');
    if (!challenge || !/^[A-Za-z0-9_-]{43}$/.test(challenge))
      return fail('invalid_request', 'code_challenge must be 43 base64url characters');
    const scopes = (one(q, 'scope') ?? '').split(' ').filter(Boolean);
    const unknown = scopes.find((s) => !THIRD_PARTY_SCOPES.includes(s));
    if (unknown) return fail('invalid_scope', `scope ${unknown} is not available to this app`);

    const requestId = randomBytes(16).toString('base64url');
    state.authRequests.set(requestId, {
      clientId,
      redirectUri,
      state: st,
      scopes,
      codeChallenge: challenge,
      expiresAt: state.now() + REQUEST_TTL_MS,
    });
    return page(
      reply,
      200,
      'Log in to TIDAL',
      `<p>The app <strong>${esc(clientId)}</strong> wants to: ${scopes.map(esc).join(', ') || 'know who you are'}.</p>` +
        '<form method="post" action="./authorize">' +
        `<input type="hidden" name="request_id" value="${esc(requestId)}">` +
        '<label>TIDAL username <input name="username" autocomplete="username"></label>' +
        '<button type="submit" name="decision" value="allow">Allow</button>' +
        '<button type="submit" name="decision" value="deny">Deny</button>' +
        '</form>',
    );
  });

  app.post(`${prefix}/authorize`, async (request, reply) => {
    const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
    const requestId = form.get('request_id') ?? '';
    const pending = state.authRequests.get(requestId);
    state.authRequests.delete(requestId);
    if (!pending || pending.expiresAt <= state.now()) {
      return page(reply, 400, 'Login expired', '<p>This login request has expired or was already used.</p>');
    }
    const decision = form.get('decision');
    if (decision === 'deny') return reply.redirect(withQuery(pending.redirectUri, { error: 'access_denied', state: pending.state }), 302);
    const username = (form.get('username') ?? '').trim();
    if (decision !== 'allow' || !USERNAME_RE.test(username))
      return page(reply, 400, 'Log in to TIDAL', '<p>Enter a username and choose Allow or Deny.</p>');
    const user = state.userNamed(username);
    const code = randomBytes(24).toString('base64url');
    state.codes.set(code, {
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      userId: user.id,
      scopes: pending.scopes,
      codeChallenge: pending.codeChallenge,
      expiresAt: state.now() + CODE_TTL_MS,
      used: false,
    });
    return reply.redirect(withQuery(pending.redirectUri, { code, state: pending.state }), 302);
  });
}
