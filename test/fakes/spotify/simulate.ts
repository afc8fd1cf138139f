import { challengeS256, createVerifier } from '../../../src/util/pkce.js';
import { randomToken } from '../../../src/util/random.js';
import type { SpotifyAdapter } from '../../../src/providers/spotify/adapter.js';
import type { TokenSet } from '../../../src/providers/types.js';
import type { SpotifyFake } from './index.js';

export const TEST_REDIRECT_URI = 'http://127.0.0.1:9/callback/spotify';

/**
 * A fan consenting in the fake, driven through the adapter's own authorization URL and code
 * exchange (for tests that need tokens without a running Dropday).
 */
export async function consentAs(
  fake: SpotifyFake,
  adapter: SpotifyAdapter,
  username: string,
  opts: { followArtist?: boolean; redirectUri?: string } = {},
): Promise<TokenSet> {
  const redirectUri = opts.redirectUri ?? TEST_REDIRECT_URI;
  fake.state.registerRedirectUri(redirectUri, adapter.config.clientId);
  const verifier = createVerifier();
  const state = randomToken(16);
  const url = adapter.authorizationUrl({
    state,
    codeChallenge: challengeS256(verifier),
    redirectUri,
    scopes: adapter.scopesFor({ followArtist: opts.followArtist ?? false }),
  });
  const page = await fetch(url, { redirect: 'manual' });
  const html = await page.text();
  const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
  if (!requestId) throw new Error(`no consent form (${page.status}): ${html.slice(0, 200)}`);
  const decided = await fetch(new URL('./authorize', url).toString().split('?')[0]!, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request_id: requestId, username, decision: 'allow' }).toString(),
  });
  const back = new URL(decided.headers.get('location') ?? '');
  if (back.searchParams.get('state') !== state) throw new Error('state did not round-trip');
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`no code: ${back}`);
  return adapter.exchangeCode(code, verifier, redirectUri);
}
