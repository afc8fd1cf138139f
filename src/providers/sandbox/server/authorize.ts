import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { randomToken, sha256b64url } from '../../../util/random.js';
import { consentPage, USERNAME_RE, type ConsentView } from './consent-page.js';
import { cspSourceFor, errorPage, sendHtml } from './html.js';
import type { SandboxServerOptions } from './options.js';
import { appendQuery, field } from './params.js';
import { parseScopes } from './scopes.js';

const REQUEST_TTL_MS = 10 * 60 * 1000;
const CODE_TTL_MS = 10 * 60 * 1000;
/** Used codes are kept a day past expiry so a late replay still revokes its tokens. */
const CODE_RETENTION_MS = 24 * 3600 * 1000;
const CHALLENGE_RE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The consent flow: GET /authorize checks the request and shows the consent page; POST
 * /authorize turns the fan's decision into a redirect carrying a code or access_denied.
 * Nothing ever redirects to a URI that is not registered for the client.
 */
export function authorizeRoutes(opts: SandboxServerOptions): FastifyPluginAsync {
  const { db } = opts;
  const clientFor = (clientId: string | undefined) => opts.clients.find((c) => c.clientId === clientId);
  const formTargets = (redirectUri: string) => {
    const source = cspSourceFor(redirectUri);
    return source ? [source] : [];
  };
  const redirect = (reply: FastifyReply, to: string) => reply.header('cache-control', 'no-store').redirect(to, 302);

  return async (app) => {
    app.get('/authorize', async (request, reply) => {
      const q = request.query;
      const clientId = field(q, 'client_id');
      const client = clientFor(clientId);
      if (!client || !clientId) {
        return sendHtml(
          reply,
          400,
          errorPage('Unknown app', 'The app that sent you here is not registered with the Sandbox (unknown client_id).'),
        );
      }
      const redirectUri = field(q, 'redirect_uri');
      if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
        return sendHtml(reply, 400, errorPage('Invalid redirect URI', 'The redirect_uri is missing or is not registered for this app.'));
      }
      const state = field(q, 'state');
      const fail = (description: string) =>
        redirect(reply, appendQuery(redirectUri, { error: 'invalid_request', error_description: description, state }));
      if (field(q, 'response_type') !== 'code') return fail('response_type must be code');
      if (!state) return fail('state is required');
      if (field(q, 'code_challenge_method') !== 'S256') return fail('code_challenge_method must be S256');
      const challenge = field(q, 'code_challenge');
      if (!challenge || !CHALLENGE_RE.test(challenge)) return fail('code_challenge must be 43 base64url characters');
      const rawScope = q && typeof q === 'object' && 'scope' in q ? field(q, 'scope') : '';
      if (rawScope === undefined) return fail('scope must be given once');
      const parsed = parseScopes(rawScope);
      if ('unknown' in parsed) return fail(`Unknown scope: ${parsed.unknown}`);

      const now = opts.now();
      await db.deleteFrom('sandbox_auth_requests').where('expires_at', '<=', now).execute();
      const view: ConsentView = { requestId: randomToken(18), clientId, redirectUri, scope: parsed.scopes.join(' ') };
      await db
        .insertInto('sandbox_auth_requests')
        .values({
          id: view.requestId,
          client_id: clientId,
          redirect_uri: redirectUri,
          state,
          scope: view.scope,
          code_challenge: challenge,
          expires_at: now + REQUEST_TTL_MS,
        })
        .execute();
      return sendHtml(reply, 200, consentPage(view), formTargets(redirectUri));
    });

    app.post('/authorize', async (request, reply) => {
      const body = request.body;
      const requestId = field(body, 'request_id');
      const now = opts.now();
      const row = requestId
        ? await db.selectFrom('sandbox_auth_requests').selectAll().where('id', '=', requestId).executeTakeFirst()
        : undefined;
      const client = clientFor(row?.client_id);
      if (!row || Number(row.expires_at) <= now || !client || !client.redirectUris.includes(row.redirect_uri)) {
        if (row) await db.deleteFrom('sandbox_auth_requests').where('id', '=', row.id).execute();
        return sendHtml(
          reply,
          400,
          errorPage('Sign-in expired', 'This sign-in request has expired or was already used. Go back to the app and start again.'),
        );
      }
      const view: ConsentView = { requestId: row.id, clientId: row.client_id, redirectUri: row.redirect_uri, scope: row.scope };
      const rerender = (message: string) =>
        sendHtml(reply, 400, consentPage({ ...view, message, username: field(body, 'username') ?? '' }), formTargets(row.redirect_uri));

      const decision = field(body, 'decision');
      if (decision !== 'allow' && decision !== 'deny') return rerender('Choose Allow or Deny.');
      const username = (field(body, 'username') ?? '').trim();
      if (decision === 'allow' && !USERNAME_RE.test(username)) {
        return rerender('A Sandbox username is 1 to 32 characters: lowercase letters, digits, “_”, “.” or “-”.');
      }
      // Single use: of two submissions of the same form, only the one that deletes the row proceeds.
      const consumed = await db.deleteFrom('sandbox_auth_requests').where('id', '=', row.id).executeTakeFirst();
      if (Number(consumed.numDeletedRows) !== 1) {
        return sendHtml(
          reply,
          400,
          errorPage('Sign-in expired', 'This sign-in request was already used. Go back to the app and start again.'),
        );
      }
      if (decision === 'deny') {
        return redirect(reply, appendQuery(row.redirect_uri, { error: 'access_denied', state: row.state }));
      }
      const code = randomToken();
      await db
        .deleteFrom('sandbox_codes')
        .where('expires_at', '<=', now - CODE_RETENTION_MS)
        .execute();
      await db
        .insertInto('sandbox_codes')
        .values({
          code_hash: sha256b64url(code),
          client_id: row.client_id,
          redirect_uri: row.redirect_uri,
          username,
          scope: row.scope,
          code_challenge: row.code_challenge,
          expires_at: now + CODE_TTL_MS,
          used: 0,
        })
        .execute();
      return redirect(reply, appendQuery(row.redirect_uri, { code, state: row.state }));
    });
  };
}
