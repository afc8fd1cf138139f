import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TidalAdapter } from '../src/providers/tidal/adapter.js';
import type { ReleaseQuery } from '../src/providers/types.js';
import { startTidalFake, type TidalFake } from './fakes/tidal/index.js';
import { adapterFor, tokensFor } from './fakes/tidal/oauth.js';

/** Finding the release on TIDAL: by UPC, then ISRC, then artist + exact title, always verified. */

const UPC = '036000291452';
const OTHER_UPC = '4006381333931';
const ISRC = 'GBAYE2600001';
const HOUR = 3_600_000;

describe('TIDAL release resolution', () => {
  let fake: TidalFake;
  let clock: number;
  let adapter: TidalAdapter;
  let token: string;

  beforeEach(async () => {
    clock = Date.parse('2026-11-20T00:00:00Z');
    fake = await startTidalFake({ now: () => clock });
    adapter = adapterFor(fake, {}, { now: () => clock });
    token = (await tokensFor(adapter, 'resolver')).accessToken;
  });
  afterEach(async () => {
    await fake.close();
  });

  const query = (q: Partial<ReleaseQuery> = {}): ReleaseQuery => ({
    upc: UPC,
    isrcs: [ISRC],
    artistName: 'Tide Artist',
    title: 'High Water',
    ...q,
  });
  const lastCalls = () => fake.apiRequests().map((r) => `${r.method} ${r.path}`);

  it('by UPC: verifies the barcode and returns the album, its artists and its TIDAL link', async () => {
    const { album, artists } = fake.state.addRelease({
      artist: 'Tide Artist',
      otherArtists: ['Guest'],
      title: 'High Water',
      upc: UPC,
      isrcs: [ISRC],
    });
    const found = await adapter.resolveRelease(token, query());
    expect(found).toEqual({
      albumUri: `tidal:album:${album.id}`,
      albumUrl: `https://tidal.com/browse/album/${album.id}`,
      artistUris: artists.map((a) => `tidal:artist:${a.id}`),
      title: 'High Water',
      matchedBy: 'upc',
    });
    const call = fake.apiRequests().find((r) => r.path === '/v2/albums')!;
    expect(call.query).toMatchObject({ countryCode: 'US', 'filter[barcodeId]': [UPC, `0${UPC}`], include: 'artists' });
    expect(call.headers.accept).toBe('application/vnd.api+json');
  });

  it('by UPC: TIDAL holding the UPC-A as EAN-13 (leading 0) is the same barcode', async () => {
    const { album } = fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water', upc: `0${UPC}` });
    expect((await adapter.resolveRelease(token, query({ isrcs: [] })))?.albumUri).toBe(`tidal:album:${album.id}`);
  });

  it('uses the fan market as countryCode when known', async () => {
    fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water', upc: UPC });
    await adapter.resolveRelease(token, query({ market: 'in' }));
    expect(fake.apiRequests().find((r) => r.path === '/v2/albums')!.query.countryCode).toBe('IN');
  });

  it('never trusts the filter: albums with another barcode, tracks with another ISRC, are rejected', async () => {
    fake.state.ignoreFilters = true;
    fake.state.addRelease({ artist: 'Someone Else', title: 'Other Song', upc: OTHER_UPC, isrcs: ['USAAA2600009'] });
    expect(await adapter.resolveRelease(token, query())).toBeNull();
    expect(lastCalls()).toEqual(['GET /v2/albums', 'GET /v2/tracks', 'GET /v2/searchResults']);
  });

  it('by ISRC when the UPC is unknown to TIDAL; prefers the artist’s own release over a compilation', async () => {
    const comp = fake.state.addRelease({
      artist: 'Various Artists',
      title: 'Hits of 2026',
      upc: OTHER_UPC,
      isrcs: [ISRC],
      albumType: 'ALBUM',
    });
    const own = fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water', upc: '012345678905', isrcs: [ISRC] });
    expect(comp.tracks[0]!.isrc).toBe(own.tracks[0]!.isrc);
    const found = await adapter.resolveRelease(token, query());
    expect(found?.matchedBy).toBe('isrc');
    expect(found?.albumUri).toBe(`tidal:album:${own.album.id}`);
    const call = fake.apiRequests().find((r) => r.path === '/v2/tracks')!;
    expect(call.query).toMatchObject({ countryCode: 'US', 'filter[isrc]': ISRC, include: 'albums.artists' });
  });

  it('by ISRC: a track found only on a compilation or a variant is not the release', async () => {
    fake.state.addRelease({ artist: 'Various Artists', title: 'Hits of 2026', upc: OTHER_UPC, isrcs: [ISRC], albumType: 'ALBUM' });
    fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water', version: 'Sped Up', upc: '012345678905', isrcs: [ISRC] });
    expect(await adapter.resolveRelease(token, query({ upc: null }))).toBeNull();
  });

  it('by artist + exact title, rejecting sped-up, live, karaoke and other artists’ songs', async () => {
    fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water', version: 'Sped Up', upc: '111111111117' });
    fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water (Live at the Harbour)', upc: '222222222224' });
    fake.state.addRelease({ artist: 'Karaoke Stars', title: 'High Water (Karaoke Version)', upc: '333333333331' });
    fake.state.addRelease({ artist: 'Another Tide Artist', title: 'High Water', upc: '444444444448' });
    expect(await adapter.resolveRelease(token, query({ upc: null, isrcs: [] }))).toBeNull();

    const real = fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water', upc: '555555555555' });
    const found = await adapter.resolveRelease(token, query({ upc: null, isrcs: [] }));
    expect(found?.matchedBy).toBe('title');
    expect(found?.albumUri).toBe(`tidal:album:${real.album.id}`);
    const search = fake.apiRequests().find((r) => r.path === '/v2/searchResults')!;
    expect(search.query).toMatchObject({ countryCode: 'US', 'filter[query]': 'Tide Artist High Water', include: 'albums.artists' });
  });

  it('by title "Song - Single" is the single itself', async () => {
    const single = fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water - Single', upc: '555555555555' });
    expect((await adapter.resolveRelease(token, query({ upc: null, isrcs: [] })))?.albumUri).toBe(`tidal:album:${single.album.id}`);
  });

  it('by title with a UPC given: an older same-named release with another barcode is not it; a fresh one is', async () => {
    fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water', upc: OTHER_UPC, releaseDate: '2019-03-01' });
    expect(await adapter.resolveRelease(token, query({ isrcs: [] }))).toBeNull();
    const fresh = fake.state.addRelease({ artist: 'Tide Artist', title: 'High Water', upc: '012345678905', releaseDate: '2026-11-20' });
    expect((await adapter.resolveRelease(token, query({ isrcs: [] })))?.albumUri).toBe(`tidal:album:${fresh.album.id}`);
  });

  it('a release that goes live later is not found before, and found after', async () => {
    const { album } = fake.state.addRelease({
      artist: 'Tide Artist',
      title: 'High Water',
      upc: UPC,
      isrcs: [ISRC],
      availableFrom: clock + HOUR,
    });
    expect(await adapter.resolveRelease(token, query())).toBeNull();
    clock += HOUR;
    const found = await adapter.resolveRelease(token, query());
    expect(found?.albumUri).toBe(`tidal:album:${album.id}`);
    expect(found?.matchedBy).toBe('upc');
  });
});
