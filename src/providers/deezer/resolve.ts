import { isSameArtist, isSameTitle, isVariantTitle } from '../matching.js';
import type { ReleaseQuery, ResolvedRelease } from '../types.js';
import type { DeezerAlbum, DeezerClient, DeezerPage, DeezerTrack } from './client.js';
import { deezerUri, VARIOUS_ARTISTS_ID } from './uris.js';

/**
 * Finding the release on Deezer: by UPC (`/album/upc:<UPC>`), then by ISRC (`/track/isrc:<ISRC>`,
 * then its album), then by artist and exact title (`/search/album`). Every hit is verified: the
 * barcode or ISRC Deezer returns must be the one asked for, and a title match must be the same
 * artist and not a sped-up, live, karaoke… variant. Code 800 ("no data") means not (yet) there.
 */
export async function resolveOnDeezer(client: DeezerClient, token: string, q: ReleaseQuery): Promise<ResolvedRelease | null> {
  const album = (id: number | string) => client.call('GET', `/album/${id}`, {}, token, { noData: 'null' }) as Promise<DeezerAlbum | null>;

  if (q.upc) {
    for (const upc of upcForms(q.upc)) {
      const hit = (await client.call('GET', `/album/upc:${upc}`, {}, token, { noData: 'null' })) as DeezerAlbum | null;
      if (hit && typeof hit.id === 'number' && hit.upc && sameGtin(hit.upc, q.upc)) return toResolved(hit, 'upc');
    }
  }

  for (const isrc of q.isrcs) {
    const track = (await client.call('GET', `/track/isrc:${encodeURIComponent(isrc)}`, {}, token, {
      noData: 'null',
    })) as DeezerTrack | null;
    if (!track || track.isrc?.toUpperCase() !== isrc.toUpperCase() || typeof track.album?.id !== 'number') continue;
    const full = await album(track.album.id);
    if (full && typeof full.id === 'number') return toResolved(full, 'isrc');
  }

  if (q.artistName.trim() && q.title.trim()) {
    const query = `artist:"${unquote(q.artistName)}" album:"${unquote(q.title)}"`;
    const page = (await client.call('GET', '/search/album', { q: query, limit: '25' }, token)) as DeezerPage<DeezerAlbum> | null;
    for (const c of page?.data ?? []) {
      if (!isTitleMatch(q, c)) continue;
      const full = await album(c.id);
      // The album itself must still be the same release (its page, not just the search index).
      if (full && typeof full.id === 'number' && isTitleMatch(q, full)) return toResolved(full, 'title');
    }
  }
  return null;
}

function isTitleMatch(q: ReleaseQuery, a: DeezerAlbum): boolean {
  if (typeof a.title !== 'string' || !isSameTitle(q.title, a.title) || isVariantTitle(q.title, a.title)) return false;
  const names = [a.artist?.name, ...(a.contributors ?? []).filter((c) => c.role === 'Main').map((c) => c.name)];
  return isSameArtist(
    q.artistName,
    names.filter((n): n is string => typeof n === 'string'),
  );
}

function toResolved(album: DeezerAlbum, matchedBy: ResolvedRelease['matchedBy']): ResolvedRelease {
  const main = (album.contributors ?? []).filter((c) => c.role === 'Main' && typeof c.id === 'number');
  const artists = main.length ? main : album.artist && typeof album.artist.id === 'number' ? [album.artist] : [];
  const ids = [...new Set(artists.map((a) => a.id))].filter((id) => id !== VARIOUS_ARTISTS_ID);
  return {
    albumUri: deezerUri('album', album.id),
    albumUrl: typeof album.link === 'string' && /^https:\/\//.test(album.link) ? album.link : `https://www.deezer.com/album/${album.id}`,
    artistUris: ids.map((id) => deezerUri('artist', id)),
    title: album.title,
    matchedBy,
  };
}

/**
 * A barcode as a UPC-A (12 digits) and as the EAN-13 with a leading zero: labels deliver either
 * form and Deezer finds an album only by the form it was delivered with.
 */
export function upcForms(upc: string): string[] {
  const digits = upc.replace(/\D/g, '');
  if (digits.length === 12) return [digits, `0${digits}`];
  if (digits.length === 13 && digits.startsWith('0')) return [digits, digits.slice(1)];
  return [digits];
}

/** The same GTIN, whatever the number of leading zeros. */
export function sameGtin(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\D/g, '').replace(/^0+/, '');
  return norm(a) !== '' && norm(a) === norm(b);
}

/** Deezer's advanced search has no escape for quotes inside a quoted value. */
function unquote(s: string): string {
  return s.replace(/"/g, ' ').replace(/\s+/g, ' ').trim();
}
