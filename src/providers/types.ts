import type { ServiceId } from './services.js';

/**
 * The one interface every streaming service implements. Dropday's web and fulfillment code talk
 * only to this; each adapter talks HTTP to its service (or the Sandbox, or a fake in tests).
 *
 * Adapters never decide policy: they classify what the service said into a `ProviderError` kind,
 * and the fulfillment engine decides whether to retry, wait, pause or give up.
 */
export interface TokenSet {
  accessToken: string;
  /** Absent when the service did not rotate it: keep the old one. */
  refreshToken?: string;
  /** Epoch ms; null when the token does not expire. */
  expiresAt: number | null;
  scopes: string[];
}

export interface Account {
  accountId: string;
  displayName: string | null;
}

export interface ReleaseQuery {
  upc: string | null;
  isrcs: string[];
  /** For the last-resort lookup by artist and exact title; a match must still be verified. */
  artistName: string;
  title: string;
  /** ISO 3166-1 alpha-2 market (the fan's country), when known. */
  market?: string;
}

export interface ResolvedRelease {
  albumUri: string;
  albumUrl: string | null;
  artistUris: string[];
  title: string;
  matchedBy: 'upc' | 'isrc' | 'title' | 'override';
}

export type ProviderErrorKind =
  /** The access token is expired or invalid: refresh once and try again. */
  | 'unauthorized'
  /** The service asked everyone to wait until `retryAt` (a 429 with Retry-After). */
  | 'retry_after'
  /** A transient failure (5xx, timeout, reset): retry with backoff. */
  | 'transient'
  /** The app's quota is exhausted: pause the service and tell the operator. */
  | 'quota'
  /** The fan's grant can never work again (revoked, expired, not allow-listed). */
  | 'grant_dead'
  /** The service rejected the request as malformed or our credentials as wrong. */
  | 'bad_config';

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    /**
     * `refusal: 'not_allow_listed'`: the service will not let this app act for this account at all
     * (a Development Mode app's allow-list): nothing the fan can do, so the page offers a reminder.
     */
    readonly details: { status?: number; retryAt?: number; refusal?: 'not_allow_listed' } = {},
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/**
 * What a service says about an id an artist entered (an artist to follow, a release override):
 * `found`, `unknown` (the service answered that no such id exists), or `unchecked` (this server
 * has no credentials to ask). A service that cannot be reached throws like any other call.
 */
export type IdLookup = 'found' | 'unknown' | 'unchecked';

export interface AuthorizationRequest {
  state: string;
  codeChallenge: string;
  redirectUri: string;
  scopes: string[];
}

export interface AdapterDeps {
  timeoutMs: number;
  now: () => number;
}

export interface ProviderAdapter {
  readonly id: ServiceId;
  /** `oauth`: redirect round trip via authorizationUrl/exchangeCode. `musickit`: the page obtains a token in the browser (Apple Music). */
  readonly authKind: 'oauth' | 'musickit';
  /** Whether saving can also follow the release's artists on this service. */
  readonly canFollowArtists: boolean;
  /**
   * How long a grant lives after the fan authorized, whatever refreshes happen (Spotify: 6 months);
   * null when the service sets no such limit. Pre-saves due later are flagged for re-authorization.
   */
  readonly grantLifetimeMs: number | null;
  /** OAuth scopes for a campaign: the least that does the job. */
  scopesFor(opts: { followArtist: boolean }): string[];
  authorizationUrl(req: AuthorizationRequest): string;
  exchangeCode(code: string, codeVerifier: string, redirectUri: string): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<TokenSet>;
  currentAccount(accessToken: string): Promise<Account>;
  /** Finds the live release by UPC, then ISRC, verifying the identifier matches. Null: not (yet) found. */
  resolveRelease(accessToken: string, query: ReleaseQuery): Promise<ResolvedRelease | null>;
  saveToLibrary(accessToken: string, uris: string[]): Promise<void>;
  libraryContains(accessToken: string, uris: string[]): Promise<boolean[]>;
  /** Whether the service knows an artist (`<service>:artist:<id>`), with the operator's own credentials. */
  lookupArtist(uri: string): Promise<IdLookup>;
  /** Whether the service knows an album (`<service>:album:<id>`), with the operator's own credentials. */
  lookupRelease(uri: string): Promise<IdLookup>;
  /**
   * Catalog search without a fan (client credentials), for store links found automatically
   * (src/links/lookup/): only adapters that have it, and only when canSearchCatalog() says so.
   */
  canSearchCatalog?(): boolean;
  findInCatalog?(query: ReleaseQuery): Promise<ResolvedRelease | null>;
}
