import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';

/**
 * A stateful stand-in for Odesli (api.song.link/v1-alpha.1/links): given a store URL it answers
 * the release on every platform it knows, as documented: `{entityUniqueId, userCountry, pageUrl,
 * entitiesByUniqueId, linksByPlatform: {<platform>: {country, url, entityUniqueId}}}`. A URL it
 * cannot resolve (or a release not yet known to it, by the fake's clock) is 404
 * `{"statusCode":404,"code":"could_not_resolve_entity"}`; a missing `url` is 400. Without an API key
 * it allows 10 requests a minute (sliding, by the fake's clock), then 429 with Retry-After in
 * seconds until a request leaves the window; a valid key allows `keyPerMinute`, a wrong one is 401.
 */
export interface FakeOdesliRelease {
  id: string;
  /** platform → URL, e.g. { appleMusic: 'https://music.apple.com/us/album/x/1', youtubeMusic: … }. */
  links: Record<string, string>;
  /** Epoch ms from which Odesli knows it; default: always. */
  knownFrom: number;
}

export interface RecordedOdesliRequest {
  at: number;
  query: Record<string, string>;
  status: number;
}

export interface OdesliFake {
  /** Point ODESLI_API_URL here (it includes /v1-alpha.1). */
  apiUrl: string;
  releases: FakeOdesliRelease[];
  requests: RecordedOdesliRequest[];
  addRelease(links: Record<string, string>, knownFrom?: number): FakeOdesliRelease;
  env(): Record<string, string>;
  close(): Promise<void>;
}

const PLATFORM_PREFIX: Record<string, string> = {
  appleMusic: 'ITUNES_ALBUM',
  spotify: 'SPOTIFY_ALBUM',
  deezer: 'DEEZER_ALBUM',
  tidal: 'TIDAL_ALBUM',
  youtubeMusic: 'YOUTUBE_ALBUM',
  amazonMusic: 'AMAZON_ALBUM',
  soundcloud: 'SOUNDCLOUD_ALBUM',
  audiomack: 'AUDIOMACK_ALBUM',
  anghami: 'ANGHAMI_ALBUM',
  boomplay: 'BOOMPLAY_ALBUM',
  bandcamp: 'BANDCAMP_ALBUM',
};

/** Same page whatever the query string or a trailing slash. */
const sameUrl = (a: string, b: string) => {
  const norm = (s: string) => {
    try {
      const u = new URL(s);
      return `${u.hostname}${u.pathname.replace(/\/$/, '')}`;
    } catch {
      return s;
    }
  };
  return norm(a) === norm(b);
};

export async function startOdesliFake(
  opts: { now?: () => number; perMinute?: number; apiKey?: string; keyPerMinute?: number } = {},
): Promise<OdesliFake> {
  const now = opts.now ?? Date.now;
  const releases: FakeOdesliRelease[] = [];
  const requests: RecordedOdesliRequest[] = [];
  let next = 1;
  const app = Fastify({ logger: false });

  app.get('/v1-alpha.1/links', async (req, reply) => {
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) if (typeof v === 'string') query[k] = v;
    const at = now();
    const record = (status: number) => requests.push({ at, query, status });
    if (query.key !== undefined && query.key !== opts.apiKey) {
      record(401);
      return reply.code(401).send({ statusCode: 401, code: 'invalid_api_key' });
    }
    const limit = query.key !== undefined ? (opts.keyPerMinute ?? 600) : (opts.perMinute ?? 10);
    const counted = requests.filter((r) => r.at > at - 60_000 && r.status !== 429);
    if (counted.length >= limit) {
      const frees = counted[counted.length - limit]!.at + 60_000;
      record(429);
      return reply
        .code(429)
        .header('retry-after', String(Math.max(1, Math.ceil((frees - at) / 1000))))
        .send({ statusCode: 429, code: 'too_many_requests' });
    }
    if (!query.url) {
      record(400);
      return reply.code(400).send({ statusCode: 400, code: 'missing_url' });
    }
    const rel = releases.find((r) => r.knownFrom <= at && Object.values(r.links).some((u) => sameUrl(u, query.url!)));
    if (!rel) {
      record(404);
      return reply.code(404).send({ statusCode: 404, code: 'could_not_resolve_entity' });
    }
    const country = (query.userCountry ?? 'US').toUpperCase();
    const uid = (p: string) => `${PLATFORM_PREFIX[p] ?? p.toUpperCase()}::${rel.id}`;
    const input = Object.keys(rel.links).find((p) => sameUrl(rel.links[p]!, query.url!))!;
    record(200);
    return reply.send({
      entityUniqueId: uid(input),
      userCountry: country,
      pageUrl: `https://album.link/${country.toLowerCase()}/i/${rel.id}`,
      entitiesByUniqueId: Object.fromEntries(
        Object.keys(rel.links).map((p) => [
          uid(p),
          { id: rel.id, type: 'album', title: 'Album', artistName: 'Artist', apiProvider: p, platforms: [p] },
        ]),
      ),
      linksByPlatform: Object.fromEntries(Object.entries(rel.links).map(([p, url]) => [p, { country, url, entityUniqueId: uid(p) }])),
    });
  });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const apiUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1-alpha.1`;
  return {
    apiUrl,
    releases,
    requests,
    addRelease(links, knownFrom = 0) {
      const r = { id: String(next++), links, knownFrom };
      releases.push(r);
      return r;
    },
    env: () => ({ ODESLI_ENABLED: 'true', ODESLI_API_URL: apiUrl, ...(opts.apiKey ? { ODESLI_API_KEY: opts.apiKey } : {}) }),
    close: () => app.close(),
  };
}
