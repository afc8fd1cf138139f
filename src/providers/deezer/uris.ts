/**
 * Dropday's names for Deezer objects: `deezer:album:<id>` and `deezer:artist:<id>`. Deezer ids are
 * positive integers; anything else is not a Deezer URI.
 */
export type DeezerUriKind = 'album' | 'artist';

export function deezerUri(kind: DeezerUriKind, id: number | string): string {
  return `deezer:${kind}:${id}`;
}

export function parseDeezerUri(uri: string): { kind: DeezerUriKind; id: string } | null {
  const m = /^deezer:(album|artist):([1-9]\d{0,19})$/.exec(uri);
  return m ? { kind: m[1] as DeezerUriKind, id: m[2]! } : null;
}

/** Deezer's "Various Artists" pseudo-artist: never followed on a fan's behalf. */
export const VARIOUS_ARTISTS_ID = 5080;
