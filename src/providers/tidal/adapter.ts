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
import { TidalClient } from './client.js';
import type { TidalConfig } from './config.js';
import { nextCursor, primary } from './jsonapi.js';
import { resolveOnTidal } from './resolve.js';

/** TIDAL's per-request limit for adding to a collection relationship (`maxItems: 50` in the spec). */
const ADD_BATCH = 50;
/** Verification reads the collection newest first; this bounds the pages read for one check. */
const MAX_VERIFY_PAGES = 200;

/** A Dropday URI (`tidal:album:<id>`, `tidal:artist:<id>`) ↔ the collection it lives in. */
const KINDS = {
  album: { collection: 'userCollectionAlbums', type: 'albums' },
  artist: { collection: 'userCollectionArtists', type: 'artists' },
} as const;
type Kind = keyof typeof KINDS;

/**
 * TIDAL API v2: OAuth 2.1 Authorization Code + PKCE, JSON:API. Saves go to the fan's "My
 * Collection" (`userCollectionAlbums`, and `userCollectionArtists` to follow artists), then are
 * verified by reading the collection back.
 *
 * The fan's account id is read from the owners of their album collection, which needs only the
 * `collection.read` scope already asked for to verify saves (`GET /users/me` would need `user.read`,
 * which also exposes the fan's e-mail address and country).
 */
export class TidalAdapter implements ProviderAdapter {
  readonly id = 'tidal' as const;
  readonly authKind = 'oauth' as const;
  /** The spec has `userCollectionArtists` (add artists to My Collection): that is following on TIDAL. */
  readonly canFollowArtists = true;
  readonly grantLifetimeMs = null;
  private readonly client: TidalClient;

  constructor(
    readonly config: TidalConfig,
    readonly deps: AdapterDeps,
  ) {
    this.client = new TidalClient(config, deps);
  }

  /** `collection.write` saves (albums and artists alike); `collection.read` verifies and identifies the fan. */
  scopesFor(_opts: { followArtist: boolean }): string[] {
    return ['collection.read', 'collection.write'];
  }

