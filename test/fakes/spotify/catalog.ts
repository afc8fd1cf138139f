import { base62Id } from '../../../src/util/random.js';

/**
 * The fake's catalog: artists, albums with a UPC, tracks with an ISRC. An album can go live
 * later (`liveAt`): before then it is invisible to search and GET /albums/{id}, like a release
 * that is not out yet. `searchAlso` lists search queries an album also (wrongly) turns up for,
 * the way Spotify's fuzzy search returns look-alikes the adapter must reject.
 */
export interface FakeArtist {
  id: string;
  name: string;
}

export interface FakeTrack {
  id: string;
  name: string;
  isrc: string;
  artists: FakeArtist[];
  durationMs: number;
  trackNumber: number;
}

export type AlbumType = 'album' | 'single' | 'compilation';

export interface FakeAlbum {
  id: string;
  name: string;
  albumType: AlbumType;
  artists: FakeArtist[];
  upc: string | null;
  label: string;
  releaseDate: string;
  releaseDatePrecision: 'day' | 'month' | 'year';
  tracks: FakeTrack[];
  /** Epoch ms (fake clock) from which the album is visible; null: always. */
  liveAt: number | null;
  /** ISO country codes; null: everywhere. */
  markets: string[] | null;
  searchAlso: string[];
}

export interface AlbumInput {
  id?: string;
  name: string;
  /** Artist names (created on first use) or existing artists. Default: "Fake Artist". */
  artists?: (string | FakeArtist)[];
  albumType?: AlbumType;
  upc?: string | null;
  label?: string;
  releaseDate?: string;
  releaseDatePrecision?: 'day' | 'month' | 'year';
  /** Default: one track named like the album, with a generated ISRC. */
  tracks?: { id?: string; name?: string; isrc?: string; artists?: (string | FakeArtist)[] }[];
  liveAt?: number | null;
  markets?: string[] | null;
  searchAlso?: string[];
}

export const ID_RE = /^[A-Za-z0-9]{22}$/;

let isrcCounter = 0;
function generatedIsrc(): string {
  isrcCounter++;
  return `QZFAK26${String(isrcCounter).padStart(5, '0')}`;
}

