import { normalizeIsrc } from '../../campaigns/identifiers.js';
import { isSameArtist, isSameTitle, isVariantTitle } from '../matching.js';
import { ProviderError, type ReleaseQuery, type ResolvedRelease } from '../types.js';
import type { TidalClient } from './client.js';
import { includedIndex, primary, related, str, type Document, type ResourceObject } from './jsonapi.js';

/** A title match whose barcode differs from the campaign's is accepted only if released this close to now. */
const RECENT_RELEASE_MS = 14 * 86_400_000;

/**
 * Finds a live release on TIDAL: by barcode (`GET /albums?filter[barcodeId]=`), then by ISRC
 * (`GET /tracks?filter[isrc]=`), then by artist and exact title (`GET /searchResults`). Every
 * candidate is verified against what was asked (barcode, ISRC, or title and artist without a
 * sped-up/live/karaoke… variant), because a look-alike must never be saved into a fan's collection.
 */
export async function resolveOnTidal(
  client: TidalClient,
  accessToken: string,
  q: ReleaseQuery,
  countryCode: string,
  now: number,
): Promise<ResolvedRelease | null> {
  const country: [string, string] = ['countryCode', countryCode];

  if (q.upc) {
    const barcodes = barcodeForms(q.upc);
    const doc = await client.get(
      '/albums',
      [country, ...barcodes.map((b): [string, string] => ['filter[barcodeId]', b]), ['include', 'artists']],
      accessToken,
    );
    const index = includedIndex(doc);
    const album = primary(doc).find((a) => a.type === 'albums' && sameGtin(str(a.attributes, 'barcodeId'), q.upc!));
    if (album) return toResolved(album, index, 'upc');
  }

  for (const raw of q.isrcs) {
    const isrc = normalizeIsrc(raw);
    const doc = await client.get('/tracks', [country, ['filter[isrc]', isrc], ['include', 'albums.artists']], accessToken);
    const index = includedIndex(doc);
    const albums: ResourceObject[] = [];
    for (const track of primary(doc)) {
      const trackIsrc = str(track.attributes, 'isrc');
      if (track.type !== 'tracks' || !trackIsrc || normalizeIsrc(trackIsrc) !== isrc) continue;
      for (const ref of related(track, 'albums')) {
        const album = index.get(`albums:${ref.id}`);
        if (album && !albums.some((a) => a.id === album.id)) albums.push(album);
      }
    }
    // The recording is the right one; its album must be the artist's own release, not a
    // compilation or a variant: the one with the campaign's title first, else the artist's own.
    const own = albums.filter((a) => !isVariantTitle(q.title, fullTitle(a)) && isSameArtist(q.artistName, artistNames(a, index)));
    const best = own.find((a) => isSameTitle(q.title, fullTitle(a))) ?? own[0];
    if (best) return toResolved(best, index, 'isrc');
  }

  let doc: Document;
  try {
    const query = `${q.artistName} ${q.title}`.slice(0, 256);
    doc = await client.get('/searchResults', [country, ['filter[query]', query], ['include', 'albums.artists']], accessToken);
  } catch (err) {
    // Search is only the last resort: if this app may not search, the release is simply not found by title.
    if (err instanceof ProviderError && err.details.status === 403) return null;
    throw err;
  }
  const index = includedIndex(doc);
  for (const result of primary(doc)) {
    for (const ref of related(result, 'albums')) {
      const album = index.get(`albums:${ref.id}`);
      if (!album) continue;
      const title = fullTitle(album);
      if (!isSameTitle(q.title, title) || isVariantTitle(q.title, title)) continue;
      if (!isSameArtist(q.artistName, artistNames(album, index))) continue;
      if (q.upc && !sameGtin(str(album.attributes, 'barcodeId'), q.upc) && !recentlyReleased(album, now)) continue;
      return toResolved(album, index, 'title');
    }
  }
  return null;
}

/** A barcode as TIDAL may hold it: UPC-A (12 digits) is also sent as its EAN-13 form with a leading 0. */
function barcodeForms(upc: string): string[] {
  return upc.length === 12 ? [upc, `0${upc}`] : upc.length === 13 && upc.startsWith('0') ? [upc, upc.slice(1)] : [upc];
}

/** Same GTIN: UPC-A 036000291452 and EAN-13 0036000291452 are one barcode. */
export function sameGtin(a: string | undefined, b: string): boolean {
  if (!a || !/^\d{8,14}$/.test(a) || !/^\d{8,14}$/.test(b)) return false;
  return a.padStart(14, '0') === b.padStart(14, '0');
}

/** TIDAL keeps "Remix", "Live"… in `version`; the variant check needs title and version together. */
function fullTitle(album: ResourceObject): string {
  const title = str(album.attributes, 'title') ?? '';
  const version = str(album.attributes, 'version');
  return version ? `${title} (${version})` : title;
}

function artistNames(album: ResourceObject, index: Map<string, ResourceObject>): string[] {
  return related(album, 'artists')
    .map((ref) => str(index.get(`artists:${ref.id}`)?.attributes, 'name'))
    .filter((n): n is string => !!n);
}

function recentlyReleased(album: ResourceObject, now: number): boolean {
  const date = Date.parse(str(album.attributes, 'releaseDate') ?? '');
  return Number.isFinite(date) && Math.abs(now - date) <= RECENT_RELEASE_MS;
}

function toResolved(album: ResourceObject, index: Map<string, ResourceObject>, matchedBy: ResolvedRelease['matchedBy']): ResolvedRelease {
  const links = album.attributes?.externalLinks;
  const sharing = Array.isArray(links)
    ? (links as { href?: unknown; meta?: { type?: unknown } }[]).find(
        (l) => l?.meta?.type === 'TIDAL_SHARING' && typeof l.href === 'string',
      )
    : undefined;
  const artistIds = related(album, 'artists')
    .filter((r) => r.type === 'artists' || index.has(`artists:${r.id}`))
    .map((r) => `tidal:artist:${r.id}`);
  return {
    albumUri: `tidal:album:${album.id}`,
    albumUrl:
      typeof sharing?.href === 'string' && /^https:\/\//.test(sharing.href)
        ? sharing.href
        : `https://tidal.com/album/${encodeURIComponent(album.id)}`,
    artistUris: [...new Set(artistIds)],
    title: str(album.attributes, 'title') ?? '',
    matchedBy,
  };
}
