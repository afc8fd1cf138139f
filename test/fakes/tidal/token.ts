import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { s256, type FakeTidalState } from './state.js';

/**
 * auth.tidal.com/v1/oauth2/token: authorization_code (PKCE S256, single-use codes; a replay revokes
 * what the code issued) and refresh_token (rotating, single-use). Errors as TIDAL's auth service
 * answers them: `{"status":400,"error":"invalid_grant","sub_status":…,"error_description":"…"}`.
 */
function oauthError(reply: FastifyReply, status: number, error: string, description: string, subStatus = 1002): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send({ status, error, sub_status: subStatus, error_description: description });
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Client authentication: HTTP Basic (client_id:secret, form-urlencoded) or client_id (+ client_secret) in the form. */
function authenticate(request: FastifyRequest, form: URLSearchParams, state: FakeTidalState): string | null {
  let clientId = form.get('client_id');
  let secret = form.get('client_secret');
  const auth = request.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) return null;
    const basicId = decodeURIComponent(decoded.slice(0, i));
    if (clientId && clientId !== basicId) return null;
    clientId = basicId;
    secret = decodeURIComponent(decoded.slice(i + 1));
  }
  if (clientId !== state.clientId) return null;
  if (state.clientSecret && (!secret || !same(secret, state.clientSecret))) return null;
  return clientId;
}

export function tokenRoutes(app: FastifyInstance, state: FakeTidalState, prefix: string): void {
  app.post(`${prefix}/token`, async (request, reply) => {
    const type = String(request.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    if (type !== 'application/x-www-form-urlencoded') return oauthError(reply, 400, 'invalid_request', 'Body must be form-encoded');
    const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
    const clientId = authenticate(request, form, state);
    if (!clientId) return oauthError(reply, 401, 'invalid_client', 'Client authentication failed', 1001);
    const now = state.now();
    const grant = form.get('grant_type');

    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const entry = state.codes.get(code);
      if (!entry || entry.clientId !== clientId) return oauthError(reply, 400, 'invalid_grant', 'Invalid authorization code', 11101);
      if (entry.used) {
        state.revokeIssuedBy(code);
        return oauthError(reply, 400, 'invalid_grant', 'Authorization code already used', 11102);
      }
      entry.used = true;
      if (entry.expiresAt <= now) return oauthError(reply, 400, 'invalid_grant', 'Authorization code expired', 11103);
      if (form.get('redirect_uri') !== entry.redirectUri)
        return oauthError(reply, 400, 'invalid_grant', 'redirect_uri does not match', 11104);
      const verifier = form.get('code_verifier') ?? '';
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || s256(verifier) !== entry.codeChallenge) {
        return oauthError(reply, 400, 'invalid_grant', 'PKCE verification failed', 11105);
      }
      const { accessToken, refreshToken } = state.issueTokens(entry.userId, entry.scopes, code);
      return reply.header('cache-control', 'no-store').send({
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: state.accessTokenTtlSeconds,
        refresh_token: refreshToken,
        scope: entry.scopes.join(' '),
        user_id: Number(entry.userId),
      });
    }

    if (grant === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const entry = state.refreshTokens.get(presented);
      if (!entry || entry.used) return oauthError(reply, 400, 'invalid_grant', 'Invalid refresh token', 11101);
      if (state.rotateRefreshTokens) {
        entry.used = true;
        state.refreshTokens.delete(presented);
      }
      const { accessToken, refreshToken } = state.issueTokens(entry.userId, entry.scopes, entry.code);
      if (!state.rotateRefreshTokens) state.refreshTokens.delete(refreshToken);
      return reply.header('cache-control', 'no-store').send({
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: state.accessTokenTtlSeconds,
        ...(state.rotateRefreshTokens ? { refresh_token: refreshToken } : {}),
        scope: entry.scopes.join(' '),
        user_id: Number(entry.userId),
      });
    }

    // Client credentials: the app's own token for catalog reads, only for a client with a secret.
    if (grant === 'client_credentials') {
      if (!state.clientSecret) return oauthError(reply, 401, 'invalid_client', 'Client authentication failed', 1001);
      const token = state.issueAppToken();
      return reply
        .header('cache-control', 'no-store')
        .send({ access_token: token, token_type: 'Bearer', expires_in: state.accessTokenTtlSeconds });
    }

    return oauthError(reply, 400, 'unsupported_grant_type', `grant_type ${grant ?? '(none)'} is not supported`);
  });
}
