import { isSameArtist, isSameTitle, isVariantTitle } from '../matching.js';
import type { ReleaseQuery, ResolvedRelease } from '../types.js';
import type { SpotifyWebApi } from './web-api.js';

/**
 * Finding the release on Spotify: by UPC, then by ISRC, then by artist and exact title. Search
 * results are never trusted on their own: every candidate album is fetched with GET /albums/{id}
 * and its identifiers (or title and artist) must match what the artist gave.
 */

/** `limit` on /search may not exceed 10 (11 → 400). */
export const SEARCH_LIMIT = 5;
const TITLE_SEARCH_LIMIT = 10;
/** Album fetches per search, so a noisy search cannot turn one poll into dozens of requests. */
const MAX_CANDIDATES = 5;
/** ISRCs tried per resolution; the first ones are the release's focus tracks. */
const MAX_ISRCS = 10;

interface SimpleArtist {
  id?: string;
  uri?: string;
  name?: string;
}

interface SimpleAlbum {
  id?: string;
  uri?: string;
  name?: string;
  album_type?: string;
  artists?: SimpleArtist[];
  external_urls?: { spotify?: string };
}

interface FullAlbum extends SimpleAlbum {
  external_ids?: { upc?: string; ean?: string };
  tracks?: { items?: ({ id?: string } | null)[]; total?: number };
}

interface SearchTrack {
  id?: string;
  external_ids?: { isrc?: string };
  album?: SimpleAlbum;
}

/** A UPC-A (12 digits) and its EAN-13 form (leading 0) are the same barcode: compare as GTIN-14. */
export function sameBarcode(a: string | undefined | null, b: string | undefined | null): boolean {
  const da = (a ?? '').replace(/\D/g, '');
  const db = (b ?? '').replace(/\D/g, '');
  if (da.length < 8 || db.length < 8 || da.length > 14 || db.length > 14) return false;
  return da.padStart(14, '0') === db.padStart(14, '0');
}

/** The UPC as given, then its 12/13-digit twin (Spotify may hold either form). */
function barcodeForms(upc: string): string[] {
  const digits = upc.replace(/\D/g, '');
  if (digits.length === 12) return [digits, `0${digits}`];
  if (digits.length === 13 && digits.startsWith('0')) return [digits, digits.slice(1)];
  return [digits];
}

function sameIsrc(a: string | undefined, b: string): boolean {
  const norm = (s: string) => s.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  return a !== undefined && norm(a) === norm(b);
}

/** Keeps a value out of the search syntax: quotes would end the phrase early. */
function phrase(s: string): string {
  return s
    .replace(/["\u201c\u201d]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function items<T>(list: (T | null | undefined)[] | undefined): T[] {
  // Spotify's search sometimes returns null entries inside `items`.
  return (list ?? []).filter((x): x is T => x !== null && x !== undefined && typeof x === 'object');
}

function isAlbumId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9]{1,64}$/.test(id);
}

export class SpotifyResolver {
  constructor(private readonly api: SpotifyWebApi) {}

  async resolve(token: string, q: ReleaseQuery): Promise<ResolvedRelease | null> {
    if (q.upc) {
      const found = await this.byUpc(token, q.upc, q.market);
      if (found) return toResolved(found, 'upc');
    }
    for (const isrc of q.isrcs.slice(0, MAX_ISRCS)) {
      const found = await this.byIsrc(token, isrc, q);
      if (found) return toResolved(found, 'isrc');
    }
    if (q.title.trim() && q.artistName.trim()) {
      const found = await this.byTitle(token, q);
      if (found) return toResolved(found, 'title');
    }
    return null;
  }

  private async byUpc(token: string, upc: string, market: string | undefined): Promise<FullAlbum | null> {
    const tried = new Set<string>();
    for (const form of barcodeForms(upc)) {
      const res = (await this.api.get(token, '/search', {
        q: `upc:${form}`,
        type: 'album',
        limit: String(SEARCH_LIMIT),
        market,
      })) as { albums?: { items?: (SimpleAlbum | null)[] } } | null;
      for (const item of items(res?.albums?.items).slice(0, MAX_CANDIDATES)) {
        if (!isAlbumId(item.id) || tried.has(item.id)) continue;
        tried.add(item.id);
        // Search results carry no barcode: fetch the album, so a look-alike never matches.
        const album = await this.album(token, item.id, market);
        if (album && sameBarcode(album.external_ids?.upc ?? album.external_ids?.ean, upc)) return album;
      }
    }
    return null;
  }

