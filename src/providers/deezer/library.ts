import { ProviderError } from '../types.js';
import type { DeezerClient, DeezerPage } from './client.js';
import { parseDeezerUri, type DeezerUriKind } from './uris.js';

/**
 * The fan's Deezer favourites: saving an album (`POST /user/me/albums?album_id=`) or following an
 * artist (`POST /user/me/artists?artist_id=`), and checking they are there. Deezer has no
 * "contains" call, so verification reads the fan's favourites list.
 */
const PAGE_SIZE = 100;
/** At most this many pages per list (10,000 items): beyond it, a save counts as not verified. */
const MAX_PAGES = 100;

const COLLECTION: Record<DeezerUriKind, { path: string; param: string }> = {
  album: { path: '/user/me/albums', param: 'album_id' },
  artist: { path: '/user/me/artists', param: 'artist_id' },
};

function parseAll(uris: string[]) {
  return uris.map((uri) => {
    const parsed = parseDeezerUri(uri);
    if (!parsed) throw new ProviderError('bad_config', `"${uri.slice(0, 60)}" is not a Deezer album or artist`);
    return parsed;
  });
}

export async function saveOnDeezer(client: DeezerClient, token: string, uris: string[]): Promise<void> {
  for (const { kind, id } of parseAll(uris)) {
    const { path, param } = COLLECTION[kind];
    const answer = await client.call('POST', path, { [param]: id }, token);
    // Deezer answers `true`. It may answer `false` when the item is already a favourite; either way
    // the verification that follows is what decides, so `false` is not treated as an error here.
    if (answer !== true && answer !== false) {
      throw new ProviderError('transient', `Deezer POST ${path} answered neither true nor false`);
    }
  }
}

export async function containsOnDeezer(client: DeezerClient, token: string, uris: string[]): Promise<boolean[]> {
  const parsed = parseAll(uris);
  const found: Record<DeezerUriKind, Set<string>> = { album: new Set(), artist: new Set() };
  for (const kind of ['album', 'artist'] as const) {
    const wanted = new Set(parsed.filter((p) => p.kind === kind).map((p) => p.id));
    if (wanted.size) found[kind] = await findInFavourites(client, token, COLLECTION[kind].path, wanted);
  }
  return parsed.map((p) => found[p.kind].has(p.id));
}

/**
 * Reads a favourites list until every wanted id is seen. Deezer lists favourites oldest first,
 * so after the first page (which tells the total) the rest is read from the end backwards: what
 * was just saved is on the last page, and a fan with thousands of favourites costs two requests,
 * not dozens, against the ~50-per-5-seconds quota. Without a total, `next` links are followed.
 */
async function findInFavourites(client: DeezerClient, token: string, path: string, wanted: Set<string>): Promise<Set<string>> {
  const found = new Set<string>();
  const take = (page: unknown): DeezerPage<{ id?: unknown }> => {
    if (!page || typeof page !== 'object' || !Array.isArray((page as DeezerPage<unknown>).data)) {
      throw new ProviderError('transient', `Deezer GET ${path} answered without a data list`);
    }
    const p = page as DeezerPage<{ id?: unknown }>;
    for (const item of p.data ?? []) {
      const id = item && (typeof item.id === 'number' || typeof item.id === 'string') ? String(item.id) : null;
      if (id && wanted.has(id)) found.add(id);
    }
    return p;
  };
  const done = () => found.size === wanted.size;

  const first = take(await client.call('GET', path, { index: '0', limit: String(PAGE_SIZE) }, token));
  if (done() || !first.next) return found;

  let pages = 1;
  // A first page with a `next` link is full: its length is the page size Deezer really grants.
  const size = first.data?.length ?? 0;
  if (size > 0 && typeof first.total === 'number' && Number.isSafeInteger(first.total) && first.total > size) {
    let end = first.total;
    while (end > size && pages < MAX_PAGES && !done()) {
      const start = Math.max(size, end - size);
      take(await client.call('GET', path, { index: String(start), limit: String(end - start) }, token));
      end = start;
      pages++;
    }
    return found;
  }

  let next: string | undefined = first.next;
  while (next && pages < MAX_PAGES && !done()) {
    const page = take(await client.follow(next, path, token));
    next = page.next;
    pages++;
  }
  return found;
}
