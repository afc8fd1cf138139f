import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { albumItem, fullAlbum, liveAlbum, liveAlbumsByUpc, liveTracksByIsrc, trackItem } from './albums.js';
import { authenticate } from './auth.js';
import { apiError } from './errors.js';
import { faultHook } from './faults.js';
import { libraryRoutes } from './library.js';
import type { SandboxServerOptions } from './options.js';
import { field } from './params.js';

/** Reads an optional integer query parameter; NaN when present but not a whole number in range. */
function intParam(raw: string | undefined, def: number, min: number, max: number): number {
  if (raw === undefined) return def;
  if (!/^\d{1,6}$/.test(raw)) return NaN;
  const n = Number(raw);
  return n >= min && n <= max ? n : NaN;
}

/** The Web API, registered under /v1: Spotify's paths, shapes and error messages. */
export function apiRoutes(opts: SandboxServerOptions): FastifyPluginAsync {
  const { db } = opts;
  const base = opts.publicBaseUrl.replace(/\/$/, '');
  return async (app) => {
    // Parameters travel in the query; like Spotify, ignore any body instead of failing to parse it.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, undefined));
    app.setErrorHandler((err: FastifyError, request, reply) => {
      const status = err.statusCode ?? 500;
      if (status >= 400 && status < 500) return apiError(reply, status, err.message);
      request.log.error({ err }, 'sandbox web api failed');
      return apiError(reply, 500, 'Server error');
    });
    app.setNotFoundHandler((_request, reply) => apiError(reply, 404, 'Service not found'));

    app.get('/me', { onRequest: faultHook(db, 'me') }, async (request, reply) => {
      const user = await authenticate(db, opts.now(), request, reply);
      if (!user) return reply;
      return {
        id: user.username,
        account_id: user.username,
        display_name: user.username,
        type: 'user',
        uri: `sandbox:user:${user.username}`,
      };
    });

    app.get('/search', { onRequest: faultHook(db, 'search') }, async (request, reply) => {
      const now = opts.now();
      const user = await authenticate(db, now, request, reply);
      if (!user) return reply;
      const q = field(request.query, 'q');
      const type = field(request.query, 'type');
      if (!q) return apiError(reply, 400, 'No search query');
      if (!type) return apiError(reply, 400, 'Missing parameter type');
      const limit = intParam(field(request.query, 'limit'), 5, 1, 10);
      if (Number.isNaN(limit)) return apiError(reply, 400, 'Invalid limit');
      const offset = intParam(field(request.query, 'offset'), 0, 0, 1000);
      if (Number.isNaN(offset)) return apiError(reply, 400, 'Invalid offset');
      const match = /^\s*(upc|isrc):\s*(\S+)\s*$/i.exec(q);
      const key = match?.[1]?.toLowerCase();
      const value = match?.[2] ?? '';
      const page = <T>(items: T[]) => ({
        href: `${base}/v1/search?${new URLSearchParams({ q, type, offset: String(offset), limit: String(limit) })}`,
        items: items.slice(offset, offset + limit),
        limit,
        offset,
        total: items.length,
        next: null,
        previous: null,
      });
      if (type === 'album' && key === 'upc') {
        const found = await liveAlbumsByUpc(db, value, now);
        return { albums: page(found.map((r) => albumItem(r, base))) };
      }
      if (type === 'track' && key === 'isrc') {
        const found = await liveTracksByIsrc(db, value, now);
        return { tracks: page(found.map(({ release, trackNumber }) => trackItem(release, trackNumber, base))) };
      }
      return apiError(reply, 400, 'Unsupported search: the Sandbox answers q=upc:<UPC>&type=album and q=isrc:<ISRC>&type=track');
    });

    app.get('/albums/:id', { onRequest: faultHook(db, 'search') }, async (request, reply) => {
      const now = opts.now();
      const user = await authenticate(db, now, request, reply);
      if (!user) return reply;
      const id = field(request.params, 'id') ?? '';
      const release = await liveAlbum(db, id, now);
      if (!release) return apiError(reply, 404, 'Non existing id');
      return fullAlbum(release, base);
    });

    // The catalog, without a token: what a service's client-credentials look-up answers. Dropday
    // checks the ids an artist enters with these (the release need not be out yet).
    app.get('/catalog/artists/:id', { onRequest: faultHook(db, 'search') }, async (request, reply) => {
      const id = field(request.params, 'id') ?? '';
      const artist = await db.selectFrom('sandbox_artists').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
      if (!artist) return apiError(reply, 404, 'Non existing id');
      return { id: artist.id, name: artist.name, type: 'artist', uri: `sandbox:artist:${artist.id}` };
    });
    app.get('/catalog/albums/:id', { onRequest: faultHook(db, 'search') }, async (request, reply) => {
      const id = field(request.params, 'id') ?? '';
      const album = await db.selectFrom('sandbox_releases').select(['id', 'title']).where('id', '=', id).executeTakeFirst();
      if (!album) return apiError(reply, 404, 'Non existing id');
      return { id: album.id, name: album.title, type: 'album', uri: `sandbox:album:${album.id}` };
    });

    await app.register(libraryRoutes(opts));
  };
}
