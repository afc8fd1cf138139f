import { createHash } from 'node:crypto';
import { randomToken } from '../../../src/util/random.js';
import { FakeCatalog, type AlbumInput, type FakeAlbum } from './catalog.js';

/**
 * Everything the fake Spotify remembers: registered apps, fans, grants and tokens, each fan's
 * library, the catalog, and a log of every request it received.
 */
export type AppMode = 'development' | 'extended';

export interface FakeClient {
  clientId: string;
  /** Set for a confidential app; HTTP Basic client auth is then checked when sent. */
  clientSecret: string | null;
  redirectUris: string[];
  /** Development Mode blocks the legacy /me/albums (403). */
  mode: AppMode;
  /** Development Mode allow-list (at most 5 users); null: not enforced. */
  allowList: Set<string> | null;
}

export interface FakeClientInput {
  clientId: string;
  clientSecret?: string | null;
  redirectUris?: string[];
  mode?: AppMode;
  allowList?: string[] | null;
}

export interface FakeUser {
  username: string;
  /** Stable and pseudonymous, like Spotify's `account_id`. */
  accountId: string;
  displayName: string;
  country: string;
  /** Saved items by URI (albums, tracks, and followed artists as spotify:artist:… URIs). */
  saved: Map<string, number>;
}

export interface Grant {
  id: string;
  clientId: string;
  username: string;
  scopes: string[];
  /** When the fan consented; refresh tokens die `grantLifetimeMs` later, whatever refreshes happen. */
  authorizedAt: number;
  revoked: boolean;
}

export interface PendingAuthorization {
  id: string;
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  scopes: string[];
  codeChallenge: string;
  expiresAt: number;
}

export interface AuthCode {
  clientId: string;
  redirectUri: string;
  username: string;
  scopes: string[];
  codeChallenge: string;
  expiresAt: number;
  used: boolean;
  /** Grants created by exchanging this code (revoked if the code is replayed). */
  grantId: string | null;
}

export type RequestTarget = 'authorize' | 'token' | 'me' | 'search' | 'albums' | 'library' | 'contains' | 'following' | 'legacy' | 'other';

export interface RecordedRequest {
  seq: number;
  /** Real time (Date.now()) the request arrived. */
  at: number;
  /** The fake's clock when it arrived. */
  clock: number;
  method: string;
  /** Path without the query, e.g. /v1/me/library. */
  path: string;
  url: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  target: RequestTarget;
  clientId?: string;
  username?: string;
  /** Status sent; undefined when the connection was reset. */
  status?: number;
  /** The answer's body, when it was text. */
  responseBody?: string;
  /** Real time the answer was sent. */
  respondedAt?: number;
  /** The last request's `seq` when the answer was sent: requests with a higher one came after it. */
  respondedAfterSeq?: number;
  /** For a 429 with Retry-After: real time before which the app should not call again. */
  retryAfterUntil?: number;
}

export const DEFAULT_CLIENT_ID = 'dropdayfakespotifyclient00000001';
export const MAX_ALLOW_LIST = 5;

export interface StateOptions {
  now: () => number;
  accessTokenTtlSeconds: number;
  grantLifetimeMs: number;
  rotateRefreshTokens: boolean;
  artistUrisInLibrary: 'accept' | 'reject';
  codeTtlMs: number;
}

export class SpotifyFakeState {
  readonly clients = new Map<string, FakeClient>();
  readonly users = new Map<string, FakeUser>();
  readonly grants = new Map<string, Grant>();
  readonly pending = new Map<string, PendingAuthorization>();
  readonly codes = new Map<string, AuthCode>();
  readonly accessTokens = new Map<string, { grantId: string; expiresAt: number }>();
  readonly refreshTokens = new Map<string, { grantId: string; used: boolean }>();
  /** Client-credentials tokens: the app itself, no user (catalog reads only). */
  readonly appTokens = new Map<string, { clientId: string; expiresAt: number }>();
  readonly requests: RecordedRequest[] = [];
  readonly catalog: FakeCatalog;
  private seq = 0;

  constructor(readonly opts: StateOptions) {
    this.catalog = new FakeCatalog(opts.now);
  }

  now(): number {
    return this.opts.now();
  }

  // ---- apps ----

  addClient(input: FakeClientInput): FakeClient {
    const allow = input.allowList ?? null;
    if (allow && allow.length > MAX_ALLOW_LIST) throw new Error(`a Development Mode app allows at most ${MAX_ALLOW_LIST} users`);
    const client: FakeClient = {
      clientId: input.clientId,
      clientSecret: input.clientSecret ?? null,
      redirectUris: [...(input.redirectUris ?? [])],
      mode: input.mode ?? 'development',
      allowList: allow ? new Set(allow) : null,
    };
    this.clients.set(client.clientId, client);
    return client;
  }

