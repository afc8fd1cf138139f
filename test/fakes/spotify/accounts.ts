import type { FastifyInstance, FastifyReply } from 'fastify';
import { randomToken, sha256b64url } from '../../../src/util/random.js';
import { consentPage, errorPage, USERNAME_RE } from './consent-page.js';
import type { SpotifyFakeState } from './state.js';

/** Every scope Spotify knows; anything else is invalid_scope. */
export const SPOTIFY_SCOPES = new Set([
  'ugc-image-upload',
  'user-read-playback-state',
  'user-modify-playback-state',
  'user-read-currently-playing',
  'app-remote-control',
  'streaming',
  'playlist-read-private',
  'playlist-read-collaborative',
  'playlist-modify-private',
  'playlist-modify-public',
  'user-follow-modify',
  'user-follow-read',
  'user-read-playback-position',
  'user-top-read',
  'user-read-recently-played',
  'user-library-modify',
  'user-library-read',
  'user-read-email',
  'user-read-private',
]);

const CHALLENGE_RE = /^[A-Za-z0-9_-]{43}$/;
const VERIFIER_RE = /^[A-Za-z0-9._~-]{43,128}$/;

function one(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}

function html(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

function tokenError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply.code(status).header('content-type', 'application/json').send({ error, error_description: description });
}