  authorizationUrl(req: AuthorizationRequest): string {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: this.config.clientId,
      redirect_uri: req.redirectUri,
      scope: req.scopes.join(' '),
      code_challenge_method: 'S256',
      code_challenge: req.codeChallenge,
      state: req.state,
    });
    return `${this.config.loginBaseUrl}/authorize?${q}`;
  }

  exchangeCode(code: string, codeVerifier: string, redirectUri: string): Promise<TokenSet> {
    return this.client.token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier });
  }

  refresh(refreshToken: string): Promise<TokenSet> {
    return this.client.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  async currentAccount(accessToken: string): Promise<Account> {
    const doc = await this.client.get('/userCollectionAlbums/me/relationships/owners', [], accessToken);
    const owner = primary(doc).find((r) => r.type === 'users');
    if (!owner?.id) throw new ProviderError('transient', 'TIDAL did not say whose collection this is (no owner in the answer)');
    return { accountId: owner.id, displayName: null };
  }

  resolveRelease(accessToken: string, query: ReleaseQuery): Promise<ResolvedRelease | null> {
    const country = query.market && /^[A-Za-z]{2}$/.test(query.market) ? query.market.toUpperCase() : this.config.countryCode;
    return resolveOnTidal(this.client, accessToken, query, country, this.deps.now());
  }

  async saveToLibrary(accessToken: string, uris: string[]): Promise<void> {
    const byKind = groupByKind(uris);
    for (const kind of Object.keys(KINDS) as Kind[]) {
      const ids = byKind[kind];
      for (let i = 0; i < ids.length; i += ADD_BATCH) await this.add(kind, ids.slice(i, i + ADD_BATCH), accessToken);
    }
  }

  /**
   * Catalog look-ups with the app's own token (client credentials), which needs
   * TIDAL_CLIENT_SECRET: without it the id cannot be checked and is saved with a warning.
   */
  lookupArtist(uri: string): Promise<IdLookup> {
    return this.lookup('artists', /^tidal:artist:(\d{1,20})$/.exec(uri)?.[1]);
  }

  lookupRelease(uri: string): Promise<IdLookup> {
    return this.lookup('albums', /^tidal:album:(\d{1,20})$/.exec(uri)?.[1]);
  }

  /** Whether the catalog can be searched without a fan (client credentials need the secret). */
  canSearchCatalog(): boolean {
    return !!this.config.clientSecret;
  }

  /** The release in the catalog, found and verified as for a fan, with the app's own token. */
  async findInCatalog(query: ReleaseQuery): Promise<ResolvedRelease | null> {
    return this.resolveRelease(await this.appAccessToken(), query);
  }

  private appToken: { token: string; until: number } | null = null;

  private async appAccessToken(): Promise<string> {
    if (!this.appToken || this.appToken.until <= this.deps.now()) {
      const t = await this.client.token({ grant_type: 'client_credentials' });
      this.appToken = { token: t.accessToken, until: (t.expiresAt ?? this.deps.now() + 3_600_000) - 60_000 };
    }
    return this.appToken.token;
  }

  private async lookup(kind: 'artists' | 'albums', id: string | undefined): Promise<IdLookup> {
    if (!id) return 'unknown';
    if (!this.config.clientSecret) return 'unchecked';
    const token = await this.appAccessToken();
    try {
      await this.client.get(`/${kind}/${id}`, [['countryCode', this.config.countryCode]], token);
      return 'found';
    } catch (err) {
      if (err instanceof ProviderError && err.details.status === 404) return 'unknown';
      throw err;
    }
  }
  async libraryContains(accessToken: string, uris: string[]): Promise<boolean[]> {
    const byKind = groupByKind(uris);
    const found = new Set<string>();
    for (const kind of Object.keys(KINDS) as Kind[]) {
      const wanted = new Set(byKind[kind]);
      if (wanted.size === 0) continue;
      const { collection, type } = KINDS[kind];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_VERIFY_PAGES && wanted.size > 0; page++) {
        const doc = await this.client.get(
          `/${collection}/me/relationships/items`,
          [['sort', '-addedAt'], ...(cursor ? [['page[cursor]', cursor] as [string, string]] : [])],
          accessToken,
        );
        for (const item of primary(doc)) {
          if (item.type === type && wanted.delete(item.id)) found.add(`tidal:${kind}:${item.id}`);
        }
        cursor = nextCursor(doc.links);
        if (!cursor) break;
      }
    }
    return uris.map((u) => found.has(u));
  }

  private async add(kind: Kind, ids: string[], accessToken: string): Promise<void> {
    const { collection, type } = KINDS[kind];
    const path = `/${collection}/me/relationships/items`;
    const { conflict } = await this.client.post(path, { data: ids.map((id) => ({ type, id })) }, accessToken);
    if (!conflict) return;
    if (conflict === 'DUPLICATE_ITEMS_IN_COLLECTION') {
      // Already there. With several items the others may not have been added: add them one by one.
      if (ids.length > 1) for (const id of ids) await this.add(kind, [id], accessToken);
      return;
    }
    if (conflict === 'TOO_MANY_ITEMS_IN_COLLECTION') {
      throw new ProviderError('bad_config', `the fan's TIDAL collection of ${type} is full (TIDAL's item limit)`, { status: 409 });
    }
    throw new ProviderError('transient', `TIDAL POST ${path} answered 409 (${conflict})`, { status: 409 });
  }
}

function groupByKind(uris: string[]): Record<Kind, string[]> {
  const out: Record<Kind, string[]> = { album: [], artist: [] };
  for (const uri of uris) {
    const m = /^tidal:(album|artist):([^:\s]+)$/.exec(uri);
    if (!m) throw new ProviderError('bad_config', `"${uri}" is not a TIDAL album or artist URI`);
    const list = out[m[1] as Kind];
    if (!list.includes(m[2]!)) list.push(m[2]!);
  }
  return out;
}
