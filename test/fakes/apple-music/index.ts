import { createHash, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { verifyDeveloperToken } from './jwt.js';
import { musicKitScript } from './musickit-js.js';

/**
 * A stateful fake of the Apple Music API for tests: a separate HTTP server on 127.0.0.1.
 *
 * - Every /v1 request needs a developer token (ES256 JWT) that verifies with the test's public key,
 *   names the expected kid and team, and is within its lifetime (≤ 15,777,000 s); else 401, empty body.
 * - Requests on a fan's behalf need a known `Music-User-Token`; a revoked one gets 403 code 40300.
 * - The catalog is per storefront; an album that goes live later is listed without `playParams`
 *   until then (a pre-order) and cannot be added.
 * - `POST /v1/me/library?ids[albums]=…` answers 202 with no body and silently ignores ids it cannot
 *   add (unknown, not in the fan's storefront, not live yet) — exactly the behaviour to verify against.
 * - Library check: `GET /v1/catalog/{sf}/albums/{id}/library` lists the fan's library album for
 *   that catalog album, or 404 code 40403 ("No related resources") when it is not in the library.
 * - Errors are `{"errors":[{id,title,detail,status:"…",code}]}`. Faults: 429 (+Retry-After), 5xx, slow.
 * - `/musickit.js` is a fake MusicKit JS; the user comes from `?user=` on the script URL or the
 *   `fake_apple_user` cookie (`?deny=1` / `fake_apple_deny=1` makes authorize() fail;
 *   `fake_apple_hang=1` makes it wait for the page's `fakeAppleAnswer()`).
 */
export type FaultTarget = 'all' | 'catalog' | 'search' | 'storefront' | 'save' | 'verify';

export interface FaultInput {
  kind: 'rate_limit' | 'server_error' | 'slow';
  target?: FaultTarget;
  /** How many requests it hits; unlimited when absent. */
  count?: number;
  retryAfterSeconds?: number;
  status?: number;
  delayMs?: number;
}

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  status?: number;
  target: FaultTarget | null;
}

export interface FakeAlbumInput {
  id?: string;
  name: string;
  artistName: string;
  upc?: string;
  /** Storefronts where the album is available (default `us`). */
  storefronts?: string[];
  /** Epoch ms from which it is playable and can be added; listed as a pre-order before. */
  liveAt?: number;
  releaseDate?: string;
  isSingle?: boolean;
  isCompilation?: boolean;
  tracks?: { name: string; isrc: string; id?: string }[];
}

export interface FakeAlbum extends Required<Omit<FakeAlbumInput, 'liveAt' | 'upc' | 'tracks'>> {
  upc: string | null;
  liveAt: number | null;
  artistId: string;
  songIds: string[];
}

export interface FakeSong {
  id: string;
  name: string;
  artistName: string;
  isrc: string;
  albumId: string;
}

export interface FakeUser {
  name: string;
  token: string;
  storefront: string;
  revoked: boolean;
  library: Map<string, number>;
}

export interface AppleMusicFakeOptions {
  publicKey: KeyObject | string;
  keyId: string;
  teamId: string;
  now?: () => number;
  /** Default 0 (any free port). */
  port?: number;
}

const STOREFRONT_NAMES: Record<string, string> = { us: 'United States', gb: 'United Kingdom', jp: 'Japan', in: 'India', de: 'Germany' };

