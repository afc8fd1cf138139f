import { isServiceId } from '../providers/services.js';

/**
 * Reads the release an artist points at, as a URI or a store URL, for a manual match. Only the
 * service's own URL shapes are accepted, so an override can never send fans elsewhere.
 */
export interface ParsedRelease {
  albumUri: string;
  albumUrl: string | null;
}

const PATTERNS: Record<string, { uri: RegExp; url: RegExp; toUrl: (id: string) => string | null }> = {
  spotify: {
    uri: /^spotify:album:([A-Za-z0-9]{22})$/,
    url: /^https:\/\/open\.spotify\.com\/(?:intl-[a-z-]+\/)?album\/([A-Za-z0-9]{22})(?:[/?#].*)?$/,
    toUrl: (id) => `https://open.spotify.com/album/${id}`,
  },
  'apple-music': {
    uri: /^apple-music:album:(\d{1,20})$/,
    url: /^https:\/\/music\.apple\.com\/[a-z]{2}\/album\/(?:[^/?#]+\/)?(\d{1,20})(?:[/?#].*)?$/,
    toUrl: () => null,
  },
  tidal: {
    uri: /^tidal:album:(\d{1,20})$/,
    url: /^https:\/\/(?:listen\.)?tidal\.com\/(?:browse\/)?album\/(\d{1,20})(?:[/?#].*)?$/,
    toUrl: (id) => `https://tidal.com/album/${id}`,
  },
  deezer: {
    uri: /^deezer:album:(\d{1,20})$/,
    url: /^https:\/\/(?:www\.)?deezer\.com\/(?:[a-z]{2}\/)?album\/(\d{1,20})(?:[/?#].*)?$/,
    toUrl: (id) => `https://www.deezer.com/album/${id}`,
  },
  sandbox: {
    uri: /^sandbox:album:([A-Za-z0-9]{22})$/,
    url: /^https?:\/\/[^/]+(?:\/[^?#]*)?\/sandbox\/album\/([A-Za-z0-9]{22})$/,
    toUrl: () => null,
  },
};

export function parseReleaseReference(service: string, ref: string): ParsedRelease | null {
  if (!isServiceId(service)) return null;
  const p = PATTERNS[service]!;
  const text = ref.trim();
  const byUri = p.uri.exec(text);
  if (byUri) return { albumUri: text, albumUrl: p.toUrl(byUri[1]!) };
  const byUrl = p.url.exec(text);
  if (byUrl) return { albumUri: `${service}:album:${byUrl[1]}`, albumUrl: p.toUrl(byUrl[1]!) ?? text };
  return null;
}
