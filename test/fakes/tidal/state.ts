import { createHash, randomBytes } from 'node:crypto';

/**
 * Everything the fake TIDAL remembers: the catalog (seeded by tests), fans and their "My
 * Collection", pending consents, authorization codes and tokens, and the app's approval mode.
 */
export interface FakeArtist {
  id: string;
  name: string;
}

export interface FakeAlbum {
  id: string;
  title: string;
  /** TIDAL keeps "Sped Up", "Live"… here, apart from the title. */
  version?: string;
  barcodeId: string;
  artistIds: string[];
  trackIds: string[];
  albumType: 'ALBUM' | 'EP' | 'SINGLE';
  releaseDate: string;
  /** Epoch ms from which the album is in the catalog; before that it does not exist. */
  availableFrom: number;
}

export interface FakeTrack {
  id: string;
  title: string;
  version?: string;
  isrc: string;
  albumIds: string[];
  artistIds: string[];
  availableFrom: number;
}

export interface CollectionItem {
  id: string;
  addedAt: number;
}

export interface FakeUser {
  id: string;
  username: string;
  country: string;
  albums: CollectionItem[];
  artists: CollectionItem[];
}

export interface AccessToken {
  userId: string;
  scopes: string[];
  expiresAt: number;
  code?: string;
}

export interface RefreshToken {
  userId: string;
  scopes: string[];
  /** Rotation: a refresh token works once. */
  used: boolean;
  code?: string;
}

export interface AuthRequest {
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
  userId: string;
  scopes: string[];
  codeChallenge: string;
  expiresAt: number;
  used: boolean;
}

export interface ReleaseSeed {
  artist: string;
  /** More artists credited on the album (features). */
  otherArtists?: string[];
  title: string;
  version?: string;
  upc: string;
  isrcs?: string[];
  albumType?: FakeAlbum['albumType'];
  /** Epoch ms when the release goes live; default: already live. */
  availableFrom?: number;
  releaseDate?: string;
}

export interface FakeOptions {
  clientId?: string;
  /** When set, the token endpoint requires it (HTTP Basic or client_secret in the form). */
  clientSecret?: string | null;
  redirectUris?: string[];
  now?: () => number;
  accessTokenTtlSeconds?: number;
  /** Whether refresh answers a new refresh token and retires the old one (default true). */
  rotateRefreshTokens?: boolean;
  /** Collection page size (TIDAL pages relationships; default 20). */
  pageSize?: number;
  /** The app developer's username: the only fan allowed while the app is not approved. */
  developer?: string;
}

export const THIRD_PARTY_SCOPES = [
  'collection.read',
  'collection.write',
  'entitlements.read',
  'playback',
  'playlists.read',
  'playlists.write',
  'recommendations.read',
  'search.read',
  'search.write',
  'user.read',
];

export class FakeTidalState {
  readonly clientId: string;
  clientSecret: string | null;
  readonly redirectUris: string[];
  readonly now: () => number;
  accessTokenTtlSeconds: number;
  rotateRefreshTokens: boolean;
  pageSize: number;
  developer: string;
  /** False: TIDAL has not approved the app, so only `developer` may use the API (others get 403). */
  approved = true;
  /** How an add of an item already in the collection is answered: skipped in `meta`, or 409 DUPLICATE_ITEMS_IN_COLLECTION. */
  duplicateAnswer: 'skip' | 'conflict' = 'skip';
  /** Items per collection before 409 TOO_MANY_ITEMS_IN_COLLECTION. */
  collectionLimit = 10_000;
  /** Misbehaviour for tests of the adapter's checks: filters are ignored and every live album/track is returned. */
  ignoreFilters = false;

  readonly artists = new Map<string, FakeArtist>();
  readonly albums = new Map<string, FakeAlbum>();
  readonly tracks = new Map<string, FakeTrack>();
  readonly users = new Map<string, FakeUser>();
  readonly authRequests = new Map<string, AuthRequest>();
  readonly codes = new Map<string, AuthCode>();
  readonly accessTokens = new Map<string, AccessToken>();
  /** Client-credentials tokens (no user): catalog reads only. */
  readonly appTokens = new Map<string, number>();
  readonly refreshTokens = new Map<string, RefreshToken>();
  private nextId = 1000;

  constructor(opts: FakeOptions = {}) {
    this.clientId = opts.clientId ?? 'tidal-test-client';
    this.clientSecret = opts.clientSecret ?? null;
    this.redirectUris = [...(opts.redirectUris ?? [])];
    this.now = opts.now ?? Date.now;
    this.accessTokenTtlSeconds = opts.accessTokenTtlSeconds ?? 86_400;
    this.rotateRefreshTokens = opts.rotateRefreshTokens ?? true;
    this.pageSize = opts.pageSize ?? 20;
    this.developer = opts.developer ?? 'developer';
  }

