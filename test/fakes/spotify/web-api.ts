import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CatalogJson, ID_RE } from './catalog.js';
import type { Grant, SpotifyFakeState } from './state.js';

/**
 * The Web API under /v1, with Spotify's error shape `{"error":{"status","message"}}`. Every
 * request needs a live bearer token; a Development Mode app's allow-list is enforced here.
 */
export function apiError(reply: FastifyReply, status: number, message: string, extra: Record<string, unknown> = {}) {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send({ error: { status, message, ...extra } });
}

const URI_RE = /^spotify:(track|album|artist|episode|show|audiobook|user|playlist):([A-Za-z0-9]{22}|[A-Za-z0-9._-]{1,64})$/;
const LIBRARY_MAX = 40;
const FOLLOW_MAX = 50;
const SEARCH_TYPES = new Set(['album', 'artist', 'playlist', 'track', 'show', 'episode', 'audiobook']);

declare module 'fastify' {
  interface FastifyRequest {
    spotifyGrant?: Grant;
  }
}

function one(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function hasScope(g: Grant, scope: string): boolean {
  return g.scopes.includes(scope);
}

export function webApiRoutes(app: FastifyInstance, state: SpotifyFakeState, apiUrlOf: () => string): void {
  const json = new CatalogJson(apiUrlOf);

  /** Bearer token check, then the allow-list; runs after faults and before every /v1 handler. */
  const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
    const m = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
    if (!m) return apiError(reply, 401, 'No token provided');
    // An app token (client credentials) reads the catalog, by id or by search, as Spotify allows; nothing else.
    const app = state.appTokens.get(m[1]!);
    if (app) {
      if (app.expiresAt <= state.now()) return apiError(reply, 401, 'The access token expired');
      if (!/^\/v1\/((artists|albums)\/[^/]+|search)$/.test(request.url.split('?')[0]!)) return apiError(reply, 401, 'Invalid access token');
      request.spotifyGrant = { id: '', clientId: app.clientId, username: '', scopes: [], authorizedAt: 0, revoked: false };
      return undefined;
    }
    const at = state.accessTokens.get(m[1]!);
    const grant = at ? state.grants.get(at.grantId) : undefined;
    if (!at || !grant || grant.revoked) return apiError(reply, 401, 'Invalid access token');
    if (at.expiresAt <= state.now()) return apiError(reply, 401, 'The access token expired');
    const client = state.clients.get(grant.clientId);
    if (client?.allowList && !client.allowList.has(grant.username)) {
      return apiError(reply, 403, 'User not registered in the Developer Dashboard');
    }
    request.spotifyGrant = grant;
    return undefined;
  };

  const marketOf = (q: Record<string, unknown>, reply: FastifyReply, g: Grant): string | undefined | false => {
    const market = one(q.market);
    if (market === undefined) return undefined;
    if (market === 'from_token') return state.user(g.username).country;
    if (!/^[A-Z]{2}$/.test(market)) {
      apiError(reply, 400, 'Invalid market code');
      return false;
    }
    return market;
  };

  const uriList = (raw: string | undefined, reply: FastifyReply): { kind: string; id: string; uri: string }[] | null => {
    if (!raw) {
      apiError(reply, 400, 'Missing required parameter: uris');
      return null;
    }
    const uris = raw.split(',');
    if (uris.length > LIBRARY_MAX) {
      apiError(reply, 400, `Too many URIs requested: at most ${LIBRARY_MAX}`);
      return null;
    }
    const out: { kind: string; id: string; uri: string }[] = [];
    for (const uri of uris) {
      const m = URI_RE.exec(uri);
      if (!m) {
        apiError(reply, 400, `Invalid URI: ${uri.slice(0, 80)}`);
        return null;
      }
      out.push({ kind: m[1]!, id: m[2]!, uri });
    }
    return out;
  };

  const idList = (raw: string | undefined, max: number, reply: FastifyReply): string[] | null => {
    const ids = (raw ?? '').split(',').filter(Boolean);
    if (ids.length === 0) {
      apiError(reply, 400, 'Missing required parameter: ids');
      return null;
    }
    if (ids.length > max) {
      apiError(reply, 400, `Too many ids requested: at most ${max}`);
      return null;
    }
    if (ids.some((id) => !ID_RE.test(id))) {
      apiError(reply, 400, 'Invalid base62 id');
      return null;
    }
    return ids;
  };

  app.register(
    async (api) => {
      api.addHook('preHandler', authenticate);

      api.get('/me', async (request) => {
        const u = state.user(request.spotifyGrant!.username);
        return {
          account_id: u.accountId,
          display_name: u.displayName,
          external_urls: { spotify: `https://open.spotify.com/user/${u.username}` },
          href: `${apiUrlOf()}/users/${u.username}`,
          id: u.username,
          images: [],
          type: 'user',
          uri: `spotify:user:${u.username}`,
        };
      });

      api.get('/search', async (request, reply) => {
        const q = request.query as Record<string, unknown>;
        const text = one(q.q);
        if (!text) return apiError(reply, 400, 'No search query');
        const typesRaw = one(q.type);
        if (!typesRaw) return apiError(reply, 400, 'Missing parameter type');
        const types = typesRaw.split(',');
        if (types.some((t) => !SEARCH_TYPES.has(t))) return apiError(reply, 400, 'Bad search type field');
        const limitRaw = one(q.limit) ?? '5';
        const offsetRaw = one(q.offset) ?? '0';
        if (!/^\d+$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > 10) return apiError(reply, 400, 'Invalid limit');
        if (!/^\d+$/.test(offsetRaw) || Number(offsetRaw) > 1000) return apiError(reply, 400, 'Invalid offset');
        const limit = Number(limitRaw);
        const offset = Number(offsetRaw);
        const market = marketOf(q, reply, request.spotifyGrant!);
        if (market === false) return reply;
        const page = <T>(all: T[], type: string) => {
          const href = (o: number) =>
            `${apiUrlOf()}/search?${new URLSearchParams({ q: text, type, offset: String(o), limit: String(limit) })}`;
          return {
            href: href(offset),
            limit,
            next: offset + limit < all.length ? href(offset + limit) : null,
            offset,
            previous: offset > 0 ? href(Math.max(0, offset - limit)) : null,
            total: all.length,
            items: all.slice(offset, offset + limit),
          };
        };
        const body: Record<string, unknown> = {};
        for (const type of types) {
          if (type === 'album')
            body.albums = page(
              state.catalog.searchAlbums(text, market).map((a) => json.simpleAlbum(a)),
              type,
            );
          else if (type === 'track') {
            body.tracks = page(
              state.catalog.searchTracks(text, market).map(({ track, album }) => json.track(track, album)),
              type,
            );
          } else body[`${type}s`] = page([], type);
        }
        return body;
      });

      api.get('/albums/:id', async (request, reply) => {
        const { id } = request.params as { id: string };
        if (!ID_RE.test(id)) return apiError(reply, 400, 'Invalid base62 id');
        const market = marketOf(request.query as Record<string, unknown>, reply, request.spotifyGrant!);
        if (market === false) return reply;
        const album = state.catalog.visibleAlbum(id, market);
        if (!album) return apiError(reply, 404, 'Resource not found');
        return json.album(album);
      });

      api.get('/artists/:id', async (request, reply) => {
        const { id } = request.params as { id: string };
        if (!ID_RE.test(id)) return apiError(reply, 400, 'Invalid base62 id');
        const artist = state.catalog.artists.get(id);
        if (!artist) return apiError(reply, 404, 'Resource not found');
        return { id: artist.id, name: artist.name, type: 'artist', uri: `spotify:artist:${artist.id}` };
      });

      // Batch album lookup is removed for Development Mode apps.
      api.get('/albums', async (request, reply) => {
        if (state.clients.get(request.spotifyGrant!.clientId)?.mode === 'development') return apiError(reply, 403, 'Forbidden');
        const ids = idList(one((request.query as Record<string, unknown>).ids), 20, reply);
        if (!ids) return reply;
        return { albums: ids.map((id) => state.catalog.visibleAlbum(id)).map((a) => (a ? json.album(a) : null)) };
      });

      api.put('/me/library', async (request, reply) => {
        const g = request.spotifyGrant!;
        // URIs travel in the query only; a JSON body is ignored.
        const items = uriList(one((request.query as Record<string, unknown>).uris), reply);
        if (!items) return reply;
        const needsFollow = items.some((i) => i.kind === 'artist' || i.kind === 'user');
        if (!hasScope(g, 'user-library-modify') || (needsFollow && !hasScope(g, 'user-follow-modify'))) {
          return apiError(reply, 403, 'Insufficient client scope');
        }
        if (state.opts.artistUrisInLibrary === 'reject') {
          const artist = items.find((i) => i.kind === 'artist');
          if (artist) return apiError(reply, 400, `Unsupported URI type: ${artist.uri}`);
        }
        const missing = items.find((i) => !state.catalog.exists(i.kind, i.id));
        if (missing) return apiError(reply, 400, `Non existing id: '${missing.uri}'`);
        const saved = state.user(g.username).saved;
        for (const i of items) if (!saved.has(i.uri)) saved.set(i.uri, state.now());
        return reply.code(200).send();
      });

      api.get('/me/library/contains', async (request, reply) => {
        const g = request.spotifyGrant!;
        const items = uriList(one((request.query as Record<string, unknown>).uris), reply);
        if (!items) return reply;
        const needsFollow = items.some((i) => i.kind === 'artist' || i.kind === 'user');
        if (!hasScope(g, 'user-library-read') || (needsFollow && !hasScope(g, 'user-follow-read'))) {
          return apiError(reply, 403, 'Insufficient client scope');
        }
        const saved = state.user(g.username).saved;
        return items.map((i) => saved.has(i.uri));
      });

      // Legacy following (deprecated; Extended Quota apps use it as a fallback).
      api.put('/me/following', async (request, reply) => {
        const g = request.spotifyGrant!;
        const q = request.query as Record<string, unknown>;
        const type = one(q.type);
        if (type !== 'artist' && type !== 'user') return apiError(reply, 400, 'type must be artist or user');
        const ids = idList(one(q.ids), FOLLOW_MAX, reply);
        if (!ids) return reply;
        if (!hasScope(g, 'user-follow-modify')) return apiError(reply, 403, 'Insufficient client scope');
        if (type === 'artist') {
          const missing = ids.find((id) => !state.catalog.artists.has(id));
          if (missing) return apiError(reply, 400, `Non existing id: '${missing}'`);
        }
        const saved = state.user(g.username).saved;
        for (const id of ids) if (!saved.has(`spotify:${type}:${id}`)) saved.set(`spotify:${type}:${id}`, state.now());
        return reply.code(204).send();
      });

      api.get('/me/following/contains', async (request, reply) => {
        const g = request.spotifyGrant!;
        const q = request.query as Record<string, unknown>;
        const type = one(q.type);
        if (type !== 'artist' && type !== 'user') return apiError(reply, 400, 'type must be artist or user');
        const ids = idList(one(q.ids), FOLLOW_MAX, reply);
        if (!ids) return reply;
        if (!hasScope(g, 'user-follow-read')) return apiError(reply, 403, 'Insufficient client scope');
        const saved = state.user(g.username).saved;
        return ids.map((id) => saved.has(`spotify:${type}:${id}`));
      });

      // Legacy album saving: 403 for Development Mode apps since 2026-03-09.
      const legacyAlbums = async (request: FastifyRequest, reply: FastifyReply) => {
        const g = request.spotifyGrant!;
        if (state.clients.get(g.clientId)?.mode === 'development') return apiError(reply, 403, 'Forbidden');
        const ids = idList(one((request.query as Record<string, unknown>).ids), 20, reply);
        if (!ids) return reply;
        const saved = state.user(g.username).saved;
        if (request.method === 'PUT') {
          if (!hasScope(g, 'user-library-modify')) return apiError(reply, 403, 'Insufficient client scope');
          for (const id of ids) if (!saved.has(`spotify:album:${id}`)) saved.set(`spotify:album:${id}`, state.now());
          return reply.code(200).send();
        }
        if (!hasScope(g, 'user-library-read')) return apiError(reply, 403, 'Insufficient client scope');
        return ids.map((id) => saved.has(`spotify:album:${id}`));
      };
      api.put('/me/albums', legacyAlbums);
      api.get('/me/albums/contains', legacyAlbums);
      api.get('/me/albums', async (request, reply) => {
        if (state.clients.get(request.spotifyGrant!.clientId)?.mode === 'development') return apiError(reply, 403, 'Forbidden');
        return { href: `${apiUrlOf()}/me/albums`, items: [], limit: 20, next: null, offset: 0, previous: null, total: 0 };
      });
    },
    { prefix: '/v1' },
  );
}
