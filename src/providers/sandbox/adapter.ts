import { HttpClient, parseJson, retryAtFrom, type HttpResponse } from '../http.js';
import {
  ProviderError,
  type Account,
  type AuthorizationRequest,
  type IdLookup,
  type ProviderAdapter,
  type ReleaseQuery,
  type ResolvedRelease,
  type TokenSet,
} from '../types.js';

interface SandboxAlbum {
  id: string;
  uri: string;
  name: string;
  artists: { uri: string }[];
  external_urls?: { sandbox?: string };
  external_ids?: { upc?: string };
}

/**
 * Dropday's client for the Sandbox service. It speaks HTTP to the Sandbox exactly as the real
 * adapters speak to Spotify: OAuth with PKCE, Spotify-shaped Web API, the same error shapes.
 */
export class SandboxAdapter implements ProviderAdapter {
  readonly id = 'sandbox' as const;
  readonly authKind = 'oauth' as const;
  readonly canFollowArtists = true;
  // The Sandbox, like Spotify, ends a grant 183 days after consent (refresh does not extend it).
  readonly grantLifetimeMs = 183 * 86_400_000;
  private readonly http: HttpClient;

  constructor(private readonly opts: { baseUrl: string; clientId: string; timeoutMs: number; now: () => number }) {
    this.http = new HttpClient('Sandbox', opts.timeoutMs);
  }

  scopesFor({ followArtist }: { followArtist: boolean }): string[] {
    const scopes = ['user-library-modify', 'user-library-read'];
    if (followArtist) scopes.push('user-follow-modify');
    return scopes;
  }

  authorizationUrl(req: AuthorizationRequest): string {
    const q = new URLSearchParams({
      client_id: this.opts.clientId,
      response_type: 'code',
      redirect_uri: req.redirectUri,
      state: req.state,
      scope: req.scopes.join(' '),
      code_challenge_method: 'S256',
      code_challenge: req.codeChallenge,
    });
    return `${this.opts.baseUrl}/authorize?${q}`;
  }

