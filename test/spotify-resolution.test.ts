import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpotifyAdapter } from '../src/providers/spotify/adapter.js';
import { sameBarcode } from '../src/providers/spotify/resolve.js';
import type { ReleaseQuery } from '../src/providers/types.js';
import { startSpotifyFake, type SpotifyFake } from './fakes/spotify/index.js';
import { consentAs, TEST_REDIRECT_URI } from './fakes/spotify/simulate.js';

/**
 * Release resolution against the fake: UPC first, then ISRC, then artist + exact title, every
 * candidate fetched with GET /albums/{id} and checked, look-alikes and variants rejected.
 */
const UPC = '036000291452';
const ISRC = 'GBAAA2600001';

let clock: number;
let fake: SpotifyFake;
let adapter: SpotifyAdapter;
let token: string;

const query = (q: Partial<ReleaseQuery>): ReleaseQuery => ({ upc: null, isrcs: [], artistName: 'Loop Artist', title: 'Neon Skies', ...q });

beforeEach(async () => {
  clock = Date.UTC(2026, 10, 20, 12);
  fake = await startSpotifyFake({ now: () => clock });
  adapter = new SpotifyAdapter(
    {
      clientId: fake.clientId,
      clientSecret: null,
      redirectUri: TEST_REDIRECT_URI,
      accountsBaseUrl: fake.url,
      apiBaseUrl: fake.apiUrl,
      legacyFollowFallback: false,
    },
    { timeoutMs: 5000, now: () => clock },
  );
  token = (await consentAs(fake, adapter, 'ana')).accessToken;
});

afterEach(async () => {
  // Every search the adapter sent stayed within Spotify's limit of 10.
  for (const r of fake.state.apiRequests('search')) expect(Number(r.query.limit)).toBeLessThanOrEqual(10);
  expect(fake.state.apiRequests().every((r) => r.status !== undefined && r.status < 400)).toBe(true);
  await adapter.close();
  await fake.close();
});

const fetchedAlbums = () => fake.state.apiRequests('albums').map((r) => r.path.split('/').pop());

