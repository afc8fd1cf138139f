import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { albumResource, Includer, JSON_API, sendDoc, sendErrors, trackResource, type Resource } from './resources.js';
import type { CollectionItem, FakeTidalState, FakeUser } from './state.js';

/**
 * openapi.tidal.com/v2: the catalog look-ups, search, and the fan's album and artist collections,
 * with TIDAL's checks: Bearer token (401 when missing, expired or revoked), scopes and app approval
 * (403), undocumented query parameters and includes (400), media types (406/415), body shape (400),
 * cursor paging, and 409 for duplicates or a full collection.
 */
type Query = Map<string, string[]>;

function parseQuery(url: string): Query {
  const q: Query = new Map();
  for (const [k, v] of new URL(url, 'http://x').searchParams) {
    // JSON:API lists may be comma-separated or repeated.
    const values = k.startsWith('filter[') || k === 'include' || k === 'sort' ? v.split(',') : [v];
    q.set(k, [...(q.get(k) ?? []), ...values.filter((x) => x !== '')]);
  }
  return q;
}

const first = (q: Query, k: string) => q.get(k)?.[0];

/** 400 for a parameter the endpoint does not document, a bad countryCode, or an unknown include. */
function checkQuery(reply: FastifyReply, q: Query, allowed: string[], includes: string[] = []): boolean {
  for (const k of q.keys()) {
    if (!allowed.includes(k)) {
      sendErrors(reply, 400, { code: 'INVALID_QUERY_PARAMETER', detail: `Unknown query parameter ${k}`, parameter: k });
      return false;
    }
  }
  const country = q.get('countryCode');
  if (country && (country.length !== 1 || !/^[A-Z]{2}$/.test(country[0]!))) {
    sendErrors(reply, 400, {
      code: 'INVALID_QUERY_PARAMETER',
      detail: 'countryCode must be an ISO 3166-1 alpha-2 code',
      parameter: 'countryCode',
    });
    return false;
  }
  for (const inc of q.get('include') ?? []) {
    if (!includes.includes(inc)) {
      sendErrors(reply, 400, {
        code: 'INVALID_INCLUDE',
        detail: `Cannot include ${inc}. Available options: ${includes.join(', ')}`,
        parameter: 'include',
      });
      return false;
    }
  }
  return true;
}

const CATALOG_PARAMS = ['countryCode', 'include', 'page[cursor]', 'sort', 'replaceMedia', 'shareCode'];
const ALBUM_INCLUDES = ['artists', 'items', 'coverArt', 'genres', 'providers', 'similarAlbums'];
const TRACK_INCLUDES = ['albums', 'artists', 'albums.artists', 'albums.items', 'genres', 'providers'];
const SEARCH_INCLUDES = [
  'albums',
  'artists',
  'tracks',
  'albums.artists',
  'tracks.albums',
  'tracks.artists',
  'topHits',
  'playlists',
  'videos',
];
const COLLECTIONS = {
  userCollectionAlbums: {
    type: 'albums',
    key: 'albums',
    sorts: ['addedAt', '-addedAt', 'artists.name', '-artists.name', 'releaseDate', '-releaseDate', 'title', '-title'],
  },
  userCollectionArtists: { type: 'artists', key: 'artists', sorts: ['addedAt', '-addedAt', 'name', '-name'] },
} as const;
type CollectionName = keyof typeof COLLECTIONS;

