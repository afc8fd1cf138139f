import { createHash } from 'node:crypto';
import {
  ProviderError,
  type Account,
  type AdapterDeps,
  type ProviderAdapter,
  type ReleaseQuery,
  type ResolvedRelease,
  type TokenSet,
  type IdLookup,
} from '../types.js';
import { AppleMusicClient, GRANT_DEAD_REASON } from './client.js';
import type { AppleMusicConfig } from './config.js';
import { DeveloperTokenSigner } from './developer-token.js';
import { findRelease } from './resolve.js';

/**
 * Apple Music. There is no OAuth round trip: the fan's browser gets a Music User Token from
 * MusicKit JS (see web/routes/apple-music.ts) and that token is the grant's access token — it has
 * no refresh token and no published lifetime. Requests carry the developer token, which this
 * adapter signs from the operator's .p8 key and caches.
 *
 * Saving is `POST /v1/me/library?ids[albums]=…`, which answers 202 and silently ignores ids it
 * cannot add (e.g. an album not available in the fan's storefront). So `libraryContains` really
 * asks the fan's library: `GET /v1/catalog/{storefront}/albums/{id}/library` — the catalog album's
 * `library` relationship — which lists the fan's library album for that catalog album, or answers
 * 404 (or an empty list) when it is not in the library.
 */
const STOREFRONT_CACHE_MS = 60 * 60_000;
const STOREFRONT_CACHE_MAX = 10_000;

/** Ids an artist enters are checked in one storefront: catalog ids are the same in every one. */
const LOOKUP_STOREFRONT = 'us';

export class AppleMusicAdapter implements ProviderAdapter {
  readonly id = 'apple-music' as const;
  readonly authKind = 'musickit' as const;
  /** Apple Music has favorites, not follows: a favorite is not what the fan agreed to. */
  readonly canFollowArtists = false;
  /** Music User Tokens have no documented lifetime (reported about 6 months); none is assumed. */
  readonly grantLifetimeMs = null;
  private readonly signer: DeveloperTokenSigner;
  private readonly client: AppleMusicClient;
  private readonly storefronts = new Map<string, { id: string; until: number }>();

  constructor(
    readonly config: AppleMusicConfig,
    private readonly deps: AdapterDeps,
  ) {
    this.signer = new DeveloperTokenSigner(config, deps.now);
    this.client = new AppleMusicClient(config.apiBaseUrl, this.signer, deps.timeoutMs, deps.now);
  }

  /** The developer token for the fan's MusicKit page (it is meant to be public; the key is not). */
  developerToken(): string {
    return this.signer.token();
  }

  scopesFor(): string[] {
    return [];
  }

  authorizationUrl(): string {
    throw new ProviderError('bad_config', 'Apple Music has no OAuth redirect: fans connect with MusicKit JS on /connect/apple-music');
  }

  async exchangeCode(): Promise<TokenSet> {
    throw new ProviderError('bad_config', 'Apple Music has no OAuth code exchange: the Music User Token comes from MusicKit JS');
  }

  async refresh(): Promise<TokenSet> {
    // Music User Tokens cannot be refreshed: once refused, the fan has to authorize again.
    throw new ProviderError('grant_dead', GRANT_DEAD_REASON);
  }

  /** A Music User Token as the grant's tokens: no refresh token, no known expiry. */
  tokensFor(musicUserToken: string): TokenSet {
    return { accessToken: musicUserToken, expiresAt: null, scopes: [] };
  }

  /**
   * Checks the Music User Token (by asking for the fan's storefront) and names the account.
   * Apple gives apps no stable user id, so the account id is derived from the token itself:
   * the first 32 characters of base64url(SHA-256(token)). It never reveals the token, stays the
   * same for as long as the token does (so a fan who pre-saves twice with the same token has one
   * pre-save), and a fan who authorizes again with a new token simply gets a new grant.
   */
  async currentAccount(musicUserToken: string): Promise<Account> {
    const storefront = await this.storefrontOf(musicUserToken, { fresh: true });
    if (!storefront) throw new ProviderError('transient', 'Apple Music /v1/me/storefront answered without a storefront');
    return { accountId: accountIdFor(musicUserToken), displayName: null };
  }