function norm(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

interface ParsedQuery {
  filters: Map<string, string[]>;
  text: string[];
}

const FIELDS = new Set(['album', 'artist', 'track', 'year', 'upc', 'isrc', 'genre', 'tag']);

/** Spotify's search syntax: `field:value`, `field:"two words"`, and free text. */
export function parseSearchQuery(q: string): ParsedQuery {
  const filters = new Map<string, string[]>();
  const text: string[] = [];
  const re = /(\w+):"([^"]*)"|(\w+):(\S+)|"([^"]*)"|(\S+)/g;
  for (const m of q.matchAll(re)) {
    const field = (m[1] ?? m[3])?.toLowerCase();
    const value = m[2] ?? m[4];
    if (field && value !== undefined && FIELDS.has(field)) {
      filters.set(field, [...(filters.get(field) ?? []), value]);
    } else {
      text.push(m[5] ?? m[6] ?? m[0]);
    }
  }
  return { filters, text };
}

export class FakeCatalog {
  readonly artists = new Map<string, FakeArtist>();
  readonly albums = new Map<string, FakeAlbum>();

  constructor(private readonly now: () => number) {}

  artist(nameOrArtist: string | FakeArtist): FakeArtist {
    if (typeof nameOrArtist !== 'string') {
      this.artists.set(nameOrArtist.id, nameOrArtist);
      return nameOrArtist;
    }
    const existing = [...this.artists.values()].find((a) => a.name === nameOrArtist);
    if (existing) return existing;
    const a = { id: base62Id(), name: nameOrArtist };
    this.artists.set(a.id, a);
    return a;
  }

  addAlbum(input: AlbumInput): FakeAlbum {
    const artists = (input.artists ?? ['Fake Artist']).map((a) => this.artist(a));
    const liveAt = input.liveAt ?? null;
    const tracks = (input.tracks ?? [{}]).map((t, i) => ({
      id: t.id ?? base62Id(),
      name: t.name ?? input.name,
      isrc: t.isrc ?? generatedIsrc(),
      artists: t.artists ? t.artists.map((a) => this.artist(a)) : artists,
      durationMs: 180_000 + i * 1000,
      trackNumber: i + 1,
    }));
    const album: FakeAlbum = {
      id: input.id ?? base62Id(),
      name: input.name,
      albumType: input.albumType ?? (tracks.length > 3 ? 'album' : 'single'),
      artists,
      upc: input.upc ?? null,
      label: input.label ?? 'Fake Records',
      releaseDate: input.releaseDate ?? new Date(liveAt ?? this.now()).toISOString().slice(0, 10),
      releaseDatePrecision: input.releaseDatePrecision ?? 'day',
      tracks,
      liveAt,
      markets: input.markets ?? null,
      searchAlso: input.searchAlso ?? [],
    };
    if (!ID_RE.test(album.id)) throw new Error(`album id must be 22 base62 characters (got ${album.id})`);
    this.albums.set(album.id, album);
    return album;
  }

  isLive(album: FakeAlbum): boolean {
    return album.liveAt === null || this.now() >= album.liveAt;
  }

  /** A live album available in `market` (when given). */
  visibleAlbum(id: string, market?: string): FakeAlbum | undefined {
    const a = this.albums.get(id);
    if (!a || !this.isLive(a)) return undefined;
    if (market && a.markets && !a.markets.includes(market)) return undefined;
    return a;
  }

  trackById(id: string): { track: FakeTrack; album: FakeAlbum } | undefined {
    for (const album of this.albums.values()) {
      if (!this.isLive(album)) continue;
      const track = album.tracks.find((t) => t.id === id);
      if (track) return { track, album };
    }
    return undefined;
  }

  /** Whether a `spotify:<kind>:<id>` URI names something that exists (and is live). */
  exists(kind: string, id: string): boolean {
    if (kind === 'album') return this.visibleAlbum(id) !== undefined;
    if (kind === 'track') return this.trackById(id) !== undefined;
    if (kind === 'artist') return this.artists.has(id);
    return true; // episodes, shows, playlists, users: not modelled, accepted
  }

  searchAlbums(q: string, market?: string): FakeAlbum[] {
    const { filters, text } = parseSearchQuery(q);
    const out: FakeAlbum[] = [];
    for (const a of this.albums.values()) {
      if (!this.visibleAlbum(a.id, market)) continue;
      if (a.searchAlso.includes(q)) {
        out.push(a);
        continue;
      }
      if (filters.has('isrc') || filters.has('track') || filters.has('genre')) continue; // not album filters
      const ok =
        (filters.get('upc') ?? []).every((v) => a.upc === v) &&
        (filters.get('album') ?? []).every((v) => norm(a.name).includes(norm(v))) &&
        (filters.get('artist') ?? []).every((v) => a.artists.some((x) => norm(x.name).includes(norm(v)))) &&
        (filters.get('year') ?? []).every((v) => a.releaseDate.startsWith(v)) &&
        text.every((t) => norm(a.name).includes(norm(t)) || a.artists.some((x) => norm(x.name).includes(norm(t))));
      if (ok) out.push(a);
    }
    return out;
  }

  searchTracks(q: string, market?: string): { track: FakeTrack; album: FakeAlbum }[] {
    const { filters, text } = parseSearchQuery(q);
    const out: { track: FakeTrack; album: FakeAlbum }[] = [];
    for (const a of this.albums.values()) {
      if (!this.visibleAlbum(a.id, market)) continue;
      for (const t of a.tracks) {
        if (a.searchAlso.includes(q)) {
          out.push({ track: t, album: a });
          continue;
        }
        if (filters.has('upc') || filters.has('tag')) continue; // album-only filters
        const ok =
          (filters.get('isrc') ?? []).every((v) => t.isrc.toUpperCase() === v.toUpperCase()) &&
          (filters.get('track') ?? []).every((v) => norm(t.name).includes(norm(v))) &&
          (filters.get('album') ?? []).every((v) => norm(a.name).includes(norm(v))) &&
          (filters.get('artist') ?? []).every((v) => t.artists.some((x) => norm(x.name).includes(norm(v)))) &&
          text.every((x) => norm(t.name).includes(norm(x)));
        if (ok) out.push({ track: t, album: a });
      }
    }
    return out;
  }
}

/** JSON shapes of the Web API (simplified and full objects). */
export class CatalogJson {
  constructor(private readonly apiUrlOf: () => string) {}

  private get apiUrl(): string {
    return this.apiUrlOf();
  }

  artist(a: FakeArtist) {
    return {
      external_urls: { spotify: `https://open.spotify.com/artist/${a.id}` },
      href: `${this.apiUrl}/artists/${a.id}`,
      id: a.id,
      name: a.name,
      type: 'artist',
      uri: `spotify:artist:${a.id}`,
    };
  }

  simpleAlbum(a: FakeAlbum) {
    return {
      album_type: a.albumType,
      total_tracks: a.tracks.length,
      available_markets: a.markets ?? ['US', 'GB', 'DE', 'IN', 'NZ', 'BR', 'JP'],
      external_urls: { spotify: `https://open.spotify.com/album/${a.id}` },
      href: `${this.apiUrl}/albums/${a.id}`,
      id: a.id,
      images: [],
      name: a.name,
      release_date: this.releaseDate(a),
      release_date_precision: a.releaseDatePrecision,
      type: 'album',
      uri: `spotify:album:${a.id}`,
      artists: a.artists.map((x) => this.artist(x)),
    };
  }

  simpleTrack(t: FakeTrack) {
    return {
      artists: t.artists.map((x) => this.artist(x)),
      disc_number: 1,
      duration_ms: t.durationMs,
      explicit: false,
      external_urls: { spotify: `https://open.spotify.com/track/${t.id}` },
      href: `${this.apiUrl}/tracks/${t.id}`,
      id: t.id,
      is_local: false,
      name: t.name,
      track_number: t.trackNumber,
      type: 'track',
      uri: `spotify:track:${t.id}`,
    };
  }

  /** Full track (search results): carries external_ids.isrc and its simplified album. */
  track(t: FakeTrack, a: FakeAlbum) {
    return { ...this.simpleTrack(t), album: this.simpleAlbum(a), external_ids: { isrc: t.isrc }, popularity: 0 };
  }

  /** Full album (GET /albums/{id}): carries external_ids.upc and the track list. */
  album(a: FakeAlbum) {
    return {
      ...this.simpleAlbum(a),
      tracks: {
        href: `${this.apiUrl}/albums/${a.id}/tracks?offset=0&limit=50`,
        limit: 50,
        next: null,
        offset: 0,
        previous: null,
        total: a.tracks.length,
        items: a.tracks.slice(0, 50).map((t) => this.simpleTrack(t)),
      },
      copyrights: [{ text: `© ${a.label}`, type: 'C' }],
      external_ids: a.upc ? { upc: a.upc } : {},
      genres: [],
      label: a.label,
      popularity: 0,
    };
  }

  private releaseDate(a: FakeAlbum): string {
    if (a.releaseDatePrecision === 'year') return a.releaseDate.slice(0, 4);
    if (a.releaseDatePrecision === 'month') return a.releaseDate.slice(0, 7);
    return a.releaseDate;
  }
}
