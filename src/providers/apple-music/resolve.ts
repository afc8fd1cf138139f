import { isSameArtist, isSameTitle, isVariantTitle } from '../matching.js';
import type { ReleaseQuery, ResolvedRelease } from '../types.js';
import type { AppleMusicClient } from './client.js';

/**
 * Finding a release in one Apple Music storefront: by UPC, then by ISRC (the song's album), then
 * by artist and exact title. Every candidate is checked: the identifier Apple returns must equal
 * the one asked for, and a title match must be the same artist, not a variant (sped up, live…),
 * released in the last 90 days, and must not carry a barcode other than the campaign's.
 * An album without `playParams` is listed but not playable yet (a pre-order): not live, so not found.
 */
export interface AppleAlbum {
  id: string;
  type?: string;
  attributes?: {
    name?: string;
    artistName?: string;
    upc?: string;
    url?: string;
    releaseDate?: string;
    isCompilation?: boolean;
    isSingle?: boolean;
    playParams?: { id?: string; kind?: string };
  };
  relationships?: { artists?: { data?: { id: string }[] } };
}

interface AppleSong {
  id: string;
  attributes?: { name?: string; isrc?: string };
  relationships?: { albums?: { data?: { id: string }[] } };
}

/** A title match must be this recent, so an old release that shares the name is never saved instead. */
export const TITLE_MATCH_MAX_AGE_DAYS = 90;

export async function findRelease(client: AppleMusicClient, sf: string, q: ReleaseQuery, now: number): Promise<ResolvedRelease | null> {
  const catalog = `/v1/catalog/${sf}`;
  const upc = q.upc ? q.upc.replace(/\D/g, '') : '';
  if (upc) {
    const res = (await client.json('GET', `${catalog}/albums?filter[upc]=${encodeURIComponent(upc)}`)) as { data?: AppleAlbum[] } | null;
    const album = (res?.data ?? []).find((a) => sameUpc(a.attributes?.upc, upc) && isLive(a));
    if (album) return toResolved(album, 'upc');
  }

  for (const isrc of q.isrcs.map(normIsrc)) {
    const res = (await client.json('GET', `${catalog}/songs?filter[isrc]=${encodeURIComponent(isrc)}`)) as { data?: AppleSong[] } | null;
    const songs = (res?.data ?? []).filter((s) => sameIsrc(s.attributes?.isrc, isrc));
    const albumIds = [...new Set(songs.flatMap((s) => s.relationships?.albums?.data?.map((a) => a.id) ?? []))].slice(0, 25);
    if (!albumIds.length) continue;
    const albums = (await client.json('GET', `${catalog}/albums?ids=${albumIds.map(encodeURIComponent).join(',')}`)) as {
      data?: AppleAlbum[];
    } | null;
    const live = (albums?.data ?? []).filter(isLive);
    // The same recording can sit on the single, the album and compilations: prefer the release
    // the campaign names, then anything that is not a compilation.
    const album =
      live.find((a) => isSameTitle(q.title, a.attributes?.name ?? '') && !isVariantTitle(q.title, a.attributes?.name ?? '')) ??
      live.find((a) => !a.attributes?.isCompilation);
    if (album) return toResolved(album, 'isrc');
  }

  const term = `${q.artistName} ${q.title}`.trim().slice(0, 200);
  if (!term) return null;
  const res = (await client.json('GET', `${catalog}/search?${new URLSearchParams({ term, types: 'albums', limit: '25' })}`)) as {
    results?: { albums?: { data?: AppleAlbum[] } };
  } | null;
  const oldest = now - TITLE_MATCH_MAX_AGE_DAYS * 86_400_000;
  const album = (res?.results?.albums?.data ?? []).find((a) => {
    const name = a.attributes?.name ?? '';
    const released = a.attributes?.releaseDate ? Date.parse(a.attributes.releaseDate) : NaN;
    return (
      isLive(a) &&
      isSameTitle(q.title, name) &&
      !isVariantTitle(q.title, name) &&
      isSameArtist(q.artistName, splitArtists(a.attributes?.artistName ?? '')) &&
      !(released < oldest) &&
      // A barcode that differs from the campaign's is another product (another edition, a namesake).
      !(upc && a.attributes?.upc && !sameUpc(a.attributes.upc, upc))
    );
  });
  return album ? toResolved(album, 'title') : null;
}

function isLive(a: AppleAlbum): boolean {
  return Boolean(a.attributes?.playParams);
}

/** UPC-A (12 digits) and EAN-13 (13) name the same barcode with or without a leading zero. */
export function sameUpc(found: string | undefined, wanted: string): boolean {
  if (!found) return false;
  const norm = (s: string) => s.replace(/\D/g, '').replace(/^0+/, '');
  return norm(found) !== '' && norm(found) === norm(wanted);
}

export function sameIsrc(found: string | undefined, wanted: string): boolean {
  return found !== undefined && normIsrc(found) === normIsrc(wanted);
}

function normIsrc(s: string): string {
  return s.replace(/[\s-]/g, '').toUpperCase();
}

/** "A & B", "A, B & C", "A feat. B": each name counts as the album's artist. */
function splitArtists(name: string): string[] {
  return [name, ...name.split(/\s*(?:,|&|\band\b|\bfeat\.?|\bft\.?|\bx\b)\s*/i).filter(Boolean)];
}

function toResolved(a: AppleAlbum, matchedBy: ResolvedRelease['matchedBy']): ResolvedRelease {
  return {
    albumUri: `apple-music:album:${a.id}`,
    albumUrl: a.attributes?.url ?? null,
    artistUris: (a.relationships?.artists?.data ?? []).map((r) => `apple-music:artist:${r.id}`),
    title: a.attributes?.name ?? '',
    matchedBy,
  };
}