describe('Spotify release resolution', () => {
  it('by UPC: a look-alike returned by search is fetched, its UPC differs, and it is rejected', async () => {
    const lookalike = fake.state.addAlbum({
      name: 'Neon Skies (Sped Up)',
      artists: ['Loop Artist'],
      upc: '4006381333931',
      searchAlso: [`upc:${UPC}`],
    });
    const real = fake.state.addAlbum({ name: 'Neon Skies', artists: ['Loop Artist', 'Guest'], upc: UPC });
    const found = await adapter.resolveRelease(token, query({ upc: UPC, isrcs: [ISRC] }));
    expect(found).toEqual({
      albumUri: `spotify:album:${real.id}`,
      albumUrl: `https://open.spotify.com/album/${real.id}`,
      artistUris: real.artists.map((a) => `spotify:artist:${a.id}`),
      title: 'Neon Skies',
      matchedBy: 'upc',
    });
    expect(fetchedAlbums()).toEqual([lookalike.id, real.id]);
    const search = fake.state.apiRequests('search')[0]!;
    expect(search.query).toMatchObject({ q: `upc:${UPC}`, type: 'album', limit: '5' });
  });

  it('by UPC: a 12-digit UPC matches the same barcode stored as EAN-13 (leading zero), and back', async () => {
    const real = fake.state.addAlbum({ name: 'Neon Skies', artists: ['Loop Artist'], upc: `0${UPC}` });
    expect((await adapter.resolveRelease(token, query({ upc: UPC })))?.albumUri).toBe(`spotify:album:${real.id}`);
    expect(fake.state.apiRequests('search').map((r) => r.query.q)).toEqual([`upc:${UPC}`, `upc:0${UPC}`]);
    expect((await adapter.resolveRelease(token, query({ upc: `0${UPC}` })))?.matchedBy).toBe('upc');
    expect(sameBarcode(UPC, `0${UPC}`)).toBe(true);
    expect(sameBarcode(UPC, '036000291453')).toBe(false);
    expect(sameBarcode('', '')).toBe(false);
  });

  it('by ISRC when the UPC finds nothing: the release titled like the campaign, not a compilation holding the same recording', async () => {
    fake.state.addAlbum({
      name: 'Summer Hits 2026',
      albumType: 'compilation',
      artists: ['Various Artists'],
      upc: '5012345678900',
      tracks: [{ name: 'Neon Skies', isrc: ISRC, artists: ['Loop Artist'] }, { name: 'Other' }, { name: 'More' }, { name: 'Most' }],
    });
    const single = fake.state.addAlbum({ name: 'Neon Skies', artists: ['Loop Artist'], upc: '4006381333931', tracks: [{ isrc: ISRC }] });
    const found = await adapter.resolveRelease(token, query({ upc: UPC, isrcs: ['GB-AAA-26-00001'.replace(/-/g, '')] }));
    expect(found?.matchedBy).toBe('isrc');
    expect(found?.albumUri).toBe(`spotify:album:${single.id}`);
    const isrcSearch = fake.state.apiRequests('search').find((r) => String(r.query.q).startsWith('isrc:'))!;
    expect(isrcSearch.query).toMatchObject({ q: `isrc:${ISRC}`, type: 'track' });
    expect(fetchedAlbums()).toEqual([single.id]); // verified with GET /albums/{id}; the compilation was never taken
  });

  it('by ISRC without a UPC: takes the album holding the track even under another title, but never a variant', async () => {
    fake.state.addAlbum({ name: 'Neon Skies (Slowed + Reverb)', artists: ['Loop Artist'], tracks: [{ isrc: ISRC }] });
    expect(await adapter.resolveRelease(token, query({ isrcs: [ISRC], title: 'Neon Skies', artistName: 'Nobody Else' }))).toBeNull();
    const album = fake.state.addAlbum({
      name: 'Night Drive',
      artists: ['Loop Artist'],
      tracks: [{ name: 'Neon Skies', isrc: ISRC }, { name: 'B' }, { name: 'C' }, { name: 'D' }],
    });
    const found = await adapter.resolveRelease(token, query({ isrcs: [ISRC] }));
    expect(found).toMatchObject({ albumUri: `spotify:album:${album.id}`, matchedBy: 'isrc', title: 'Night Drive' });
  });

  it('by artist + exact title as the last resort, rejecting sped-up, live, karaoke and other artists’ namesakes', async () => {
    for (const name of ['Neon Skies (Sped Up)', 'Neon Skies (Live)', 'Neon Skies - Karaoke Version', 'Neon Skies (Acoustic)']) {
      fake.state.addAlbum({ name, artists: ['Loop Artist'] });
    }
    fake.state.addAlbum({ name: 'Neon Skies', artists: ['Loop Artist Tribute Band'] });
    expect(await adapter.resolveRelease(token, query({ upc: UPC, isrcs: [ISRC] }))).toBeNull();
    expect(fetchedAlbums()).toEqual([]); // no candidate even deserved a look

    const real = fake.state.addAlbum({ name: 'Neon Skies', artists: ['Loop Artist'] });
    const found = await adapter.resolveRelease(token, query({ upc: UPC, isrcs: [ISRC] }));
    expect(found).toMatchObject({ albumUri: `spotify:album:${real.id}`, matchedBy: 'title', title: 'Neon Skies' });
    const titleSearch = fake.state.apiRequests('search').at(-1)!;
    expect(titleSearch.query).toMatchObject({ q: 'album:"Neon Skies" artist:"Loop Artist"', type: 'album' });
    expect(fetchedAlbums()).toEqual([real.id]);
  });

  it('“Song - Single” counts as the same title; quotes in a title cannot break the search syntax', async () => {
    const single = fake.state.addAlbum({ name: 'Neon Skies - Single', artists: ['Loop Artist'] });
    expect((await adapter.resolveRelease(token, query({})))?.albumUri).toBe(`spotify:album:${single.id}`);
    expect(await adapter.resolveRelease(token, query({ title: 'Say "Hi"' }))).toBeNull();
    expect(fake.state.apiRequests('search').at(-1)!.query.q).toBe('album:"Say Hi" artist:"Loop Artist"');
  });

  it('a release that is not live yet is not found; once it goes live it is', async () => {
    const album = fake.state.addAlbum({ name: 'Neon Skies', artists: ['Loop Artist'], upc: UPC, liveAt: clock + 60_000 });
    expect(await adapter.resolveRelease(token, query({ upc: UPC }))).toBeNull();
    clock += 60_000;
    expect((await adapter.resolveRelease(token, query({ upc: UPC })))?.albumUri).toBe(`spotify:album:${album.id}`);
  });

  it('passes the market when known, and an album not available there is not taken', async () => {
    fake.state.addAlbum({ name: 'Neon Skies', artists: ['Loop Artist'], upc: UPC, markets: ['GB'] });
    expect(await adapter.resolveRelease(token, query({ upc: UPC, market: 'IN' }))).toBeNull();
    expect(await adapter.resolveRelease(token, query({ upc: UPC, market: 'GB' }))).not.toBeNull();
    const albumCalls = fake.state.apiRequests('albums');
    expect(albumCalls.at(-1)!.query).toEqual({ market: 'GB' });
  });
});
