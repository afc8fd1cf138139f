import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeTitle } from '../../../src/providers/matching.js';
import { albumJson, albumLiteJson, artistJson, ERR, json, trackJson, userJson } from './shapes.js';
import type { DeezerFakeState, FakeFavourite, FakeToken, FakeUser } from './state.js';

/**
 * api.deezer.com, the parts Dropday uses: /user/me, /album/{id|upc:…}, /track/{id|isrc:…},
 * /search/album, and the fan's favourite albums and artists (read paged, add with POST). Every
 * error is HTTP 200 with `{"error":{type,message,code}}`, as on Deezer.
 */

function q(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((req.query as Record<string, unknown>) ?? {})) if (typeof v === 'string') out[k] = v;
  return out;
}

type Auth = { kind: 'none' } | { kind: 'invalid' } | { kind: 'ok'; token: FakeToken; user: FakeUser };

export function apiRoutes(opts: { state: DeezerFakeState; apiUrl: () => string; maxLimit: number }) {
  const { state } = opts;

  const auth = (req: FastifyRequest): Auth => {
    const raw = q(req).access_token;
    if (!raw) return { kind: 'none' };
    const t = state.tokens.get(raw);
    if (!t || t.revoked || (t.expiresAt !== null && t.expiresAt <= state.now())) return { kind: 'invalid' };
    const user = state.userById(t.userId);
    return user ? { kind: 'ok', token: t, user } : { kind: 'invalid' };
  };
  /** The fan behind the token, or the reply already sent (code 200 without a token, 300 with a bad one). */
  const fan = (req: FastifyRequest, reply: FastifyReply): Extract<Auth, { kind: 'ok' }> | FastifyReply => {
    const a = auth(req);
    if (a.kind === 'none') return ERR.noToken(reply);
    if (a.kind === 'invalid') return ERR.invalidToken(reply);
    return a;
  };
  const isReply = (x: unknown): x is FastifyReply => !!x && typeof x === 'object' && 'sent' in x;

  const paged = (req: FastifyRequest, reply: FastifyReply, path: string, items: unknown[], ids: number[]) => {
    const params = q(req);
    const index = Math.max(0, Number.parseInt(params.index ?? '0', 10) || 0);
    const limit = Math.min(opts.maxLimit, Math.max(1, Number.parseInt(params.limit ?? '25', 10) || 25));
    const link = (at: number) => {
      const u = new URL(`${opts.apiUrl()}${path}`);
      for (const [k, v] of Object.entries(params)) if (k !== 'index') u.searchParams.set(k, v);
      u.searchParams.set('index', String(at));
      return u.toString();
    };
    return json(reply, {
      data: items.slice(index, index + limit),
      checksum: createHash('md5').update(ids.join(',')).digest('hex'),
      total: items.length,
      ...(index > 0 ? { prev: link(Math.max(0, index - limit)) } : {}),
      ...(index + limit < items.length ? { next: link(index + limit) } : {}),
    });
  };

  return async (app: FastifyInstance): Promise<void> => {
    app.get('/user/me', async (req, reply) => {
      const f = fan(req, reply);
      if (isReply(f)) return f;
      return json(reply, userJson(opts.apiUrl(), f.user));
    });

    // Catalog reads are public, but a token that is sent must be valid.
    const publicRead = (req: FastifyRequest, reply: FastifyReply): FastifyReply | null =>
      auth(req).kind === 'invalid' ? ERR.invalidToken(reply) : null;

    app.get<{ Params: { id: string } }>('/album/:id', async (req, reply) => {
      const refused = publicRead(req, reply);
      if (refused) return refused;
      const { id } = req.params;
      const album = id.startsWith('upc:') ? state.albumByUpc(id.slice(4)) : /^\d+$/.test(id) ? state.liveAlbum(Number(id)) : undefined;
      return album ? json(reply, albumJson(opts.apiUrl(), state, album)) : ERR.noData(reply);
    });

    app.get<{ Params: { id: string } }>('/artist/:id', async (req, reply) => {
      const refused = publicRead(req, reply);
      if (refused) return refused;
      const artist = /^\d+$/.test(req.params.id) ? state.artists.get(Number(req.params.id)) : undefined;
      return artist ? json(reply, artistJson(opts.apiUrl(), artist)) : ERR.noData(reply);
    });

    app.get<{ Params: { id: string } }>('/track/:id', async (req, reply) => {
      const refused = publicRead(req, reply);
      if (refused) return refused;
      const { id } = req.params;
      let track = id.startsWith('isrc:') ? state.trackByIsrc(id.slice(5)) : /^\d+$/.test(id) ? state.tracks.get(Number(id)) : undefined;
      if (track && !state.liveAlbum(track.albumId)) track = undefined;
      return track ? json(reply, trackJson(opts.apiUrl(), state, track)) : ERR.noData(reply);
    });

    app.get('/search/album', async (req, reply) => {
      const refused = publicRead(req, reply);
      if (refused) return refused;
      const query = q(req).q;
      if (query === undefined) return ERR.missing(reply, 'q');
      // Deezer's advanced syntax: artist:"…" album:"…"; anything else is free text. Matching is loose
      // (contains), as on Deezer, so variants ("… (Sped Up)") come back too and the client must check.
      const fields: Record<string, string> = {};
      const free = query.replace(/(\w+):"([^"]*)"/g, (_, k: string, v: string) => {
        fields[k.toLowerCase()] = normalizeTitle(v);
        return ' ';
      });
      const words = normalizeTitle(free).split(' ').filter(Boolean);
      const hits = [...state.albums.values()].filter((al) => {
        if (!state.isLive(al)) return false;
        const title = normalizeTitle(al.title);
        const artists = al.contributors.map((c) => normalizeTitle(c.name));
        if (fields.album && !title.includes(fields.album)) return false;
        if (fields.artist && !artists.some((a) => a.includes(fields.artist!))) return false;
        return words.every((w) => title.includes(w) || artists.some((a) => a.includes(w)));
      });
      return paged(
        req,
        reply,
        '/search/album',
        hits.map((al) => albumLiteJson(opts.apiUrl(), al)),
        hits.map((al) => al.id),
      );
    });

    for (const kind of ['albums', 'artists'] as const) {
      const path = `/user/me/${kind}`;
      const param = kind === 'albums' ? 'album_id' : 'artist_id';

      app.get(path, async (req, reply) => {
        const f = fan(req, reply);
        if (isReply(f)) return f;
        const list: FakeFavourite[] = f.user[kind];
        const items = list.flatMap((fav): unknown[] => {
          if (kind === 'albums') {
            const al = state.albums.get(fav.id);
            return al ? [{ ...albumLiteJson(opts.apiUrl(), al), time_add: fav.timeAdd }] : [];
          }
          const ar = state.artists.get(fav.id);
          return ar ? [{ ...artistJson(opts.apiUrl(), ar), nb_album: 0, nb_fan: 0, radio: true, time_add: fav.timeAdd }] : [];
        });
        return paged(
          req,
          reply,
          path,
          items,
          list.map((x) => x.id),
        );
      });

      app.post(path, async (req, reply) => {
        const f = fan(req, reply);
        if (isReply(f)) return f;
        if (!f.token.perms.includes('manage_library')) return ERR.permission(reply);
        const raw = q(req)[param];
        if (!raw) return ERR.missing(reply, param);
        const id = /^\d+$/.test(raw) ? Number(raw) : NaN;
        const exists = kind === 'albums' ? state.liveAlbum(id) : state.artists.get(id);
        if (!exists) return ERR.noData(reply);
        // `true` when added; `false` when it already was a favourite (as Deezer does for playlists).
        return json(reply, state.addFavourite(f.user.username, kind === 'albums' ? 'album' : 'artist', id));
      });
    }

    app.setNotFoundHandler((req, reply) => ERR.unknownPath(reply, req.url.split('?')[0]!.replace(/^\/api/, ''), req.method));
  };
}