/** The accounts service: GET/POST /authorize (consent) and POST /api/token. */
export function accountsRoutes(app: FastifyInstance, state: SpotifyFakeState): void {
  app.get('/authorize', async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    const client = state.clients.get(one(q.client_id) ?? '');
    if (!client) return html(reply, 400, errorPage('INVALID_CLIENT: Invalid client'));
    const redirectUri = one(q.redirect_uri);
    // Byte-exact match with a URI registered in the dashboard.
    if (!redirectUri || !client.redirectUris.includes(redirectUri))
      return html(reply, 400, errorPage('INVALID_CLIENT: Invalid redirect URI'));
    const st = one(q.state);
    const back = (error: string, description: string) =>
      reply.redirect(withQuery(redirectUri, { error, error_description: description, state: st }), 302);
    if (one(q.response_type) !== 'code') return back('unsupported_response_type', 'response_type must be code');
    const challenge = one(q.code_challenge);
    if (one(q.code_challenge_method) !== 'S256' || !challenge || !CHALLENGE_RE.test(challenge)) {
      if (!client.clientSecret || challenge !== undefined) return back('invalid_request', 'code_challenge (S256) required');
    }
    const scopes = (one(q.scope) ?? '').split(' ').filter(Boolean);
    const unknown = scopes.find((s) => !SPOTIFY_SCOPES.has(s));
    if (unknown) return back('invalid_scope', `Invalid scope: ${unknown}`);
    const id = randomToken(18);
    state.pending.set(id, {
      id,
      clientId: client.clientId,
      redirectUri,
      state: st,
      scopes: [...new Set(scopes)],
      codeChallenge: challenge ?? '',
      expiresAt: state.now() + 10 * 60_000,
    });
    return html(reply, 200, consentPage({ requestId: id, clientId: client.clientId, scopes }));
  });

  app.post('/authorize', async (request, reply) => {
    const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
    const pending = state.pending.get(form.get('request_id') ?? '');
    if (!pending || pending.expiresAt <= state.now()) return html(reply, 400, errorPage('This sign-in request has expired.'));
    const decision = form.get('decision');
    const username = (form.get('username') ?? '').trim();
    if (decision !== 'allow' && decision !== 'deny') {
      return html(
        reply,
        400,
        consentPage({ requestId: pending.id, clientId: pending.clientId, scopes: pending.scopes, message: 'Choose.' }),
      );
    }
    if (decision === 'allow' && !USERNAME_RE.test(username)) {
      return html(
        reply,
        400,
        consentPage({ requestId: pending.id, clientId: pending.clientId, scopes: pending.scopes, message: 'Enter a username.' }),
      );
    }
    state.pending.delete(pending.id);
    if (decision === 'deny') {
      return reply.redirect(withQuery(pending.redirectUri, { error: 'access_denied', state: pending.state }), 302);
    }
    state.user(username);
    const code = randomToken(32);
    state.codes.set(code, {
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      username,
      scopes: pending.scopes,
      codeChallenge: pending.codeChallenge,
      expiresAt: state.now() + state.opts.codeTtlMs,
      used: false,
      grantId: null,
    });
    return reply.redirect(withQuery(pending.redirectUri, { code, state: pending.state }), 302);
  });

  app.post('/api/token', async (request, reply) => {
    const type = String(request.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    if (type !== 'application/x-www-form-urlencoded') {
      return tokenError(reply, 400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');

    // Client: HTTP Basic (checked when sent) and/or client_id in the form.
    let clientId = form.get('client_id') ?? undefined;
    const auth = request.headers.authorization;
    if (auth) {
      const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(auth);
      const decoded = m ? Buffer.from(m[1]!, 'base64').toString() : '';
      const i = decoded.indexOf(':');
      const id = i > 0 ? decoded.slice(0, i) : '';
      const secret = i > 0 ? decoded.slice(i + 1) : '';
      const c = state.clients.get(id);
      if (!c || !c.clientSecret || c.clientSecret !== secret) return tokenError(reply, 400, 'invalid_client', 'Invalid client secret');
      if (clientId && clientId !== id) return tokenError(reply, 400, 'invalid_client', 'Invalid client');
      clientId = id;
    }
    const client = state.clients.get(clientId ?? '');
    if (!client) return tokenError(reply, 400, 'invalid_client', 'Invalid client');
    const authenticated = Boolean(auth);

    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = state.codes.get(form.get('code') ?? '');
      if (!code || code.clientId !== client.clientId) return tokenError(reply, 400, 'invalid_grant', 'Invalid authorization code');
      if (code.used) {
        // A replayed code: refuse it and revoke what it was exchanged for.
        if (code.grantId) state.revokeGrant(code.grantId);
        return tokenError(reply, 400, 'invalid_grant', 'Invalid authorization code');
      }
      if (code.expiresAt <= state.now()) return tokenError(reply, 400, 'invalid_grant', 'Authorization code expired');
      if (form.get('redirect_uri') !== code.redirectUri) return tokenError(reply, 400, 'invalid_grant', 'Invalid redirect URI');
      const verifier = form.get('code_verifier');
      if (code.codeChallenge || verifier !== null) {
        if (!verifier || !VERIFIER_RE.test(verifier)) return tokenError(reply, 400, 'invalid_request', 'code_verifier required');
        if (sha256b64url(verifier) !== code.codeChallenge) return tokenError(reply, 400, 'invalid_grant', 'code_verifier was incorrect');
      } else if (!authenticated) {
        return tokenError(reply, 400, 'invalid_client', 'Invalid client');
      }
      code.used = true;
      const grant = state.createGrant(code);
      code.grantId = grant.id;
      const access = state.issueAccessToken(grant);
      return reply.send({
        access_token: access.token,
        token_type: 'Bearer',
        scope: grant.scopes.join(' '),
        expires_in: access.expiresIn,
        refresh_token: state.issueRefreshToken(grant),
      });
    }

    if (grantType === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const rt = state.refreshTokens.get(presented);
      const grant = rt ? state.grants.get(rt.grantId) : undefined;
      if (!rt || !grant || grant.clientId !== client.clientId) return tokenError(reply, 400, 'invalid_grant', 'Invalid refresh token');
      // Rotated tokens are single-use; grants die with revocation or 6 months after consent.
      if (rt.used || grant.revoked || state.grantExpired(grant)) return tokenError(reply, 400, 'invalid_grant', 'Refresh token revoked');
      const access = state.issueAccessToken(grant);
      const body: Record<string, unknown> = {
        access_token: access.token,
        token_type: 'Bearer',
        scope: grant.scopes.join(' '),
        expires_in: access.expiresIn,
      };
      if (state.opts.rotateRefreshTokens) {
        rt.used = true;
        body.refresh_token = state.issueRefreshToken(grant);
      }
      return reply.send(body);
    }

    // Client credentials: the app's own token (no user), only with the client secret.
    if (grantType === 'client_credentials') {
      if (!authenticated) return tokenError(reply, 400, 'invalid_client', 'Invalid client');
      const app = state.issueAppToken(client.clientId);
      return reply.send({ access_token: app.token, token_type: 'Bearer', expires_in: app.expiresIn });
    }

    return tokenError(reply, 400, 'unsupported_grant_type', `grant_type must be authorization_code or refresh_token`);
  });
}