  exchangeCode(code: string, codeVerifier: string, redirectUri: string): Promise<TokenSet> {
    return this.token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: this.opts.clientId,
      code_verifier: codeVerifier,
    });
  }

  refresh(refreshToken: string): Promise<TokenSet> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: this.opts.clientId });
  }

  async currentAccount(accessToken: string): Promise<Account> {
    const me = (await this.api('GET', '/v1/me', accessToken)) as { account_id?: string; id?: string; display_name?: string };
    const accountId = me.account_id ?? me.id;
    if (!accountId) throw new ProviderError('transient', 'Sandbox /me answered without an account id');
    return { accountId, displayName: me.display_name ?? null };
  }

  async resolveRelease(accessToken: string, q: ReleaseQuery): Promise<ResolvedRelease | null> {
    if (q.upc) {
      const res = (await this.api(
        'GET',
        `/v1/search?${new URLSearchParams({ q: `upc:${q.upc}`, type: 'album', limit: '5' })}`,
        accessToken,
      )) as {
        albums?: { items?: SandboxAlbum[] };
      };
      for (const item of res.albums?.items ?? []) {
        // Search results carry no barcode: fetch the album and check it, so a look-alike never matches.
        const album = (await this.api('GET', `/v1/albums/${encodeURIComponent(item.id)}`, accessToken)) as SandboxAlbum;
        if (album.external_ids?.upc === q.upc) return toResolved(album, 'upc');
      }
    }
    for (const isrc of q.isrcs) {
      const res = (await this.api(
        'GET',
        `/v1/search?${new URLSearchParams({ q: `isrc:${isrc}`, type: 'track', limit: '5' })}`,
        accessToken,
      )) as {
        tracks?: { items?: { external_ids?: { isrc?: string }; album: SandboxAlbum }[] };
      };
      const track = res.tracks?.items?.find((t) => t.external_ids?.isrc === isrc);
      if (track) return toResolved(track.album, 'isrc');
    }
    return null;
  }

  async saveToLibrary(accessToken: string, uris: string[]): Promise<void> {
    await this.api('PUT', `/v1/me/library?uris=${encodeURIComponent(uris.join(','))}`, accessToken);
  }

  async libraryContains(accessToken: string, uris: string[]): Promise<boolean[]> {
    const res = await this.api('GET', `/v1/me/library/contains?uris=${encodeURIComponent(uris.join(','))}`, accessToken);
    if (!Array.isArray(res) || res.length !== uris.length)
      throw new ProviderError('transient', 'Sandbox contains answered with an unexpected body');
    return res.map(Boolean);
  }

  lookupArtist(uri: string): Promise<IdLookup> {
    return this.lookup('artists', /^sandbox:artist:([A-Za-z0-9]{1,64})$/.exec(uri)?.[1]);
  }

  lookupRelease(uri: string): Promise<IdLookup> {
    return this.lookup('albums', /^sandbox:album:([A-Za-z0-9]{1,64})$/.exec(uri)?.[1]);
  }

  /** The Sandbox's catalog needs no credentials: it can always be asked. */
  private async lookup(kind: 'artists' | 'albums', id: string | undefined): Promise<IdLookup> {
    if (!id) return 'unknown';
    const res = await this.http.send('GET', `${this.opts.baseUrl}/v1/catalog/${kind}/${encodeURIComponent(id)}`, {});
    if (res.status === 200) return 'found';
    if (res.status === 404 || res.status === 400) return 'unknown';
    throw this.classify(res, `/v1/catalog/${kind}`);
  }

  private async token(form: Record<string, string>): Promise<TokenSet> {
    const res = await this.http.send('POST', `${this.opts.baseUrl}/api/token`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    const body = parseJson(res.text) as Record<string, unknown> | null;
    if (res.status === 200 && body && typeof body.access_token === 'string') {
      return {
        accessToken: body.access_token,
        ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
        expiresAt: typeof body.expires_in === 'number' ? this.opts.now() + body.expires_in * 1000 : null,
        scopes: typeof body.scope === 'string' ? body.scope.split(' ').filter(Boolean) : [],
      };
    }
    if (res.status === 400 && body?.error === 'invalid_grant') {
      throw new ProviderError('grant_dead', 'the fan revoked access or the Sandbox authorization expired', { status: 400 });
    }
    throw this.classify(res, 'token');
  }

  private async api(method: 'GET' | 'PUT', path: string, accessToken: string): Promise<unknown> {
    const res = await this.http.send(method, `${this.opts.baseUrl}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
    if (res.status >= 200 && res.status < 300) return res.text ? parseJson(res.text) : null;
    throw this.classify(res, path.split('?')[0]!);
  }

  private classify(res: HttpResponse, what: string): ProviderError {
    const body = parseJson(res.text) as { error?: { message?: string; reason?: string } | string } | null;
    const err = typeof body?.error === 'object' ? body.error : undefined;
    const message = err?.message ?? (typeof body?.error === 'string' ? body.error : `HTTP ${res.status}`);
    const status = res.status;
    if (status === 401) return new ProviderError('unauthorized', `Sandbox: ${message}`, { status });
    if (status === 429 && err?.reason === 'QUOTA_EXCEEDED') return new ProviderError('quota', 'Sandbox: app quota exceeded', { status });
    if (status === 429) {
      return new ProviderError('retry_after', 'Sandbox: rate limited', {
        status,
        retryAt: retryAtFrom(res.headers['retry-after'], this.opts.now()),
      });
    }
    if (status >= 500) return new ProviderError('transient', `Sandbox ${what} answered ${status}`, { status });
    if (status === 403) return new ProviderError('grant_dead', `Sandbox refused access: ${message}`, { status });
    return new ProviderError('bad_config', `Sandbox ${what} rejected the request (${status}): ${message}`, { status });
  }
}

function toResolved(album: SandboxAlbum, matchedBy: 'upc' | 'isrc'): ResolvedRelease {
  return {
    albumUri: album.uri,
    albumUrl: album.external_urls?.sandbox ?? null,
    artistUris: album.artists.map((a) => a.uri),
    title: album.name,
    matchedBy,
  };
}