  private async byIsrc(token: string, isrc: string, q: ReleaseQuery): Promise<FullAlbum | null> {
    const res = (await this.api.get(token, '/search', {
      q: `isrc:${isrc}`,
      type: 'track',
      limit: String(SEARCH_LIMIT),
      market: q.market,
    })) as { tracks?: { items?: (SearchTrack | null)[] } } | null;
    const matches = items(res?.tracks?.items).filter((t) => sameIsrc(t.external_ids?.isrc, isrc) && isAlbumId(t.album?.id));
    // The same recording also sits on compilations and earlier singles: prefer the album titled
    // like the release, never a variant, and take a differently titled album only without a UPC.
    const acceptable = (a: SimpleAlbum) => {
      const name = a.name ?? '';
      if (isVariantTitle(q.title, name)) return false;
      if (isSameTitle(q.title, name)) return true;
      return !q.upc && a.album_type !== 'compilation';
    };
    const ranked = matches
      .filter((t) => acceptable(t.album!))
      .sort((a, b) => Number(isSameTitle(q.title, b.album!.name ?? '')) - Number(isSameTitle(q.title, a.album!.name ?? '')));
    const tried = new Set<string>();
    for (const track of ranked) {
      const id = track.album!.id!;
      if (tried.has(id) || tried.size >= MAX_CANDIDATES) continue;
      tried.add(id);
      const album = await this.album(token, id, q.market);
      if (album && acceptable(album) && albumHoldsTrack(album, track.id)) return album;
    }
    return null;
  }

  private async byTitle(token: string, q: ReleaseQuery): Promise<FullAlbum | null> {
    const res = (await this.api.get(token, '/search', {
      q: `album:"${phrase(q.title)}" artist:"${phrase(q.artistName)}"`,
      type: 'album',
      limit: String(TITLE_SEARCH_LIMIT),
      market: q.market,
    })) as { albums?: { items?: (SimpleAlbum | null)[] } } | null;
    const matches = (a: SimpleAlbum) =>
      isSameTitle(q.title, a.name ?? '') &&
      !isVariantTitle(q.title, a.name ?? '') &&
      isSameArtist(
        q.artistName,
        (a.artists ?? []).map((x) => x.name ?? ''),
      );
    const candidates = items(res?.albums?.items)
      .filter((a) => isAlbumId(a.id) && matches(a))
      .sort((a, b) => Number(a.album_type === 'compilation') - Number(b.album_type === 'compilation'));
    const tried = new Set<string>();
    for (const item of candidates) {
      if (tried.has(item.id!) || tried.size >= MAX_CANDIDATES) continue;
      tried.add(item.id!);
      const album = await this.album(token, item.id!, q.market);
      if (album && matches(album)) return album;
    }
    return null;
  }

  private async album(token: string, id: string, market: string | undefined): Promise<FullAlbum | null> {
    const album = (await this.api.getOrNull(token, `/albums/${encodeURIComponent(id)}`, { market })) as FullAlbum | null;
    return album && typeof album === 'object' && album.id === id ? album : null;
  }
}

/** The album's own track list must hold the track (when the list is complete enough to tell). */
function albumHoldsTrack(album: FullAlbum, trackId: string | undefined): boolean {
  const listed = items(album.tracks?.items);
  const complete = album.tracks?.total === undefined || listed.length >= album.tracks.total;
  if (!complete) return true;
  return listed.some((t) => t.id === trackId);
}

function toResolved(album: FullAlbum, matchedBy: ResolvedRelease['matchedBy']): ResolvedRelease {
  return {
    albumUri: album.uri ?? `spotify:album:${album.id}`,
    albumUrl: album.external_urls?.spotify ?? null,
    artistUris: (album.artists ?? []).map((a) => a.uri ?? `spotify:artist:${a.id}`).filter((u) => /^spotify:artist:[A-Za-z0-9]+$/.test(u)),
    title: album.name ?? '',
    matchedBy,
  };
}
