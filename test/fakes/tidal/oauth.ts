import { TidalAdapter } from '../../../src/providers/tidal/adapter.js';
import type { TidalConfig } from '../../../src/providers/tidal/config.js';
import type { TokenSet } from '../../../src/providers/types.js';
import { challengeS256, createVerifier } from '../../../src/util/pkce.js';
import type { TidalFake } from './index.js';

/** Adapter-level test glue: a TidalAdapter pointed at the fake, and a fan's consent without Dropday. */

export const TEST_REDIRECT_URI = 'http://127.0.0.1:9/callback/tidal';

export function adapterFor(fake: TidalFake, overrides: Partial<TidalConfig> = {}, deps: { timeoutMs?: number; now?: () => number } = {}) {
  fake.state.registerRedirectUri(TEST_REDIRECT_URI);
  const config: TidalConfig = {
    clientId: fake.state.clientId,
    clientSecret: fake.state.clientSecret,
    redirectUri: TEST_REDIRECT_URI,
    loginBaseUrl: fake.loginUrl,
    authBaseUrl: fake.authUrl,
    apiBaseUrl: fake.apiUrl,
    countryCode: 'US',
    ...overrides,
  };
  return new TidalAdapter(config, { timeoutMs: deps.timeoutMs ?? 5_000, now: deps.now ?? Date.now });
}

/** Walks TIDAL's consent page as `username` and returns the code and the verifier that goes with it. */
export async function authorizeCode(
  adapter: TidalAdapter,
  username: string,
  scopes = adapter.scopesFor({ followArtist: true }),
): Promise<{ code: string; verifier: string }> {
  const verifier = createVerifier();
  const url = adapter.authorizationUrl({ state: 'st-1', codeChallenge: challengeS256(verifier), redirectUri: TEST_REDIRECT_URI, scopes });
  const consent = await fetch(url, { redirect: 'manual' });
  const html = await consent.text();
  const m = /name="request_id" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no consent form (${consent.status}): ${html.slice(0, 300)}`);
  const res = await fetch(new URL('./authorize', url).toString().split('?')[0]!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request_id: m[1]!, username, decision: 'allow' }).toString(),
    redirect: 'manual',
  });
  const back = new URL(res.headers.get('location') ?? '');
  const code = back.searchParams.get('code');
  if (!code || back.searchParams.get('state') !== 'st-1') throw new Error(`no code in ${back}`);
  return { code, verifier };
}

export async function tokensFor(adapter: TidalAdapter, username: string): Promise<TokenSet> {
  const { code, verifier } = await authorizeCode(adapter, username);
  return adapter.exchangeCode(code, verifier, TEST_REDIRECT_URI);
}
