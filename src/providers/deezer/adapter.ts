import {
  ProviderError,
  type Account,
  type AdapterDeps,
  type AuthorizationRequest,
  type ProviderAdapter,
  type ReleaseQuery,
  type ResolvedRelease,
  type TokenSet,
  type IdLookup,
} from '../types.js';
import { DEEZER_PERMS, DeezerClient } from './client.js';
import type { DeezerConfig } from './config.js';
import { containsOnDeezer, saveOnDeezer } from './library.js';
import { resolveOnDeezer } from './resolve.js';

/**
 * Deezer (existing apps only: Deezer closed new app registrations in 2024).
 *
 * OAuth is Deezer's own dialect: `auth.php` with `app_id` and comma-separated `perms`, then
 * `access_token.php` with the app secret. There is no PKCE and no refresh token; with
 * `offline_access` the token does not expire (`expires: 0`), so a grant lives until the fan
 * removes Dropday from their Deezer apps. The API takes the token as the `access_token` query
 * parameter and reports errors as HTTP 200 with an `error` object (see errors.ts).
 */
export class DeezerAdapter implements ProviderAdapter {
  readonly id = 'deezer' as const;
  readonly authKind = 'oauth' as const;
  readonly canFollowArtists = true;
  readonly grantLifetimeMs = null;
  private readonly client: DeezerClient;

  constructor(
    readonly config: DeezerConfig,
    readonly deps: AdapterDeps,
  ) {
    this.client = new DeezerClient(config, deps);
  }

  /**
   * basic_access (who the fan is), offline_access (a token that still works on release day:
   * without it Deezer's token dies within hours and cannot be refreshed) and manage_library
   * (adding to favourites, which on Deezer covers following an artist too). The same three
   * whether or not the campaign follows artists.
   */
  scopesFor(_opts?: { followArtist: boolean }): string[] {
    return [...DEEZER_PERMS];
  }

  /**
   * Deezer does not support PKCE, so the code challenge is accepted and deliberately not sent.
   * What protects the round trip is Dropday's `state`: random, stored hashed, single-use, expiring
   * after ten minutes and bound to the browser that started it by a cookie; and the code can only
   * be exchanged together with the app secret, which never leaves the server.
   */
  authorizationUrl(req: AuthorizationRequest): string {
    const perms = (req.scopes.length ? req.scopes : [...DEEZER_PERMS]).map(encodeURIComponent).join(',');
    const q = new URLSearchParams({ app_id: this.config.appId, redirect_uri: req.redirectUri });
    // perms as Deezer documents it, with literal commas; state last.
    return `${this.config.connectBaseUrl}/oauth/auth.php?${q}&perms=${perms}&${new URLSearchParams({ state: req.state })}`;
  }

  /** No code verifier (no PKCE) and no redirect URI at exchange time: Deezer takes neither. */
  exchangeCode(code: string, _codeVerifier?: string, _redirectUri?: string): Promise<TokenSet> {
    return this.client.exchangeCode(code);
  }

  refresh(_refreshToken?: string): Promise<TokenSet> {
    return Promise.reject(new ProviderError('grant_dead', 'Deezer gives no refresh token; the fan must pre-save again'));
  }

  async currentAccount(accessToken: string): Promise<Account> {
    const me = (await this.client.call('GET', '/user/me', {}, accessToken)) as { id?: unknown; name?: unknown } | null;
    const id = me && (typeof me.id === 'number' || (typeof me.id === 'string' && /^\d+$/.test(me.id))) ? String(me.id) : null;
    if (!id) throw new ProviderError('transient', 'Deezer /user/me answered without a user id');
    return { accountId: id, displayName: typeof me?.name === 'string' && me.name ? me.name : null };
  }

  resolveRelease(accessToken: string, query: ReleaseQuery): Promise<ResolvedRelease | null> {
    return resolveOnDeezer(this.client, accessToken, query);
  }

  saveToLibrary(accessToken: string, uris: string[]): Promise<void> {
    return saveOnDeezer(this.client, accessToken, uris);
  }

  /** Deezer's public API: no credentials needed, so an artist id can always be checked. */
  lookupArtist(uri: string): Promise<IdLookup> {
    return this.lookup('artist', /^deezer:artist:(\d{1,20})$/.exec(uri)?.[1]);
  }

  /** The album as the catalog shows it now: a release not out yet is not known. */
  lookupRelease(uri: string): Promise<IdLookup> {
    return this.lookup('album', /^deezer:album:(\d{1,20})$/.exec(uri)?.[1]);
  }

  private async lookup(kind: 'artist' | 'album', id: string | undefined): Promise<IdLookup> {
    if (!id) return 'unknown';
    return (await this.client.publicGet(`/${kind}/${id}`)) === null ? 'unknown' : 'found';
  }
  libraryContains(accessToken: string, uris: string[]): Promise<boolean[]> {
    return containsOnDeezer(this.client, accessToken, uris);
  }
}