  /** The fan's storefront (country), e.g. `us`; cached for an hour per token. */
  async storefrontOf(musicUserToken: string, opts: { fresh?: boolean } = {}): Promise<string | null> {
    const key = accountIdFor(musicUserToken);
    const now = this.deps.now();
    const hit = this.storefronts.get(key);
    if (hit && hit.until > now && !opts.fresh) return hit.id;
    const res = (await this.client.json('GET', '/v1/me/storefront', musicUserToken)) as { data?: { id?: string }[] } | null;
    const id = res?.data?.[0]?.id?.toLowerCase();
    if (!id || !/^[a-z]{2}$/.test(id)) return null;
    if (this.storefronts.size >= STOREFRONT_CACHE_MAX) this.storefronts.delete(this.storefronts.keys().next().value!);
    this.storefronts.set(key, { id, until: now + STOREFRONT_CACHE_MS });
    return id;
  }

  /** Looks in the fan's market when given, else the fan's own storefront, else `us`. */
  async resolveRelease(musicUserToken: string, q: ReleaseQuery): Promise<ResolvedRelease | null> {
    const sf = await this.storefrontFor(musicUserToken, q.market);
    return findRelease(this.client, sf, q, this.deps.now());
  }

  async saveToLibrary(musicUserToken: string, uris: string[]): Promise<void> {
    const ids = groupIds(uris);
    const q = Object.entries(ids)
      .filter(([, list]) => list.length)
      .map(([kind, list]) => `ids[${kind}]=${list.map(encodeURIComponent).join(',')}`)
      .join('&');
    if (!q) return;
    // 202 Accepted with no body; what was really added is checked by libraryContains.
    await this.client.json('POST', `/v1/me/library?${q}`, musicUserToken);
  }

  /** The catalog with the developer token alone (no fan needed), in the US storefront. */
  lookupArtist(uri: string): Promise<IdLookup> {
    return this.lookup('artists', /^apple-music:artist:(\d{1,20})$/.exec(uri)?.[1]);
  }

  lookupRelease(uri: string): Promise<IdLookup> {
    return this.lookup('albums', /^apple-music:album:(\d{1,20})$/.exec(uri)?.[1]);
  }

  private async lookup(kind: 'artists' | 'albums', id: string | undefined): Promise<IdLookup> {
    if (!id) return 'unknown';
    const path = `/v1/catalog/${LOOKUP_STOREFRONT}/${kind}/${id}`;
    const res = await this.client.send('GET', path);
    if (res.status === 200) return 'found';
    if (res.status === 404) return 'unknown';
    throw await this.client.classify(res, `GET /v1/catalog/{storefront}/${kind}/{id}`, false);
  }
  async libraryContains(musicUserToken: string, uris: string[]): Promise<boolean[]> {
    const sf = await this.storefrontFor(musicUserToken);
    const out: boolean[] = [];
    for (const uri of uris) {
      const { kind, id } = parseUri(uri);
      const path = `/v1/catalog/${sf}/${kind}/${encodeURIComponent(id)}/library`;
      const res = await this.client.send('GET', path, musicUserToken);
      if (res.status === 404) {
        out.push(false);
        continue;
      }
      if (res.status < 200 || res.status >= 300)
        throw await this.client.classify(res, `GET /v1/catalog/{storefront}/${kind}/{id}/library`, true);
      let body: { data?: unknown[] } | null = null;
      try {
        body = JSON.parse(res.text) as { data?: unknown[] };
      } catch {
        throw new ProviderError('transient', 'Apple Music library check answered with an unreadable body');
      }
      out.push(Array.isArray(body?.data) && body.data.length > 0);
    }
    return out;
  }

  private async storefrontFor(musicUserToken: string, market?: string): Promise<string> {
    const m = market?.trim().toLowerCase();
    if (m && /^[a-z]{2}$/.test(m)) return m;
    return (await this.storefrontOf(musicUserToken)) ?? 'us';
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** See currentAccount: Apple has no stable user id, so the account is named by its token's hash. */
export function accountIdFor(musicUserToken: string): string {
  return createHash('sha256').update(musicUserToken).digest('base64url').slice(0, 32);
}

const KINDS = { album: 'albums', song: 'songs' } as const;

function parseUri(uri: string): { kind: 'albums' | 'songs'; id: string } {
  const m = /^apple-music:(album|song):([A-Za-z0-9.]{1,64})$/.exec(uri);
  if (!m) throw new ProviderError('bad_config', `not an Apple Music album or song: ${uri.slice(0, 80)}`);
  return { kind: KINDS[m[1] as 'album' | 'song'], id: m[2]! };
}

function groupIds(uris: string[]): Record<'albums' | 'songs', string[]> {
  const out: Record<'albums' | 'songs', string[]> = { albums: [], songs: [] };
  for (const uri of uris) {
    const { kind, id } = parseUri(uri);
    out[kind].push(id);
  }
  return out;
}
