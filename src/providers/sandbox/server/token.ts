import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { challengeS256, isValidVerifier } from '../../../util/pkce.js';
import { safeEqual, sha256b64url } from '../../../util/random.js';
import { oauthError } from './errors.js';
import { faultHook } from './faults.js';
import type { SandboxServerOptions } from './options.js';
import { field } from './params.js';
import { familyOfCode, issueTokens, REFRESH_LIFETIME_MS, revokeFamily, type TokenResponse } from './token-store.js';

type Outcome = { tokens: TokenResponse } | { error: string };

/**
 * POST /api/token, shaped like Spotify's accounts service: PKCE code exchange and refresh with
 * single-use rotating refresh tokens. Each exchange runs in one transaction and claims its code
 * or refresh token with a conditional UPDATE, so of two concurrent uses at most one succeeds;
 * the other counts as a replay and revokes the whole token family.
 */
export function tokenRoutes(opts: SandboxServerOptions): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      const status = err.statusCode ?? 500;
      if (status >= 400 && status < 500) return oauthError(reply, status, 'invalid_request', err.message);
      request.log.error({ err }, 'sandbox token endpoint failed');
      return oauthError(reply, 500, 'server_error', 'Server error');
    });

    app.post('/api/token', { onRequest: faultHook(opts.db, 'token') }, async (request, reply) => {
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      const contentType = request.headers['content-type'] ?? '';
      if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
        return oauthError(reply, 400, 'invalid_request', 'The body must be application/x-www-form-urlencoded');
      }
      const body = request.body;
      const grantType = field(body, 'grant_type');
      if (!grantType) return oauthError(reply, 400, 'invalid_request', 'grant_type is required');
      if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
        return oauthError(reply, 400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
      }
      const clientId = field(body, 'client_id');
      if (!clientId || !opts.clients.some((c) => c.clientId === clientId)) {
        return oauthError(reply, 401, 'invalid_client', 'Invalid client');
      }
      const now = opts.now();
      let outcome: Outcome;
      if (grantType === 'authorization_code') {
        const code = field(body, 'code');
        const redirectUri = field(body, 'redirect_uri');
        const verifier = field(body, 'code_verifier');
        if (!code) return oauthError(reply, 400, 'invalid_request', 'code is required');
        if (!redirectUri) return oauthError(reply, 400, 'invalid_request', 'redirect_uri is required');
        if (!verifier) return oauthError(reply, 400, 'invalid_request', 'code_verifier is required');
        outcome = await exchangeCode(opts, { code, redirectUri, verifier, clientId }, now);
      } else {
        const refreshToken = field(body, 'refresh_token');
        if (!refreshToken) return oauthError(reply, 400, 'invalid_request', 'refresh_token is required');
        outcome = await refresh(opts, { refreshToken, clientId }, now);
      }
      if ('error' in outcome) return oauthError(reply, 400, 'invalid_grant', outcome.error);
      return reply.code(200).send(outcome.tokens);
    });
  };
}

async function exchangeCode(
  opts: SandboxServerOptions,
  req: { code: string; redirectUri: string; verifier: string; clientId: string },
  now: number,
): Promise<Outcome> {
  const codeHash = sha256b64url(req.code);
  const family = familyOfCode(codeHash);
  return opts.db.transaction().execute(async (trx): Promise<Outcome> => {
    const row = await trx.selectFrom('sandbox_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
    if (!row || row.client_id !== req.clientId) return { error: 'Invalid authorization code' };
    if (row.used) {
      await revokeFamily(trx, family);
      return { error: 'Authorization code already used' };
    }
    if (Number(row.expires_at) <= now) return { error: 'Authorization code expired' };
    if (row.redirect_uri !== req.redirectUri) return { error: 'Invalid redirect URI' };
    if (!isValidVerifier(req.verifier) || !safeEqual(challengeS256(req.verifier), row.code_challenge)) {
      return { error: 'code_verifier was incorrect' };
    }
    const claimed = await trx
      .updateTable('sandbox_codes')
      .set({ used: 1 })
      .where('code_hash', '=', codeHash)
      .where('used', '=', 0)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) {
      await revokeFamily(trx, family);
      return { error: 'Authorization code already used' };
    }
    const tokens = await issueTokens(
      trx,
      { family, username: row.username, clientId: row.client_id, scope: row.scope, refreshExpiresAt: now + REFRESH_LIFETIME_MS },
      opts.accessTokenTtlSeconds,
      now,
    );
    return { tokens };
  });
}

async function refresh(opts: SandboxServerOptions, req: { refreshToken: string; clientId: string }, now: number): Promise<Outcome> {
  const tokenHash = sha256b64url(req.refreshToken);
  return opts.db.transaction().execute(async (trx): Promise<Outcome> => {
    const row = await trx
      .selectFrom('sandbox_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('kind', '=', 'refresh')
      .executeTakeFirst();
    if (!row || row.client_id !== req.clientId) return { error: 'Invalid refresh token' };
    if (row.revoked) {
      await revokeFamily(trx, row.family);
      return { error: 'Refresh token revoked' };
    }
    if (row.expires_at !== null && Number(row.expires_at) <= now) return { error: 'Refresh token expired' };
    const claimed = await trx
      .updateTable('sandbox_tokens')
      .set({ revoked: 1 })
      .where('token_hash', '=', tokenHash)
      .where('revoked', '=', 0)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) {
      await revokeFamily(trx, row.family);
      return { error: 'Refresh token revoked' };
    }
    const tokens = await issueTokens(
      trx,
      {
        family: row.family,
        username: row.username,
        clientId: row.client_id,
        scope: row.scope,
        refreshExpiresAt: row.expires_at === null ? null : Number(row.expires_at),
      },
      opts.accessTokenTtlSeconds,
      now,
    );
    return { tokens };
  });
}