  id(): string {
    return String(this.nextId++ * 7919);
  }

  registerRedirectUri(uri: string): void {
    if (!this.redirectUris.includes(uri)) this.redirectUris.push(uri);
  }

  artistNamed(name: string): FakeArtist {
    for (const a of this.artists.values()) if (a.name === name) return a;
    const artist = { id: this.id(), name };
    this.artists.set(artist.id, artist);
    return artist;
  }

  /** Adds an album with one track per ISRC (or one track when none are given). */
  addRelease(seed: ReleaseSeed): { album: FakeAlbum; tracks: FakeTrack[]; artists: FakeArtist[] } {
    const artists = [seed.artist, ...(seed.otherArtists ?? [])].map((n) => this.artistNamed(n));
    const availableFrom = seed.availableFrom ?? 0;
    const album: FakeAlbum = {
      id: this.id(),
      title: seed.title,
      ...(seed.version ? { version: seed.version } : {}),
      barcodeId: seed.upc,
      artistIds: artists.map((a) => a.id),
      trackIds: [],
      albumType: seed.albumType ?? 'SINGLE',
      releaseDate: seed.releaseDate ?? new Date(availableFrom || this.now()).toISOString().slice(0, 10),
      availableFrom,
    };
    const tracks = (seed.isrcs?.length ? seed.isrcs : [`QZ${album.id.padStart(10, '0').slice(-10)}`]).map((isrc, i) => {
      const track: FakeTrack = {
        id: this.id(),
        title: i === 0 ? seed.title : `${seed.title} (Track ${i + 1})`,
        ...(seed.version ? { version: seed.version } : {}),
        isrc,
        albumIds: [album.id],
        artistIds: album.artistIds,
        availableFrom,
      };
      this.tracks.set(track.id, track);
      album.trackIds.push(track.id);
      return track;
    });
    this.albums.set(album.id, album);
    return { album, tracks, artists };
  }

  isLive(item: { availableFrom: number }): boolean {
    return item.availableFrom <= this.now();
  }

  userNamed(username: string): FakeUser {
    for (const u of this.users.values()) if (u.username === username) return u;
    const user: FakeUser = { id: this.id(), username, country: 'US', albums: [], artists: [] };
    this.users.set(user.id, user);
    return user;
  }

  findUser(username: string): FakeUser | undefined {
    for (const u of this.users.values()) if (u.username === username) return u;
    return undefined;
  }

  /** What a fan's collection holds: album and artist ids, newest first. */
  collectionOf(username: string): { albums: string[]; artists: string[] } {
    const u = this.findUser(username);
    const newest = (items: CollectionItem[]) => [...items].sort((a, b) => b.addedAt - a.addedAt).map((i) => i.id);
    return { albums: u ? newest(u.albums) : [], artists: u ? newest(u.artists) : [] };
  }

  issueAppToken(): string {
    const token = `app-${randomBytes(24).toString('hex')}`;
    this.appTokens.set(token, this.now() + this.accessTokenTtlSeconds * 1000);
    return token;
  }

  issueTokens(userId: string, scopes: string[], code?: string): { accessToken: string; refreshToken: string } {
    const accessToken = `tat_${randomBytes(24).toString('base64url')}`;
    const refreshToken = `trt_${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(accessToken, {
      userId,
      scopes,
      expiresAt: this.now() + this.accessTokenTtlSeconds * 1000,
      ...(code ? { code } : {}),
    });
    this.refreshTokens.set(refreshToken, { userId, scopes, used: false, ...(code ? { code } : {}) });
    return { accessToken, refreshToken };
  }

  /** The fan removes the app on TIDAL: every token of theirs stops working (401, then invalid_grant). */
  revoke(username: string): void {
    const user = this.findUser(username);
    if (!user) return;
    for (const [t, v] of this.accessTokens) if (v.userId === user.id) this.accessTokens.delete(t);
    for (const [t, v] of this.refreshTokens) if (v.userId === user.id) this.refreshTokens.delete(t);
  }

  /** Every current access token (of one fan, or of all) expires now: the API answers 401 until a refresh. */
  expireAccessTokens(username?: string): void {
    const user = username ? this.findUser(username) : undefined;
    for (const v of this.accessTokens.values()) if (!username || v.userId === user?.id) v.expiresAt = this.now() - 1;
  }

  /** A replayed code revokes what it issued (OAuth 2.1 §4.1.3). */
  revokeIssuedBy(code: string): void {
    for (const [t, v] of this.accessTokens) if (v.code === code) this.accessTokens.delete(t);
    for (const [t, v] of this.refreshTokens) if (v.code === code) this.refreshTokens.delete(t);
  }
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
