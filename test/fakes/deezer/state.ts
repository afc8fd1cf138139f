import { randomBytes } from 'node:crypto';

/**
 * Everything the Deezer fake remembers: registered apps, the catalog (seeded by tests), fans and
 * their favourites, pending consents, authorization codes and access tokens. Plain in-memory
 * objects: one fake per test, thrown away with it.
 */
export const KNOWN_PERMS = [
  'basic_access',
  'email',
  'offline_access',
  'manage_library',
  'manage_community',
  'delete_library',
  'listening_history',
] as const;

export interface FakeApp {
  appId: string;
  secret: string;
  /** Exact redirect URIs accepted by auth.php. */
  redirectUris: string[];
}

export interface FakeArtist {
  id: number;
  name: string;
}

export interface FakeTrack {
  id: number;
  title: string;
  isrc: string | null;
  albumId: number;
}

export interface FakeAlbum {
  id: number;
  title: string;
  /** Stored exactly as "delivered": /album/upc: matches this string only. */
  upc: string | null;
  artist: FakeArtist;
  contributors: FakeArtist[];
  tracks: FakeTrack[];
  recordType: 'album' | 'single' | 'ep' | 'compile';
  /** Epoch ms (the fake's clock) from which the album is in the catalog; before it, "no data". */
  availableAt: number;
  releaseDate: string;
}

export interface FakeFavourite {
  id: number;
  /** Epoch seconds, as Deezer's `time_add`. */
  timeAdd: number;
}

export interface FakeUser {
  id: number;
  username: string;
  albums: FakeFavourite[];
  artists: FakeFavourite[];
}

export interface FakeToken {
  token: string;
  userId: number;
  appId: string;
  perms: string[];
  /** Epoch ms on the fake's clock; null = never (offline_access). */
  expiresAt: number | null;
  revoked: boolean;
}

export interface PendingConsent {
  requestId: string;
  appId: string;
  redirectUri: string;
  perms: string[];
  state: string | null;
  expiresAt: number;
}

export interface IssuedCode {
  code: string;
  appId: string;
  userId: number;
  perms: string[];
  expiresAt: number;
  used: boolean;
}

export interface AlbumInput {
  id?: number;
  title: string;
  /** An artist, or a name (an artist of that name is found or created). */
  artist: FakeArtist | string;
  /** Further main artists (the first is always `artist`). */
  contributors?: (FakeArtist | string)[];
  upc?: string | null;
  tracks?: { title: string; isrc?: string | null }[];
  recordType?: FakeAlbum['recordType'];
  /** Epoch ms on the fake's clock; default: already available. */
  availableAt?: number;
}

export const USERNAME_RE = /^[a-z0-9_.-]{1,32}$/;

export function randomCode(prefix: string, bytes = 18): string {
  return prefix + randomBytes(bytes).toString('hex');
}

export class DeezerFakeState {
  readonly apps: FakeApp[];
  readonly artists = new Map<number, FakeArtist>();
  readonly albums = new Map<number, FakeAlbum>();
  readonly tracks = new Map<number, FakeTrack>();
  readonly users = new Map<string, FakeUser>();
  readonly tokens = new Map<string, FakeToken>();
  readonly codes = new Map<string, IssuedCode>();
  readonly consents = new Map<string, PendingConsent>();
  /**
   * Lookups that answer with another object, as Deezer sometimes does (a replaced release): key
   * `upc:<UPC>` → album id, `isrc:<ISRC>` → track id.
   */
  readonly lookupOverrides = new Map<string, number>();
  private nextId = { artist: 27_000, album: 302_000, track: 3_135_000, user: 1_000_001 };

  constructor(
    apps: FakeApp[],
    /** The fake's clock, for release availability and token/code expiry. */
    readonly now: () => number,
  ) {
    this.apps = apps.map((a) => ({ ...a, redirectUris: [...a.redirectUris] }));
  }

  app(appId: string | undefined): FakeApp | undefined {
    return this.apps.find((a) => a.appId === appId);
  }

  /** Registers an exact redirect URI (tests learn Dropday's port only after it starts). */
  addRedirectUri(uri: string, appId = this.apps[0]!.appId): void {
    const app = this.app(appId);
    if (!app) throw new Error(`no app ${appId}`);
    if (!app.redirectUris.includes(uri)) app.redirectUris.push(uri);
  }

  // ---- catalog ----

  addArtist(input: { name: string; id?: number }): FakeArtist {
    const artist = { id: input.id ?? this.nextId.artist++, name: input.name };
    this.artists.set(artist.id, artist);
    return artist;
  }