  client(clientId = DEFAULT_CLIENT_ID): FakeClient {
    const c = this.clients.get(clientId);
    if (!c) throw new Error(`no fake client ${clientId}`);
    return c;
  }

  /** Registers a redirect URI in the app's dashboard settings (exact match, like Spotify). */
  registerRedirectUri(uri: string, clientId = DEFAULT_CLIENT_ID): void {
    const c = this.client(clientId);
    if (!c.redirectUris.includes(uri)) c.redirectUris.push(uri);
  }

  /** Adds a fan to a Development Mode app's allow-list (turning the allow-list on). */
  allowUser(username: string, clientId = DEFAULT_CLIENT_ID): void {
    const c = this.client(clientId);
    c.allowList ??= new Set();
    if (!c.allowList.has(username) && c.allowList.size >= MAX_ALLOW_LIST) {
      throw new Error(`a Development Mode app allows at most ${MAX_ALLOW_LIST} users`);
    }
    c.allowList.add(username);
  }

  disallowUser(username: string, clientId = DEFAULT_CLIENT_ID): void {
    this.client(clientId).allowList?.delete(username);
  }

  // ---- users and libraries ----

  user(username: string): FakeUser {
    let u = this.users.get(username);
    if (!u) {
      u = {
        username,
        accountId: createHash('sha256').update(`account:${username}`).digest('hex').slice(0, 24),
        displayName: username,
        country: 'US',
        saved: new Map(),
      };
      this.users.set(username, u);
    }
    return u;
  }

  /** URIs in the fan's library (albums, tracks, followed artists), in save order. */
  libraryOf(username: string): string[] {
    return [...(this.users.get(username)?.saved.keys() ?? [])];
  }

  /** Albums in the fan's library. */
  albumsOf(username: string): FakeAlbum[] {
    return this.libraryOf(username)
      .filter((u) => u.startsWith('spotify:album:'))
      .map((u) => this.catalog.albums.get(u.slice('spotify:album:'.length)))
      .filter((a): a is FakeAlbum => a !== undefined);
  }

  addAlbum(input: AlbumInput): FakeAlbum {
    return this.catalog.addAlbum(input);
  }

  // ---- grants and tokens ----

  createGrant(code: AuthCode): Grant {
    const g: Grant = {
      id: randomToken(9),
      clientId: code.clientId,
      username: code.username,
      scopes: code.scopes,
      authorizedAt: this.now(),
      revoked: false,
    };
    this.grants.set(g.id, g);
    return g;
  }

  issueAccessToken(grant: Grant): { token: string; expiresIn: number } {
    const token = `BQ${randomToken(48)}`;
    this.accessTokens.set(token, { grantId: grant.id, expiresAt: this.now() + this.opts.accessTokenTtlSeconds * 1000 });
    return { token, expiresIn: this.opts.accessTokenTtlSeconds };
  }

  issueAppToken(clientId: string): { token: string; expiresIn: number } {
    const token = `BQapp${randomToken(44)}`;
    this.appTokens.set(token, { clientId, expiresAt: this.now() + this.opts.accessTokenTtlSeconds * 1000 });
    return { token, expiresIn: this.opts.accessTokenTtlSeconds };
  }

  issueRefreshToken(grant: Grant): string {
    const token = `AQ${randomToken(48)}`;
    this.refreshTokens.set(token, { grantId: grant.id, used: false });
    return token;
  }

  /** The fan removes the app in their Spotify account settings: every token of theirs stops working. */
  revokeUser(username: string): void {
    for (const g of this.grants.values()) if (g.username === username) g.revoked = true;
  }

  revokeGrant(grantId: string): void {
    const g = this.grants.get(grantId);
    if (g) g.revoked = true;
  }

  grantExpired(g: Grant): boolean {
    return this.now() >= g.authorizedAt + this.opts.grantLifetimeMs;
  }

  // ---- request log ----

  /** The `seq` of the last request recorded. */
  get lastSeq(): number {
    return this.seq;
  }

  record(r: Omit<RecordedRequest, 'seq'>): RecordedRequest {
    const rec = { seq: ++this.seq, ...r };
    this.requests.push(rec);
    return rec;
  }

  /** Web API requests (under /v1), optionally only those of one kind. */
  apiRequests(target?: RequestTarget): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/v1/') && (target === undefined || r.target === target));
  }

  /**
   * Web API requests from an app that arrived after it was answered 429 with Retry-After and
   * before that wait was over: a polite client sends none.
   */
  requestsInsideRetryAfter(): RecordedRequest[] {
    const limited = this.requests.filter((r) => r.retryAfterUntil !== undefined && r.respondedAt !== undefined);
    return this.apiRequests().filter((r) =>
      // Sent after the 429 went out (by arrival order, not by the clock: both can fall in one millisecond).
      limited.some((l) => l.clientId === r.clientId && r.seq > (l.respondedAfterSeq ?? l.seq) && r.at < l.retryAfterUntil!),
    );
  }
}
