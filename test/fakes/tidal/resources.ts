import type { FastifyReply } from 'fastify';
import type { FakeAlbum, FakeArtist, FakeTidalState, FakeTrack } from './state.js';

/**
 * JSON:API resource objects shaped exactly as tidal-api.openapi.json describes them
 * (Albums_Resource_Object, Tracks_Resource_Object, Artists_Resource_Object, relationship
 * documents with `links.self`, error documents with string `status`).
 */
export const JSON_API = 'application/vnd.api+json';

export interface Resource {
  id: string;
  type: string;
  attributes?: Record<string, unknown>;
  relationships?: Record<string, { data: { id: string; type: string }[]; links: { self: string } }>;
}

export function albumResource(album: FakeAlbum, relationships: string[] = []): Resource {
  const r: Resource = {
    id: album.id,
    type: 'albums',
    attributes: {
      title: album.title,
      ...(album.version ? { version: album.version } : {}),
      barcodeId: album.barcodeId,
      albumType: album.albumType,
      duration: `PT${3 * album.trackIds.length}M`,
      explicit: false,
      mediaTags: ['LOSSLESS'],
      numberOfItems: album.trackIds.length,
      numberOfVolumes: 1,
      popularity: 0.5,
      releaseDate: album.releaseDate,
      accessType: 'PUBLIC',
      externalLinks: [{ href: `https://tidal.com/browse/album/${album.id}`, meta: { type: 'TIDAL_SHARING' } }],
    },
  };
  for (const rel of relationships) {
    const data =
      rel === 'artists'
        ? album.artistIds.map((id) => ({ id, type: 'artists' }))
        : rel === 'items'
          ? album.trackIds.map((id) => ({ id, type: 'tracks' }))
          : [];
    (r.relationships ??= {})[rel] = { data, links: { self: `/albums/${album.id}/relationships/${rel}` } };
  }
  return r;
}

export function trackResource(track: FakeTrack, relationships: string[] = []): Resource {
  const r: Resource = {
    id: track.id,
    type: 'tracks',
    attributes: {
      title: track.title,
      ...(track.version ? { version: track.version } : {}),
      isrc: track.isrc,
      duration: 'PT3M5S',
      explicit: false,
      key: 'UNKNOWN',
      keyScale: 'UNKNOWN',
      mediaTags: ['LOSSLESS'],
      popularity: 0.5,
      accessType: 'PUBLIC',
    },
  };
  for (const rel of relationships) {
    const data =
      rel === 'albums'
        ? track.albumIds.map((id) => ({ id, type: 'albums' }))
        : rel === 'artists'
          ? track.artistIds.map((id) => ({ id, type: 'artists' }))
          : [];
    (r.relationships ??= {})[rel] = { data, links: { self: `/tracks/${track.id}/relationships/${rel}` } };
  }
  return r;
}

export function artistResource(artist: FakeArtist): Resource {
  return { id: artist.id, type: 'artists', attributes: { name: artist.name, popularity: 0.5 } };
}

/**
 * Builds `included` for include paths such as `artists`, `albums`, `albums.artists`, starting from
 * primary resources. Intermediate resources of a nested path are included too, as TIDAL does.
 */
export class Includer {
  private readonly seen = new Set<string>();
  readonly included: Resource[] = [];

  constructor(
    private readonly state: FakeTidalState,
    primary: Resource[],
  ) {
    for (const r of primary) this.seen.add(`${r.type}:${r.id}`);
  }

  /** Relationship names of `type` that the include paths ask for (to fill `relationships`). */
  static relationshipsFor(paths: string[], depth: number): string[] {
    return [...new Set(paths.map((p) => p.split('.')[depth]).filter((x): x is string => !!x))];
  }

  add(from: Resource, paths: string[]): void {
    for (const rel of Includer.relationshipsFor(paths, 0)) {
      const rest = paths.filter((p) => p.startsWith(`${rel}.`)).map((p) => p.slice(rel.length + 1));
      for (const ref of from.relationships?.[rel]?.data ?? []) {
        const target = this.resolve(ref.type, ref.id, Includer.relationshipsFor(rest, 0));
        if (!target) continue;
        const key = `${target.type}:${target.id}`;
        if (!this.seen.has(key)) {
          this.seen.add(key);
          this.included.push(target);
        }
        if (rest.length) this.add(target, rest);
      }
    }
  }

  private resolve(type: string, id: string, relationships: string[]): Resource | undefined {
    if (type === 'albums') {
      const a = this.state.albums.get(id);
      return a && this.state.isLive(a) ? albumResource(a, relationships) : undefined;
    }
    if (type === 'tracks') {
      const t = this.state.tracks.get(id);
      return t && this.state.isLive(t) ? trackResource(t, relationships) : undefined;
    }
    if (type === 'artists') {
      const a = this.state.artists.get(id);
      return a ? artistResource(a) : undefined;
    }
    return undefined;
  }
}

export interface ErrorSpec {
  detail: string;
  code?: string;
  parameter?: string;
  pointer?: string;
}

/** A JSON:API error document: `{"errors":[{"status":"400","code":"…","detail":"…"}]}`. */
export function sendErrors(reply: FastifyReply, status: number, error: ErrorSpec, headers: Record<string, string> = {}): FastifyReply {
  const source = error.parameter ? { parameter: error.parameter } : error.pointer ? { pointer: error.pointer } : undefined;
  reply.code(status).header('content-type', JSON_API);
  for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  return reply.send({
    errors: [
      {
        id: `fake-${Date.now().toString(36)}`,
        status: String(status),
        ...(error.code ? { code: error.code } : {}),
        detail: error.detail,
        ...(source ? { source } : {}),
      },
    ],
  });
}

export function sendDoc(reply: FastifyReply, doc: unknown): FastifyReply {
  return reply.code(200).header('content-type', JSON_API).send(doc);
}