  artistNamed(name: string): FakeArtist {
    for (const a of this.artists.values()) if (a.name === name) return a;
    return this.addArtist({ name });
  }

  addAlbum(input: AlbumInput): FakeAlbum {
    const artist = typeof input.artist === 'string' ? this.artistNamed(input.artist) : input.artist;
    const more = (input.contributors ?? []).map((c) => (typeof c === 'string' ? this.artistNamed(c) : c));
    const id = input.id ?? this.nextId.album++;
    const availableAt = input.availableAt ?? 0;
    const album: FakeAlbum = {
      id,
      title: input.title,
      upc: input.upc ?? null,
      artist,
      contributors: [artist, ...more.filter((c) => c.id !== artist.id)],
      tracks: [],
      recordType: input.recordType ?? 'album',
      availableAt,
      releaseDate: new Date(availableAt || this.now()).toISOString().slice(0, 10),
    };
    for (const t of input.tracks ?? [{ title: input.title }]) {
      const track: FakeTrack = { id: this.nextId.track++, title: t.title, isrc: t.isrc ?? null, albumId: id };
      album.tracks.push(track);
      this.tracks.set(track.id, track);
    }
    this.albums.set(id, album);
    return album;
  }

  isLive(album: FakeAlbum): boolean {
    return album.availableAt <= this.now();
  }

  liveAlbum(id: number): FakeAlbum | undefined {
    const a = this.albums.get(id);
    return a && this.isLive(a) ? a : undefined;
  }

  albumByUpc(upc: string): FakeAlbum | undefined {
    const override = this.lookupOverrides.get(`upc:${upc}`);
    if (override !== undefined) return this.liveAlbum(override);
    for (const a of this.albums.values()) if (a.upc === upc && this.isLive(a)) return a;
    return undefined;
  }

  trackByIsrc(isrc: string): FakeTrack | undefined {
    const override = this.lookupOverrides.get(`isrc:${isrc.toUpperCase()}`);
    if (override !== undefined) return this.tracks.get(override);
    for (const t of this.tracks.values()) {
      const album = this.albums.get(t.albumId);
      if (t.isrc === isrc.toUpperCase() && album && this.isLive(album)) return t;
    }
    return undefined;
  }

  // ---- fans ----

  ensureUser(username: string): FakeUser {
    let u = this.users.get(username);
    if (!u) {
      u = { id: this.nextId.user++, username, albums: [], artists: [] };
      this.users.set(username, u);
    }
    return u;
  }

  userById(id: number): FakeUser | undefined {
    for (const u of this.users.values()) if (u.id === id) return u;
    return undefined;
  }

  /** The album and artist ids in a fan's favourites (oldest first), or empty for an unknown fan. */
  library(username: string): { albums: number[]; artists: number[] } {
    const u = this.users.get(username);
    return { albums: u?.albums.map((f) => f.id) ?? [], artists: u?.artists.map((f) => f.id) ?? [] };
  }

  /** Adds a favourite directly (for seeding a large library). True when it was not there yet. */
  addFavourite(username: string, kind: 'album' | 'artist', id: number): boolean {
    const u = this.ensureUser(username);
    const list = kind === 'album' ? u.albums : u.artists;
    if (list.some((f) => f.id === id)) return false;
    list.push({ id, timeAdd: Math.floor(Date.now() / 1000) });
    return true;
  }

  issueToken(app: FakeApp, userId: number, perms: string[], ttlSeconds: number): FakeToken {
    const offline = perms.includes('offline_access');
    const t: FakeToken = {
      token: randomCode('fr', 24),
      userId,
      appId: app.appId,
      perms,
      expiresAt: offline ? null : this.now() + ttlSeconds * 1000,
      revoked: false,
    };
    this.tokens.set(t.token, t);
    return t;
  }

  /** The fan removes the app from their Deezer account: every token of theirs stops working. */
  revoke(username: string): void {
    const u = this.users.get(username);
    if (!u) throw new Error(`no Deezer fan ${username}`);
    for (const t of this.tokens.values()) if (t.userId === u.id) t.revoked = true;
  }

  /** Narrows the permissions on every token of a fan (e.g. an app authorized without manage_library). */
  restrictPermissions(username: string, perms: string[]): void {
    const u = this.users.get(username);
    if (!u) throw new Error(`no Deezer fan ${username}`);
    for (const t of this.tokens.values()) if (t.userId === u.id) t.perms = [...perms];
  }
}