export async function startAppleMusicFake(opts: AppleMusicFakeOptions) {
  const now = opts.now ?? Date.now;
  let publicKey = typeof opts.publicKey === 'string' ? createPublicKey(opts.publicKey) : opts.publicKey;
  const state = {
    albums: new Map<string, FakeAlbum>(),
    songs: new Map<string, FakeSong>(),
    users: new Map<string, FakeUser>(),
    tokens: new Map<string, FakeUser>(),
    requests: [] as RecordedRequest[],
    faults: [] as (FaultInput & { remaining: number | null })[],
    developerKeyRevoked: false,
  };
  let nextId = 1_700_000_000;
  const newId = () => String(nextId++);

  const app = Fastify({ logger: false });
  const requestUser = new WeakMap<FastifyRequest, FakeUser>();
  const requestRecord = new WeakMap<FastifyRequest, RecordedRequest>();

  // ---- request log, CORS (MusicKit JS calls the API from the page), faults, authentication ----
  app.addHook('onRequest', async (req, reply) => {
    reply.header('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      return reply
        .code(204)
        .header('access-control-allow-headers', 'authorization, music-user-token, content-type')
        .header('access-control-allow-methods', 'GET, POST, DELETE')
        .send();
    }
    const url = new URL(req.url, 'http://fake');
    const target = targetOf(req.method, url.pathname);
    const rec: RecordedRequest = {
      at: Date.now(),
      method: req.method,
      path: url.pathname,
      query: req.query as Record<string, unknown>,
      headers: req.headers,
      body: undefined,
      target,
    };
    state.requests.push(rec);
    requestRecord.set(req, rec);
    if (!target) return undefined;

    const fault = takeFault(target);
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000));
    else if (fault?.kind === 'rate_limit') {
      if (fault.retryAfterSeconds !== undefined) reply.header('retry-after', String(fault.retryAfterSeconds));
      return apiError(reply, 429, 'API Capacity Exceeded', 'Too many requests: try again later', '42900');
    } else if (fault?.kind === 'server_error') {
      const status = fault.status ?? 500;
      return apiError(reply, status, status === 503 ? 'Service Unavailable' : 'Internal Server Error', 'Upstream failure', `${status}00`);
    }

    const auth = req.headers.authorization ?? '';
    const bearer = /^Bearer (.+)$/.exec(auth)?.[1];
    const check = bearer
      ? verifyDeveloperToken(bearer, { publicKey, keyId: opts.keyId, teamId: opts.teamId, nowS: Math.floor(now() / 1000) })
      : { ok: false as const, reason: 'no developer token' };
    if (!check.ok || state.developerKeyRevoked) return reply.code(401).send(); // Apple answers a bad developer token with an empty 401

    if (needsUser(url.pathname)) {
      const mut = req.headers['music-user-token'];
      if (typeof mut !== 'string' || !mut) return apiError(reply, 401, 'Unauthorized', 'Music-User-Token header is missing', '40101');
      const user = state.tokens.get(mut);
      if (!user || user.revoked) return apiError(reply, 403, 'Forbidden', 'Invalid authentication', '40300');
      requestUser.set(req, user);
    }
    return undefined;
  });
  app.addHook('preHandler', async (req) => {
    const rec = requestRecord.get(req);
    if (rec) rec.body = req.body;
  });
  app.addHook('onResponse', async (req, reply) => {
    const rec = requestRecord.get(req);
    if (rec) rec.status = reply.statusCode;
  });

  const userOf = (req: FastifyRequest): FakeUser => requestUser.get(req)!;

  // ---- storefronts ----
  app.get<{ Params: { id: string } }>('/v1/storefronts/:id', async (req, reply) => {
    const id = req.params.id;
    if (!/^[a-z]{2}$/.test(id)) return apiError(reply, 404, 'Resource Not Found', 'No storefront with this id', '40400');
    return { data: [storefrontJson(id)] };
  });
  app.get('/v1/me/storefront', async (req) => ({ data: [storefrontJson(userOf(req).storefront)] }));

  // ---- catalog ----
  app.get<{ Params: { sf: string }; Querystring: Record<string, string> }>('/v1/catalog/:sf/albums', async (req, reply) => {
    const sf = req.params.sf;
    if (!validSf(sf)) return badStorefront(reply);
    const upc = req.query['filter[upc]'];
    const ids = req.query.ids;
    let found: FakeAlbum[];
    if (upc) {
      // GTINs match with or without leading zeros (UPC-A 12 digits = EAN-13 with a leading 0).
      const gtin = (u: string) => u.trim().replace(/^0+/, '');
      const wanted = upc.split(',').map(gtin);
      found = [...state.albums.values()].filter((a) => a.upc && wanted.includes(gtin(a.upc)) && a.storefronts.includes(sf));
    } else if (ids) {
      found = ids
        .split(',')
        .map((id) => state.albums.get(id.trim()))
        .filter((a): a is FakeAlbum => Boolean(a && a.storefronts.includes(sf)));
    } else {
      return apiError(reply, 400, 'Parameter Missing', 'One of ids or filter[upc] is required', '40003');
    }
    return { data: found.map((a) => albumJson(a, sf)) };
  });

  app.get<{ Params: { sf: string; id: string } }>('/v1/catalog/:sf/albums/:id', async (req, reply) => {
    const a = state.albums.get(req.params.id);
    if (!validSf(req.params.sf)) return badStorefront(reply);
    if (!a || !a.storefronts.includes(req.params.sf)) return notFound(reply);
    return { data: [albumJson(a, req.params.sf)] };
  });

  app.get<{ Params: { sf: string; id: string } }>('/v1/catalog/:sf/artists/:id', async (req, reply) => {
    if (!validSf(req.params.sf)) return badStorefront(reply);
    const a = [...state.albums.values()].find((x) => x.artistId === req.params.id);
    if (!a) return notFound(reply);
    return {
      data: [
        { id: a.artistId, type: 'artists', href: `/v1/catalog/${req.params.sf}/artists/${a.artistId}`, attributes: { name: a.artistName } },
      ],
    };
  });

  app.get<{ Params: { sf: string; kind: string; id: string } }>('/v1/catalog/:sf/:kind/:id/library', async (req, reply) => {
    const { sf, kind, id } = req.params;
    if (!validSf(sf)) return badStorefront(reply);
    const item = kind === 'albums' ? state.albums.get(id) : kind === 'songs' ? state.songs.get(id) : undefined;
    const available =
      item && (kind === 'albums' ? (item as FakeAlbum) : state.albums.get((item as FakeSong).albumId))?.storefronts.includes(sf);
    if (!item || !available) return notFound(reply);
    const user = userOf(req);
    if (!user.library.has(`${kind}:${id}`)) {
      return apiError(reply, 404, 'No related resources', 'No related resources found for library', '40403');
    }
    const libId = `${kind === 'albums' ? 'l' : 'i'}.${createHash('sha256').update(`${user.name}:${id}`).digest('base64url').slice(0, 7)}`;
    return {
      data: [
        {
          id: libId,
          type: kind === 'albums' ? 'library-albums' : 'library-songs',
          href: `/v1/me/library/${kind}/${libId}`,
          attributes: { name: item.name, artistName: item.artistName, playParams: { id: libId, kind: kind.slice(0, -1), isLibrary: true } },
        },
      ],
    };
  });

  app.get<{ Params: { sf: string }; Querystring: Record<string, string> }>('/v1/catalog/:sf/songs', async (req, reply) => {
    const sf = req.params.sf;
    if (!validSf(sf)) return badStorefront(reply);
    const isrc = req.query['filter[isrc]'];
    if (!isrc) return apiError(reply, 400, 'Parameter Missing', 'One of ids or filter[isrc] is required', '40003');
    const wanted = isrc.split(',').map((i) => i.trim().toUpperCase());
    const songs = [...state.songs.values()].filter((s) => wanted.includes(s.isrc) && state.albums.get(s.albumId)!.storefronts.includes(sf));
    return { data: songs.map((s) => songJson(s, sf)) };
  });

  app.get<{ Params: { sf: string }; Querystring: Record<string, string> }>('/v1/catalog/:sf/search', async (req, reply) => {
    const sf = req.params.sf;
    if (!validSf(sf)) return badStorefront(reply);
    const term = (req.query.term ?? '').trim();
    const types = (req.query.types ?? '').split(',');
    const limit = Number(req.query.limit ?? 5);
    if (!term || !req.query.types) return apiError(reply, 400, 'Parameter Missing', 'term and types are required', '40003');
    if (!Number.isInteger(limit) || limit < 1 || limit > 25) {
      return apiError(reply, 400, 'Invalid Parameter Value', 'limit must be from 1 to 25', '40005');
    }
    const words = norm(term).split(' ').filter(Boolean);
    const results: Record<string, unknown> = {};
    if (types.includes('albums')) {
      const albums = [...state.albums.values()]
        .filter((a) => a.storefronts.includes(sf))
        .filter((a) => {
          const hay = norm(`${a.name} ${a.artistName}`);
          return words.every((w) => hay.includes(w));
        })
        .slice(0, limit);
      if (albums.length) results.albums = { href: req.url, data: albums.map((a) => albumJson(a, sf)) };
    }
    return { results, meta: { results: { order: Object.keys(results), rawOrder: Object.keys(results) } } };
  });

  // ---- library ----
  app.post<{ Querystring: Record<string, string> }>('/v1/me/library', async (req, reply) => {
    const user = userOf(req);
    const albums = (req.query['ids[albums]'] ?? '').split(',').filter(Boolean);
    const songs = (req.query['ids[songs]'] ?? '').split(',').filter(Boolean);
    if (!albums.length && !songs.length) return apiError(reply, 400, 'Parameter Missing', 'ids[albums] or ids[songs] is required', '40003');
    for (const id of albums) {
      const a = state.albums.get(id);
      // Silently ignored, as Apple does: unknown, not in the fan's storefront, or not live yet.
      if (a && a.storefronts.includes(user.storefront) && isLive(a)) user.library.set(`albums:${id}`, now());
    }
    for (const id of songs) {
      const s = state.songs.get(id);
      const a = s && state.albums.get(s.albumId);
      if (s && a && a.storefronts.includes(user.storefront) && isLive(a)) user.library.set(`songs:${id}`, now());
    }
    return reply.code(202).send();
  });

  app.get<{ Querystring: Record<string, string> }>('/v1/me/library/albums', async (req) => {
    const user = userOf(req);
    const ids = [...user.library.keys()].filter((k) => k.startsWith('albums:')).map((k) => k.slice(7));
    return {
      data: ids.map((id) => {
        const a = state.albums.get(id)!;
        return {
          id: `l.${id}`,
          type: 'library-albums',
          attributes: {
            name: a.name,
            artistName: a.artistName,
            playParams: { id: `l.${id}`, kind: 'album', isLibrary: true, catalogId: id },
          },
        };
      }),
      meta: { total: ids.length },
    };
  });

  // ---- fake MusicKit JS ----
  app.get<{ Querystring: { user?: string; deny?: string } }>('/musickit.js', async (req, reply) => {
    const cookies = parseCookies(req.headers.cookie);
    const name = req.query.user ?? cookies.fake_apple_user;
    const deny = req.query.deny === '1' || cookies.fake_apple_deny === '1';
    const hang = cookies.fake_apple_hang === '1';
    const user = name ? fake.addUser(name) : null;
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(musicKitScript({ apiOrigin: url, token: user?.token ?? null, storefront: user?.storefront ?? 'us', deny, hang }));
  });

  // ---- for a person trying Dropday against the fake ----
  /** Chooses the fan this browser is (a cookie read by /musickit.js); `deny=1` makes authorize() fail. */
  app.get<{ Querystring: { user?: string; storefront?: string; deny?: string } }>('/_fake/login', async (req, reply) => {
    const name = (req.query.user ?? '').trim();
    if (!/^[A-Za-z0-9_.-]{1,40}$/.test(name)) return reply.code(400).type('text/plain').send('give ?user=<name> (letters, digits, _.-)');
    const sf = (req.query.storefront ?? 'us').toLowerCase();
    if (!validSf(sf)) return badStorefront(reply);
    const user = fake.addUser(name, { storefront: sf });
    const deny = req.query.deny === '1' ? '1' : '0';
    reply.header('set-cookie', [`fake_apple_user=${name}; Path=/; SameSite=Lax`, `fake_apple_deny=${deny}; Path=/; SameSite=Lax`]);
    return reply
      .type('text/plain; charset=utf-8')
      .send(
        `This browser is now Apple Music user "${name}" (storefront ${user.storefront})${deny === '1' ? ', who will refuse access' : ''}.\n`,
      );
  });
  app.get('/_fake/libraries', async () =>
    Object.fromEntries(
      [...state.users.values()].map((u) => [
        u.name,
        {
          storefront: u.storefront,
          revoked: u.revoked,
          albums: fake.libraryOf(u.name).map((id) => ({ id, name: state.albums.get(id)?.name })),
        },
      ]),
    ),
  );

  app.setNotFoundHandler((_req, reply) => notFound(reply));

  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  // ---- helpers ----
  function isLive(a: FakeAlbum): boolean {
    return a.liveAt === null || now() >= a.liveAt;
  }

  function validSf(sf: string): boolean {
    return /^[a-z]{2}$/.test(sf);
  }

  function storefrontJson(id: string) {
    return {
      id,
      type: 'storefronts',
      href: `/v1/storefronts/${id}`,
      attributes: {
        name: STOREFRONT_NAMES[id] ?? id.toUpperCase(),
        defaultLanguageTag: 'en-US',
        supportedLanguageTags: ['en-US'],
        explicitContentPolicy: 'allowed',
      },
    };
  }

  function albumJson(a: FakeAlbum, sf: string) {
    const live = isLive(a);
    return {
      id: a.id,
      type: 'albums',
      href: `/v1/catalog/${sf}/albums/${a.id}`,
      attributes: {
        name: a.name,
        artistName: a.artistName,
        ...(a.upc ? { upc: a.upc } : {}),
        url: `https://music.apple.com/${sf}/album/${slugify(a.name)}/${a.id}`,
        releaseDate: a.releaseDate,
        isSingle: a.isSingle,
        isCompilation: a.isCompilation,
        isComplete: true,
        trackCount: a.songIds.length,
        genreNames: ['Pop'],
        ...(live ? { playParams: { id: a.id, kind: 'album' } } : {}),
      },
      relationships: {
        artists: {
          href: `/v1/catalog/${sf}/albums/${a.id}/artists`,
          data: [{ id: a.artistId, type: 'artists', href: `/v1/catalog/${sf}/artists/${a.artistId}` }],
        },
      },
    };
  }

  function songJson(s: FakeSong, sf: string) {
    const a = state.albums.get(s.albumId)!;
    return {
      id: s.id,
      type: 'songs',
      href: `/v1/catalog/${sf}/songs/${s.id}`,
      attributes: {
        name: s.name,
        artistName: s.artistName,
        albumName: a.name,
        isrc: s.isrc,
        url: `https://music.apple.com/${sf}/album/${slugify(a.name)}/${a.id}?i=${s.id}`,
        ...(isLive(a) ? { playParams: { id: s.id, kind: 'song' } } : {}),
      },
      relationships: {
        albums: {
          href: `/v1/catalog/${sf}/songs/${s.id}/albums`,
          data: [{ id: a.id, type: 'albums', href: `/v1/catalog/${sf}/albums/${a.id}` }],
        },
        artists: {
          href: `/v1/catalog/${sf}/songs/${s.id}/artists`,
          data: [{ id: a.artistId, type: 'artists', href: `/v1/catalog/${sf}/artists/${a.artistId}` }],
        },
      },
    };
  }

  function takeFault(target: FaultTarget) {
    for (const f of state.faults) {
      if (f.target !== 'all' && f.target !== target) continue;
      if (f.remaining === 0) continue;
      if (f.remaining !== null) f.remaining--;
      return f;
    }
    return undefined;
  }

  const fake = {
    url,
    state,
    /** Every request received, in order. */
    get requests() {
      return state.requests;
    },
    faults: {
      add(f: FaultInput) {
        state.faults.push({ target: 'all', ...f, remaining: f.count ?? null });
      },
      clear() {
        state.faults.length = 0;
      },
      /** The operator's key was revoked in the Apple Developer account: every developer token is refused. */
      revokeDeveloperKey() {
        state.developerKeyRevoked = true;
      },
      restoreDeveloperKey() {
        state.developerKeyRevoked = false;
      },
      /** Trust another public key from now on (tokens signed with the old one are refused). */
      setPublicKey(key: KeyObject | string) {
        publicKey = typeof key === 'string' ? createPublicKey(key) : key;
      },
    },
    /** Checks a developer token exactly as the API does (for tests of the page's token). */
    checkDeveloperToken(token: string) {
      return verifyDeveloperToken(token, { publicKey, keyId: opts.keyId, teamId: opts.teamId, nowS: Math.floor(now() / 1000) });
    },
    addAlbum(input: FakeAlbumInput): FakeAlbum {
      const id = input.id ?? newId();
      const liveAt = input.liveAt ?? null;
      const album: FakeAlbum = {
        id,
        name: input.name,
        artistName: input.artistName,
        upc: input.upc ?? null,
        storefronts: input.storefronts ?? ['us'],
        liveAt,
        releaseDate: input.releaseDate ?? new Date(liveAt ?? now()).toISOString().slice(0, 10),
        isSingle: input.isSingle ?? false,
        isCompilation: input.isCompilation ?? false,
        // Numeric, like Apple's catalog ids.
        artistId: String(parseInt(createHash('sha256').update(input.artistName).digest('hex').slice(0, 8), 16)),
        songIds: [],
      };
      state.albums.set(id, album);
      for (const t of input.tracks ?? []) {
        const sid = t.id ?? newId();
        state.songs.set(sid, { id: sid, name: t.name, artistName: input.artistName, isrc: t.isrc.toUpperCase(), albumId: id });
        album.songIds.push(sid);
      }
      return album;
    },
    /** A fan with an Apple Music subscription in `storefront`; returns the existing one when known. */
    addUser(name: string, o: { storefront?: string } = {}): FakeUser {
      const existing = state.users.get(name);
      if (existing) return existing;
      const user: FakeUser = {
        name,
        token: `mut.${randomBytes(48).toString('base64url')}`,
        storefront: o.storefront ?? 'us',
        revoked: false,
        library: new Map(),
      };
      state.users.set(name, user);
      state.tokens.set(user.token, user);
      return user;
    },
    tokenOf(name: string): string {
      return fake.addUser(name).token;
    },
    /** Catalog album ids in the fan's library. */
    libraryOf(name: string): string[] {
      const u = state.users.get(name);
      return u ? [...u.library.keys()].filter((k) => k.startsWith('albums:')).map((k) => k.slice(7)) : [];
    },
    /** The fan changed their password or removed the app: their Music User Token is refused (403, code 40300). */
    revoke(name: string) {
      const u = state.users.get(name);
      if (u) u.revoked = true;
    },
    async close() {
      await app.close();
    },
  };
  return fake;
}

