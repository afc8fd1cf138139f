import { sql } from 'kysely';
import type { Db } from '../../../db/index.js';

/**
 * Reads the Sandbox catalog and shapes it like Spotify's album and track objects. Only releases
 * whose live_at has passed exist as far as the Web API is concerned.
 */
export interface LiveRelease {
  id: string;
  title: string;
  artistId: string;
  artistName: string;
  releaseType: string;
  upc: string | null;
  isrcs: string[];
  liveAt: number;
  /** `YYYY-MM-DD` as the campaign states it, when the release came from a campaign. */
  releaseDay: string | null;
}

function releases(db: Db, now: number) {
  return db
    .selectFrom('sandbox_releases as r')
    .innerJoin('sandbox_artists as a', 'a.id', 'r.artist_id')
    .leftJoin('campaigns as c', 'c.id', 'r.campaign_id')
    .select([
      'r.id',
      'r.title',
      'r.artist_id',
      'a.name as artist_name',
      'r.release_type',
      'r.upc',
      'r.isrcs',
      'r.live_at',
      'c.release_local',
    ])
    .where('r.live_at', '<=', now)
    .orderBy('r.live_at')
    .orderBy('r.id');
}

type Row = {
  id: string;
  title: string;
  artist_id: string;
  artist_name: string;
  release_type: string;
  upc: string | null;
  isrcs: string;
  live_at: number;
  release_local: string | null;
};

function toRelease(row: Row): LiveRelease {
  return {
    id: row.id,
    title: row.title,
    artistId: row.artist_id,
    artistName: row.artist_name,
    releaseType: row.release_type,
    upc: row.upc,
    isrcs: parseIsrcs(row.isrcs),
    liveAt: Number(row.live_at),
    releaseDay: row.release_local && /^\d{4}-\d{2}-\d{2}/.test(row.release_local) ? row.release_local.slice(0, 10) : null,
  };
}

export function parseIsrcs(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export async function liveAlbum(db: Db, id: string, now: number): Promise<LiveRelease | undefined> {
  const row = await releases(db, now).where('r.id', '=', id).executeTakeFirst();
  return row ? toRelease(row) : undefined;
}

export async function liveAlbumsByUpc(db: Db, upc: string, now: number): Promise<LiveRelease[]> {
  if (!/^\d{1,14}$/.test(upc)) return [];
  return (await releases(db, now).where('r.upc', '=', upc).execute()).map(toRelease);
}

/** Releases carrying the ISRC, each with the 1-based track number it has there. */
export async function liveTracksByIsrc(db: Db, isrc: string, now: number): Promise<{ release: LiveRelease; trackNumber: number }[]> {
  const wanted = isrc.toUpperCase();
  // The format check also keeps LIKE wildcards out of the pattern.
  if (!/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/.test(wanted)) return [];
  const rows = await releases(db, now)
    .where(sql<string>`upper(${sql.ref('r.isrcs')})`, 'like', `%"${wanted}"%`)
    .execute();
  const out: { release: LiveRelease; trackNumber: number }[] = [];
  for (const release of rows.map(toRelease)) {
    release.isrcs.forEach((code, i) => {
      if (code.toUpperCase() === wanted) out.push({ release, trackNumber: i + 1 });
    });
  }
  return out;
}

// Spotify reports EPs as singles.
const ALBUM_TYPES: Record<string, string> = { album: 'album', single: 'single', ep: 'single', compilation: 'compilation' };

export function artistItem(release: LiveRelease) {
  return { id: release.artistId, type: 'artist', uri: `sandbox:artist:${release.artistId}`, name: release.artistName };
}

export function albumItem(release: LiveRelease, baseUrl: string) {
  return {
    id: release.id,
    type: 'album',
    uri: `sandbox:album:${release.id}`,
    href: `${baseUrl}/v1/albums/${release.id}`,
    name: release.title,
    album_type: ALBUM_TYPES[release.releaseType] ?? 'album',
    total_tracks: release.isrcs.length,
    release_date: release.releaseDay ?? new Date(release.liveAt).toISOString().slice(0, 10),
    release_date_precision: 'day',
    artists: [artistItem(release)],
    images: [] as unknown[],
    external_urls: { sandbox: `${baseUrl}/album/${release.id}` },
  };
}

function trackName(release: LiveRelease, n: number): string {
  return release.isrcs.length <= 1 ? release.title : `${release.title} (track ${n})`;
}

function simplifiedTrack(release: LiveRelease, n: number) {
  const id = `${release.id}-${n}`;
  return {
    id,
    type: 'track',
    uri: `sandbox:track:${id}`,
    name: trackName(release, n),
    track_number: n,
    disc_number: 1,
    artists: [artistItem(release)],
  };
}

export function trackItem(release: LiveRelease, n: number, baseUrl: string) {
  return { ...simplifiedTrack(release, n), external_ids: { isrc: release.isrcs[n - 1] ?? '' }, album: albumItem(release, baseUrl) };
}

/** The full album object of GET /v1/albums/{id}. */
export function fullAlbum(release: LiveRelease, baseUrl: string) {
  const tracks = release.isrcs.map((_, i) => simplifiedTrack(release, i + 1));
  return {
    ...albumItem(release, baseUrl),
    external_ids: release.upc ? { upc: release.upc } : {},
    tracks: { items: tracks, limit: 50, offset: 0, total: tracks.length, next: null, previous: null },
  };
}
