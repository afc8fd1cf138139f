import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';

/**
 * A stateful stand-in for the iTunes Search API's lookup (itunes.apple.com/lookup), the part
 * Dropday uses to find a release's Apple Music page by UPC. Shapes as documented: `{resultCount,
 * results:[{wrapperType:"collection", collectionType:"Album", collectionId, collectionName,
 * artistName, collectionViewUrl, releaseDate, country, …}]}`; an unknown UPC is `resultCount: 0`;
 * a lookup without an id is HTTP 400 `{errorMessage, queryParameters}`. A release is listed from
 * its `listedFrom` time (by the fake's clock). Apple asks for about 20 calls a minute and answers
 * a faster caller with 403 (no body, no Retry-After): the fake does the same over a sliding minute.
 */
export interface FakeItunesAlbum {
  collectionId: number;
  upc: string;
  artistName: string;
  collectionName: string;
  /** Storefronts it is in (lower-case), default ['us']. */
  countries: string[];
  /** Epoch ms from which the lookup lists it (pre-order or release); default: always. */
  listedFrom: number;
}

export interface RecordedItunesRequest {
  /** The fake's clock when it arrived. */
  at: number;
  query: Record<string, string>;
  status: number;
}

export interface ItunesFake {
  /** Point ITUNES_LOOKUP_URL here. */
  url: string;
  albums: FakeItunesAlbum[];
  requests: RecordedItunesRequest[];
  addAlbum(a: Partial<FakeItunesAlbum> & Pick<FakeItunesAlbum, 'upc' | 'artistName' | 'collectionName'>): FakeItunesAlbum;
  env(): Record<string, string>;
  close(): Promise<void>;
}

const slugOf = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'album';

/** UPC-A and its EAN-13 form (leading 0) are one barcode. */
const gtin = (s: string) => s.replace(/\D/g, '').padStart(14, '0');

export async function startItunesFake(opts: { now?: () => number; perMinute?: number } = {}): Promise<ItunesFake> {
  const now = opts.now ?? Date.now;
  const perMinute = opts.perMinute ?? 20;
  const albums: FakeItunesAlbum[] = [];
  const requests: RecordedItunesRequest[] = [];
  let nextId = 1_700_000_001;
  const app = Fastify({ logger: false });

  app.get('/lookup', async (req, reply) => {
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) if (typeof v === 'string') query[k] = v;
    const at = now();
    const recent = requests.filter((r) => r.at > at - 60_000 && r.status !== 403).length;
    const record = (status: number) => requests.push({ at, query, status });
    if (recent >= perMinute) {
      record(403);
      return reply.code(403).send('');
    }
    const country = (query.country ?? 'us').toLowerCase();
    if (!query.upc && !query.id) {
      record(400);
      return reply.code(400).send({
        errorMessage: 'Invalid value(s) for key(s): [id, upc]',
        queryParameters: {
          output: 'json',
          callback: 'A javascript function to handle your search results',
          country: 'ISO-2A country code',
          limit: '1-200',
          lang: 'en_us or ja_jp',
        },
      });
    }
    const wanted = (query.upc ?? '').split(',').filter(Boolean).map(gtin);
    const hits = albums.filter(
      (a) =>
        (wanted.includes(gtin(a.upc)) || query.id?.split(',').includes(String(a.collectionId))) &&
        a.countries.includes(country) &&
        a.listedFrom <= at,
    );
    record(200);
    return reply.header('content-type', 'text/javascript; charset=utf-8').send(
      JSON.stringify({
        resultCount: hits.length,
        results: hits.map((a) => ({
          wrapperType: 'collection',
          collectionType: 'Album',
          artistId: 900_000 + (a.collectionId % 1000),
          collectionId: a.collectionId,
          artistName: a.artistName,
          collectionName: a.collectionName,
          collectionCensoredName: a.collectionName,
          artistViewUrl: `https://music.apple.com/${country}/artist/${slugOf(a.artistName)}/${900_000 + (a.collectionId % 1000)}?uo=4`,
          collectionViewUrl: `https://music.apple.com/${country}/album/${slugOf(a.collectionName)}/${a.collectionId}?uo=4`,
          artworkUrl100: `https://is1-ssl.mzstatic.com/image/thumb/Music/${a.collectionId}/100x100bb.jpg`,
          collectionExplicitness: 'notExplicit',
          trackCount: 1,
          copyright: `℗ ${new Date(a.listedFrom > 0 ? a.listedFrom : at).getUTCFullYear()} ${a.artistName}`,
          country: country.toUpperCase() === 'US' ? 'USA' : country.toUpperCase(),
          currency: 'USD',
          releaseDate: new Date(a.listedFrom > 0 ? a.listedFrom : at).toISOString().replace(/\.\d+Z$/, 'Z'),
          primaryGenreName: 'Pop',
        })),
      }),
    );
  });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    albums,
    requests,
    addAlbum(a) {
      const album: FakeItunesAlbum = {
        collectionId: a.collectionId ?? nextId++,
        countries: a.countries ?? ['us'],
        listedFrom: a.listedFrom ?? 0,
        ...a,
      } as FakeItunesAlbum;
      albums.push(album);
      return album;
    },
    env: () => ({ ITUNES_LOOKUP_URL: url }),
    close: () => app.close(),
  };
}