export type AppleMusicFake = Awaited<ReturnType<typeof startAppleMusicFake>>;

function targetOf(method: string, path: string): FaultTarget | null {
  if (!path.startsWith('/v1/')) return null;
  if (path === '/v1/me/library' && method === 'POST') return 'save';
  if (/^\/v1\/catalog\/[^/]+\/[^/]+\/[^/]+\/library$/.test(path)) return 'verify';
  if (path === '/v1/me/storefront') return 'storefront';
  if (/^\/v1\/catalog\/[^/]+\/search$/.test(path)) return 'search';
  if (path.startsWith('/v1/catalog/')) return 'catalog';
  if (path.startsWith('/v1/me/')) return 'verify';
  return 'catalog';
}

function needsUser(path: string): boolean {
  return path.startsWith('/v1/me/') || /^\/v1\/catalog\/[^/]+\/[^/]+\/[^/]+\/library$/.test(path);
}

function apiError(reply: FastifyReply, status: number, title: string, detail: string, code: string) {
  return reply
    .code(status)
    .send({ errors: [{ id: randomBytes(13).toString('hex').toUpperCase(), title, detail, status: String(status), code }] });
}

function notFound(reply: FastifyReply) {
  return apiError(reply, 404, 'Resource Not Found', 'Resource with requested id was not found', '40400');
}

function badStorefront(reply: FastifyReply) {
  return apiError(reply, 400, 'Invalid Storefront', 'Storefront must be a two-letter country code', '40006');
}

function norm(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function slugify(s: string): string {
  return norm(s).replace(/ /g, '-') || 'album';
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}
