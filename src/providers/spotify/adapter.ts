import { HttpClient, parseJson } from '../http.js';
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
import type { SpotifyConfig } from './config.js';
import { classifyTokenError, GRANT_EXPIRED_REASON } from './errors.js';
import { SPOTIFY_GRANT_LIFETIME_MS } from './grant-lifetime.js';
import { SpotifyLibrary } from './library.js';
import { SpotifyResolver } from './resolve.js';
import { queryString, SpotifyWebApi } from './web-api.js';

/** Save albums (`user-library-modify`) and check they landed (`user-library-read`). */
const LIBRARY_SCOPES = ['user-library-modify', 'user-library-read'];
/** Only when the campaign follows artists: follow them, and check the follow landed. */
const FOLLOW_SCOPES = ['user-follow-modify', 'user-follow-read'];

const CODE_REASON = 'the authorization code was already used or has expired';

/**
 * Spotify: Authorization Code with PKCE against the accounts service, and the Web API for
 * resolving, saving and verifying. Follows /work/shared/docs/providers.md to the letter.
 */
export class SpotifyAdapter implements ProviderAdapter {
  readonly id = 'spotify' as const;
  readonly authKind = 'oauth' as const;
  readonly canFollowArtists = true;
  /** Refresh tokens stop working 6 months after the fan's consent, whatever refreshes happen. */
  readonly grantLifetimeMs = SPOTIFY_GRANT_LIFETIME_MS;
  private readonly http: HttpClient;
  private readonly api: SpotifyWebApi;
  private readonly resolver: SpotifyResolver;
  private readonly library: SpotifyLibrary;

  constructor(
    readonly config: SpotifyConfig,
    readonly deps: AdapterDeps,
  ) {
    this.http = new HttpClient('Spotify', deps.timeoutMs);
    this.api = new SpotifyWebApi(this.http, config.apiBaseUrl, deps.now);
    this.resolver = new SpotifyResolver(this.api);
    this.library = new SpotifyLibrary(this.api, config.legacyFollowFallback);
  }

  scopesFor({ followArtist }: { followArtist: boolean }): string[] {
    return followArtist ? [...LIBRARY_SCOPES, ...FOLLOW_SCOPES] : [...LIBRARY_SCOPES];
  }

  authorizationUrl(req: AuthorizationRequest): string {
    return `${this.config.accountsBaseUrl}/authorize?${queryString({
      client_id: this.config.clientId,
      response_type: 'code',
      redirect_uri: req.redirectUri,
      state: req.state,
      scope: req.scopes.join(' '),
      code_challenge_method: 'S256',
      code_challenge: req.codeChallenge,
    })}`;
  }

  exchangeCode(code: string, codeVerifier: string, redirectUri: string): Promise<TokenSet> {
    return this.token(
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: this.config.clientId,
        code_verifier: codeVerifier,
      },
      CODE_REASON,
    );
  }

  refresh(refreshToken: string): Promise<TokenSet> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: this.config.clientId }, GRANT_EXPIRED_REASON);
  }

  async currentAccount(accessToken: string): Promise<Account> {
    const me = (await this.api.get(accessToken, '/me')) as { account_id?: unknown; id?: unknown; display_name?: unknown } | null;
    const accountId = typeof me?.account_id === 'string' && me.account_id ? me.account_id : typeof me?.id === 'string' ? me.id : '';
    if (!accountId) throw new ProviderError('transient', 'Spotify /me answered without an account id');
    return { accountId, displayName: typeof me?.display_name === 'string' ? me.display_name : null };
  }

  resolveRelease(accessToken: string, query: ReleaseQuery): Promise<ResolvedRelease | null> {
    return this.resolver.resolve(accessToken, query);
  }

  saveToLibrary(accessToken: string, uris: string[]): Promise<void> {
    return this.library.save(accessToken, uris);
  }

  /**
   * Catalog look-ups with the app's own token (client credentials), which needs
   * SPOTIFY_CLIENT_SECRET: without it the id cannot be checked and is saved with a warning.
   */
  lookupArtist(uri: string): Promise<IdLookup> {
    return this.lookup('artists', /^spotify:artist:([A-Za-z0-9]{22})$/.exec(uri)?.[1]);
  }

  lookupRelease(uri: string): Promise<IdLookup> {
    return this.lookup('albums', /^spotify:album:([A-Za-z0-9]{22})$/.exec(uri)?.[1]);
  }

  /** Whether the catalog can be searched without a fan (client credentials need the secret). */
  canSearchCatalog(): boolean {
    return !!this.config.clientSecret;
  }

  /** The release in the catalog, found and verified as for a fan, with the app's own token. */
  async findInCatalog(query: ReleaseQuery): Promise<ResolvedRelease | null> {
    return this.resolver.resolve(await this.appAccessToken(), query);
  }

  private appToken: { token: string; until: number } | null = null;

  private async appAccessToken(): Promise<string> {
    if (!this.appToken || this.appToken.until <= this.deps.now()) {
      const t = await this.token({ grant_type: 'client_credentials' }, 'the app credentials were refused');
      this.appToken = { token: t.accessToken, until: (t.expiresAt ?? this.deps.now() + 3_600_000) - 60_000 };
    }
    return this.appToken.token;
  }

  private async lookup(kind: 'artists' | 'albums', id: string | undefined): Promise<IdLookup> {
    if (!id) return 'unknown';
    if (!this.config.clientSecret) return 'unchecked';
    return (await this.api.getOrNull(await this.appAccessToken(), `/${kind}/${id}`)) === null ? 'unknown' : 'found';
  }
  libraryContains(accessToken: string, uris: string[]): Promise<boolean[]> {
    return this.library.contains(accessToken, uris);
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  private async token(form: Record<string, string>, deadGrantReason: string): Promise<TokenSet> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (this.config.clientSecret) {
      headers.authorization = `Basic ${Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString('base64')}`;
    }
    const res = await this.http.send('POST', `${this.config.accountsBaseUrl}/api/token`, {
      headers,
      body: new URLSearchParams(form).toString(),
    });
    if (res.status !== 200) throw classifyTokenError(res, deadGrantReason, this.deps.now());
    const body = parseJson(res.text) as Record<string, unknown> | null;
    if (!body || typeof body.access_token !== 'string' || !body.access_token) {
      throw new ProviderError('transient', 'Spotify accounts answered 200 without an access token');
    }
    return {
      accessToken: body.access_token,
      // Absent on refresh when Spotify keeps the old one: the caller then keeps it too.
      ...(typeof body.refresh_token === 'string' && body.refresh_token ? { refreshToken: body.refresh_token } : {}),
      expiresAt: typeof body.expires_in === 'number' ? this.deps.now() + body.expires_in * 1000 : null,
      scopes: typeof body.scope === 'string' ? body.scope.split(' ').filter(Boolean) : [],
    };
  }
}