export function apiRoutes(app: FastifyInstance, state: FakeTidalState, prefix: string): void {
  /** The fan behind the Bearer token, after the token, approval and scope checks; null when an error was sent. */
  function authed(request: FastifyRequest, reply: FastifyReply, scope?: string): FakeUser | null {
    const accept = request.headers.accept;
    if (accept && !/application\/vnd\.api\+json|\*\/\*|application\/\*/.test(accept)) {
      sendErrors(reply, 406, { detail: 'No acceptable response media type' });
      return null;
    }
    const auth = request.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? state.accessTokens.get(auth.slice(7)) : undefined;
    if (!token) {
      sendErrors(reply, 401, { code: 'UNAUTHORIZED', detail: auth ? 'Invalid access token' : 'Missing access token' });
      return null;
    }
    if (token.expiresAt <= state.now()) {
      sendErrors(reply, 401, { code: 'UNAUTHORIZED', detail: 'Access token expired' });
      return null;
    }
    const user = state.users.get(token.userId)!;
    if (!state.approved && user.username !== state.developer) {
      sendErrors(reply, 403, { code: 'FORBIDDEN', detail: 'This app is not approved for users other than its developer' });
      return null;
    }
    if (scope && !token.scopes.includes(scope)) {
      sendErrors(reply, 403, { code: 'INSUFFICIENT_SCOPE', detail: `The access token lacks the ${scope} scope` });
      return null;
    }
    return user;
  }

  const selfLink = (request: FastifyRequest) => request.url.slice(prefix.length);

  app.get(`${prefix}/albums`, async (request, reply) => {
    const q = parseQuery(request.url);
    if (!authed(request, reply)) return reply;
    if (!checkQuery(reply, q, [...CATALOG_PARAMS, 'filter[barcodeId]', 'filter[id]', 'filter[owners.id]'], ALBUM_INCLUDES)) return reply;
    const barcodes = q.get('filter[barcodeId]');
    const ids = q.get('filter[id]');
    if (!barcodes && !ids && !q.get('filter[owners.id]')) {
      return sendErrors(reply, 400, {
        code: 'FILTER_REQUIRED',
        detail: 'At least one filter is required. Available filters: barcodeId, id, owners.id',
      });
    }
    const includes = q.get('include') ?? [];
    const albums = [...state.albums.values()].filter(
      (a) =>
        state.isLive(a) &&
        (state.ignoreFilters || ((barcodes ? barcodes.includes(a.barcodeId) : true) && (ids ? ids.includes(a.id) : true))),
    );
    const data = albums.map((a) => albumResource(a, Includer.relationshipsFor(includes, 0)));
    const inc = new Includer(state, data);
    for (const r of data) inc.add(r, includes);
    return sendDoc(reply, { data, ...(includes.length ? { included: inc.included } : {}), links: { self: selfLink(request) } });
  });

  /** Catalog reads also take an app token (client credentials), as TIDAL's do. */
  function catalogAuthed(request: FastifyRequest, reply: FastifyReply): boolean {
    const auth = request.headers.authorization ?? '';
    const appUntil = auth.startsWith('Bearer ') ? state.appTokens.get(auth.slice(7)) : undefined;
    if (appUntil !== undefined && appUntil > state.now()) return true;
    return authed(request, reply) !== null;
  }

  app.get<{ Params: { id: string } }>(`${prefix}/artists/:id`, async (request, reply) => {
    if (!catalogAuthed(request, reply)) return reply;
    const artist = state.artists.get(request.params.id);
    if (!artist) return sendErrors(reply, 404, { code: 'NOT_FOUND', detail: 'Resource not found' });
    return sendDoc(reply, {
      data: { id: artist.id, type: 'artists', attributes: { name: artist.name } },
      links: { self: selfLink(request) },
    });
  });

  app.get<{ Params: { id: string } }>(`${prefix}/albums/:id`, async (request, reply) => {
    const q = parseQuery(request.url);
    if (!catalogAuthed(request, reply)) return reply;
    if (!checkQuery(reply, q, ['countryCode', 'include', 'replaceMedia', 'shareCode'], ALBUM_INCLUDES)) return reply;
    const album = state.albums.get(request.params.id);
    if (!album || !state.isLive(album)) return sendErrors(reply, 404, { code: 'NOT_FOUND', detail: 'Resource not found' });
    const includes = q.get('include') ?? [];
    const data = albumResource(album, Includer.relationshipsFor(includes, 0));
    const inc = new Includer(state, [data]);
    inc.add(data, includes);
    return sendDoc(reply, { data, ...(includes.length ? { included: inc.included } : {}), links: { self: selfLink(request) } });
  });

  app.get(`${prefix}/tracks`, async (request, reply) => {
    const q = parseQuery(request.url);
    if (!authed(request, reply)) return reply;
    if (!checkQuery(reply, q, [...CATALOG_PARAMS, 'filter[isrc]', 'filter[id]', 'filter[owners.id]'], TRACK_INCLUDES)) return reply;
    const isrcs = q.get('filter[isrc]');
    const ids = q.get('filter[id]');
    if (!isrcs && !ids && !q.get('filter[owners.id]')) {
      return sendErrors(reply, 400, {
        code: 'FILTER_REQUIRED',
        detail: 'At least one filter is required. Available filters: id, isrc, owners.id',
      });
    }
    const includes = q.get('include') ?? [];
    const tracks = [...state.tracks.values()].filter(
      (t) => state.isLive(t) && (state.ignoreFilters || ((isrcs ? isrcs.includes(t.isrc) : true) && (ids ? ids.includes(t.id) : true))),
    );
    const data = tracks.map((t) => trackResource(t, Includer.relationshipsFor(includes, 0)));
    const inc = new Includer(state, data);
    for (const r of data) inc.add(r, includes);
    return sendDoc(reply, { data, ...(includes.length ? { included: inc.included } : {}), links: { self: selfLink(request) } });
  });

  app.get(`${prefix}/searchResults`, async (request, reply) => {
    const q = parseQuery(request.url);
    if (!authed(request, reply)) return reply;
    const allowed = [
      'filter[query]',
      'explicitFilter',
      'countryCode',
      'deviceType',
      'systemType',
      'clientVersion',
      'include',
      'replaceMedia',
    ];
    if (!checkQuery(reply, q, allowed, SEARCH_INCLUDES)) return reply;
    // filter[query] is one string (commas are part of it): read it raw.
    const query = new URL(request.url, 'http://x').searchParams.get('filter[query]') ?? '';
    if (!query || query.length > 256) {
      return sendErrors(reply, 400, {
        code: 'INVALID_QUERY_PARAMETER',
        detail: 'filter[query] is required (at most 256 characters)',
        parameter: 'filter[query]',
      });
    }
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const albums = [...state.albums.values()].filter((a) => {
      if (!state.isLive(a)) return false;
      const hay = [a.title, a.version ?? '', ...a.artistIds.map((id) => state.artists.get(id)?.name ?? '')].join(' ').toLowerCase();
      return state.ignoreFilters || words.every((w) => hay.includes(w));
    });
    const includes = q.get('include') ?? [];
    const result: Resource = {
      id: query,
      type: 'searchResults',
      attributes: { query, trackingId: randomUUID() },
      relationships: {
        albums: {
          data: albums.map((a) => ({ id: a.id, type: 'albums' })),
          links: { self: `/searchResults/${encodeURIComponent(query)}/relationships/albums` },
        },
      },
    };
    const inc = new Includer(state, [result]);
    inc.add(result, includes);
    return sendDoc(reply, { data: [result], ...(includes.length ? { included: inc.included } : {}), links: { self: selfLink(request) } });
  });

  app.get<{ Params: { id: string } }>(`${prefix}/users/:id`, async (request, reply) => {
    const q = parseQuery(request.url);
    const user = authed(request, reply, 'user.read');
    if (!user) return reply;
    if (!checkQuery(reply, q, [])) return reply;
    if (request.params.id !== 'me' && request.params.id !== user.id)
      return sendErrors(reply, 404, { code: 'NOT_FOUND', detail: 'Resource not found' });
    return sendDoc(reply, {
      data: {
        id: user.id,
        type: 'users',
        attributes: { username: user.username, country: user.country, developerAccessTier: 'THIRD_PARTY' },
      },
      links: { self: selfLink(request) },
    });
  });

  for (const name of Object.keys(COLLECTIONS) as CollectionName[]) {
    const { type, key, sorts } = COLLECTIONS[name];
    const mine = (request: FastifyRequest<{ Params: { id: string } }>, user: FakeUser) =>
      request.params.id === 'me' || request.params.id === user.id;

    app.get<{ Params: { id: string } }>(`${prefix}/${name}/:id/relationships/owners`, async (request, reply) => {
      const q = parseQuery(request.url);
      const user = authed(request, reply, 'collection.read');
      if (!user) return reply;
      if (!checkQuery(reply, q, ['include', 'page[cursor]'], ['owners'])) return reply;
      if (!mine(request, user)) return sendErrors(reply, 404, { code: 'NOT_FOUND', detail: 'Resource not found' });
      return sendDoc(reply, { data: [{ id: user.id, type: 'users' }], links: { self: selfLink(request) } });
    });

    app.get<{ Params: { id: string } }>(`${prefix}/${name}/:id/relationships/items`, async (request, reply) => {
      const q = parseQuery(request.url);
      const user = authed(request, reply, 'collection.read');
      if (!user) return reply;
      if (!checkQuery(reply, q, ['page[cursor]', 'sort', 'locale', 'include', 'replaceMedia'], ['items'])) return reply;
      if (!mine(request, user)) return sendErrors(reply, 404, { code: 'NOT_FOUND', detail: 'Resource not found' });
      const sort = q.get('sort') ?? ['-addedAt'];
      if (sort.some((s) => !(sorts as readonly string[]).includes(s))) {
        return sendErrors(reply, 400, { code: 'INVALID_SORT', detail: `Sort must be one of ${sorts.join(', ')}`, parameter: 'sort' });
      }
      const items: CollectionItem[] = [...user[key]].sort((a, b) =>
        sort[0] === 'addedAt' ? a.addedAt - b.addedAt : b.addedAt - a.addedAt,
      );
      const cursor = first(q, 'page[cursor]');
      const offset = cursor ? Number(Buffer.from(cursor, 'base64url').toString('utf8').replace(/^o:/, '')) : 0;
      if (!Number.isInteger(offset) || offset < 0) {
        return sendErrors(reply, 400, { code: 'INVALID_CURSOR', detail: 'Invalid page[cursor]', parameter: 'page[cursor]' });
      }
      const page = items.slice(offset, offset + state.pageSize);
      const more = offset + state.pageSize < items.length;
      const next = more ? Buffer.from(`o:${offset + state.pageSize}`).toString('base64url') : undefined;
      const self = `/${name}/${request.params.id}/relationships/items`;
      return sendDoc(reply, {
        data: page.map((i) => ({ id: i.id, type, meta: { addedAt: new Date(i.addedAt).toISOString() } })),
        links: { self, ...(next ? { next: `${self}?page[cursor]=${next}`, meta: { nextCursor: next } } : {}) },
      });
    });

    app.post<{ Params: { id: string } }>(`${prefix}/${name}/:id/relationships/items`, async (request, reply) => {
      const q = parseQuery(request.url);
      const user = authed(request, reply, 'collection.write');
      if (!user) return reply;
      if (!checkQuery(reply, q, [])) return reply;
      if (!mine(request, user)) return sendErrors(reply, 404, { code: 'NOT_FOUND', detail: 'Resource not found' });
      const media = String(request.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim();
      if (media !== JSON_API) return sendErrors(reply, 415, { detail: 'Unsupported request media type or encoding' });
      const key128 = request.headers['idempotency-key'];
      if (typeof key128 === 'string' && key128.length > 128) {
        return sendErrors(reply, 400, { detail: 'Idempotency-Key is longer than 128 characters' });
      }
      let body: unknown;
      try {
        body = JSON.parse(typeof request.body === 'string' ? request.body : '');
      } catch {
        return sendErrors(reply, 400, { code: 'INVALID_BODY', detail: 'Request body is not valid JSON', pointer: '' });
      }
      const data = (body as { data?: unknown } | null)?.data;
      if (!Array.isArray(data) || data.length < 1 || data.length > 50) {
        return sendErrors(reply, 400, {
          code: 'INVALID_BODY',
          detail: 'data must be an array of 1 to 50 resource identifiers',
          pointer: '/data',
        });
      }
      for (const [i, item] of data.entries()) {
        const r = item as { id?: unknown; type?: unknown } | null;
        if (!r || typeof r.id !== 'string' || r.type !== type) {
          return sendErrors(reply, 400, {
            code: 'INVALID_BODY',
            detail: `each item must be {"type":"${type}","id":"…"}`,
            pointer: `/data/${i}`,
          });
        }
      }
      const ids = [...new Set((data as { id: string }[]).map((r) => r.id))];
      const exists = (id: string) => {
        if (type === 'artists') return state.artists.has(id);
        const a = state.albums.get(id);
        return !!a && state.isLive(a);
      };
      const present = new Set(user[key].map((i) => i.id));
      const duplicates = ids.filter((id) => present.has(id));
      if (duplicates.length && state.duplicateAnswer === 'conflict') {
        return sendErrors(reply, 409, { code: 'DUPLICATE_ITEMS_IN_COLLECTION', detail: 'Collection already contains one or more items' });
      }
      const toAdd = ids.filter((id) => !present.has(id) && exists(id));
      if (user[key].length + toAdd.length > state.collectionLimit) {
        return sendErrors(reply, 409, { code: 'TOO_MANY_ITEMS_IN_COLLECTION', detail: 'Collection item limit reached' });
      }
      const now = state.now();
      for (const id of toAdd) user[key].push({ id, addedAt: now });
      const skipped = ids
        .filter((id) => !toAdd.includes(id))
        .map((id) => ({ id, type, reason: present.has(id) ? 'ALREADY_PRESENT' : 'NOT_FOUND' }));
      return sendDoc(reply, {
        data: toAdd.map((id) => ({ id, type, meta: { addedAt: new Date(now).toISOString() } })),
        links: { self: `/${name}/${request.params.id}/relationships/items` },
        meta: { skipped },
      });
    });
  }
}
