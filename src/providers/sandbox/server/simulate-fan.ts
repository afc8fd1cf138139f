import type { FastifyInstance } from 'fastify';
import { challengeS256, createVerifier } from '../../../util/pkce.js';
import { randomToken } from '../../../util/random.js';
import type { TokenResponse } from './token-store.js';

/**
 * Plays a fan through the Sandbox consent flow over `app.inject()` — authorize, Allow, code
 * exchange — and returns the token response. For tests, demos and benchmarks.
 */
export async function simulateSandboxConsent(
  app: FastifyInstance,
  o: { clientId: string; redirectUri: string; username: string; scopes: string[]; prefix?: string },
): Promise<TokenResponse> {
  const prefix = o.prefix ?? '/sandbox';
  const verifier = createVerifier();
  const state = randomToken(16);
  const page = await app.inject({
    method: 'GET',
    url: `${prefix}/authorize`,
    query: {
      client_id: o.clientId,
      response_type: 'code',
      redirect_uri: o.redirectUri,
      state,
      scope: o.scopes.join(' '),
      code_challenge_method: 'S256',
      code_challenge: challengeS256(verifier),
    },
  });
  const requestId = /name="request_id" value="([^"]+)"/.exec(page.body)?.[1];
  if (page.statusCode !== 200 || !requestId) throw new Error(`Sandbox authorize answered ${page.statusCode}`);
  const decided = await app.inject({
    method: 'POST',
    url: `${prefix}/authorize`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ request_id: requestId, username: o.username, decision: 'allow' }).toString(),
  });
  const location = String(decided.headers.location ?? '');
  const code = new URL(location, 'http://x').searchParams.get('code');
  if (decided.statusCode !== 302 || !code) throw new Error(`Sandbox consent answered ${decided.statusCode}`);
  const token = await app.inject({
    method: 'POST',
    url: `${prefix}/api/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: o.redirectUri,
      client_id: o.clientId,
      code_verifier: verifier,
    }).toString(),
  });
  if (token.statusCode !== 200) throw new Error(`Sandbox token endpoint answered ${token.statusCode}: ${token.body}`);
  return token.json() as TokenResponse;
}
