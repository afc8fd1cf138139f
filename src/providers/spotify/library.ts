import { ProviderError } from '../types.js';
import type { SpotifyWebApi } from './web-api.js';

/** PUT /me/library and GET /me/library/contains take at most 40 URIs per call. */
export const LIBRARY_BATCH = 40;
/** The legacy PUT /me/following and its contains take at most 50 ids per call. */
export const FOLLOWING_BATCH = 50;

const ARTIST_URI = /^spotify:artist:([A-Za-z0-9]+)$/;

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const isArtist = (uri: string) => ARTIST_URI.test(uri);
const artistId = (uri: string) => ARTIST_URI.exec(uri)![1]!;

/** A 400/403 from the library endpoint that legacy following may get round. */
function refusedByLibrary(err: unknown): boolean {
  return err instanceof ProviderError && (err.details.status === 400 || err.details.status === 403);
}

/**
 * Saving to the fan's library. Albums (and, reportedly, artists: following) go through the one
 * library endpoint, URIs in the query. Legacy PUT /me/albums is never used: it answers 403 to
 * Development Mode apps. For Extended Quota apps that opt in, artists the library endpoint
 * refuses are followed through the legacy PUT /me/following instead.
 */
export class SpotifyLibrary {
  constructor(
    private readonly api: SpotifyWebApi,
    private readonly legacyFollowFallback: boolean,
  ) {}

  async save(token: string, uris: string[]): Promise<void> {
    for (const batch of chunks(uris, LIBRARY_BATCH)) {
      try {
        await this.api.put(token, '/me/library', { uris: batch.join(',') });
      } catch (err) {
        if (!this.legacyFollowFallback || !batch.some(isArtist) || !refusedByLibrary(err)) throw err;
        const others = batch.filter((u) => !isArtist(u));
        if (others.length) await this.api.put(token, '/me/library', { uris: others.join(',') });
        await this.follow(token, batch.filter(isArtist).map(artistId));
      }
    }
  }

  async contains(token: string, uris: string[]): Promise<boolean[]> {
    const out: boolean[] = [];
    for (const batch of chunks(uris, LIBRARY_BATCH)) {
      let answer: boolean[];
      try {
        answer = await this.libraryContains(token, batch);
      } catch (err) {
        if (!this.legacyFollowFallback || !batch.some(isArtist) || !refusedByLibrary(err)) throw err;
        const others = batch.filter((u) => !isArtist(u));
        const known = new Map<string, boolean>();
        if (others.length) (await this.libraryContains(token, others)).forEach((v, i) => known.set(others[i]!, v));
        answer = batch.map((u) => known.get(u) ?? false);
      }
      if (this.legacyFollowFallback) {
        const unconfirmed = batch.filter((u, i) => isArtist(u) && !answer[i]);
        if (unconfirmed.length) {
          const followed = await this.following(token, unconfirmed.map(artistId));
          answer = answer.map((v, i) => v || (isArtist(batch[i]!) && followed.has(artistId(batch[i]!))));
        }
      }
      out.push(...answer);
    }
    return out;
  }

  private async libraryContains(token: string, uris: string[]): Promise<boolean[]> {
    const res = await this.api.get(token, '/me/library/contains', { uris: uris.join(',') });
    return booleans(res, uris.length, '/me/library/contains');
  }

  private async follow(token: string, ids: string[]): Promise<void> {
    for (const batch of chunks(ids, FOLLOWING_BATCH)) await this.api.put(token, '/me/following', { type: 'artist', ids: batch.join(',') });
  }

  private async following(token: string, ids: string[]): Promise<Set<string>> {
    const followed = new Set<string>();
    for (const batch of chunks(ids, FOLLOWING_BATCH)) {
      const res = await this.api.get(token, '/me/following/contains', { type: 'artist', ids: batch.join(',') });
      booleans(res, batch.length, '/me/following/contains').forEach((v, i) => v && followed.add(batch[i]!));
    }
    return followed;
  }
}

function booleans(res: unknown, length: number, what: string): boolean[] {
  if (!Array.isArray(res) || res.length !== length || !res.every((v) => typeof v === 'boolean')) {
    throw new ProviderError('transient', `Spotify ${what} answered with an unexpected body`);
  }
  return res as boolean[];
}
