import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppleMusicAdapter, accountIdFor } from '../src/providers/apple-music/adapter.js';
import { AppleMusicClient, GRANT_DEAD_REASON } from '../src/providers/apple-music/client.js';
import { DeveloperTokenSigner } from '../src/providers/apple-music/developer-token.js';
import type { AppleMusicConfig } from '../src/providers/apple-music/config.js';
import { ProviderError, type ReleaseQuery } from '../src/providers/types.js';
import { KEY_ID, TEAM_ID, musicKitKeyPair, startFakeWithKeys } from './fakes/apple-music/dropday.js';
import type { AppleMusicFake } from './fakes/apple-music/index.js';

const DAY = 86_400_000;

describe('Apple Music adapter against the fake', () => {
  let fake: AppleMusicFake;
  let privateKeyPem: string;
  let clock: number;
  let adapter: AppleMusicAdapter;

  function makeAdapter(o: { pem?: string; timeoutMs?: number } = {}): AppleMusicAdapter {
    const config: AppleMusicConfig = {
      teamId: TEAM_ID,
      keyId: KEY_ID,
      privateKeyPem: o.pem ?? privateKeyPem,
      tokenTtlSeconds: 7 * 86_400,
      apiBaseUrl: fake.url,
      musicKitJsUrl: `${fake.url}/musickit.js`,
      appName: 'Dropday Test',
    };
    return new AppleMusicAdapter(config, { timeoutMs: o.timeoutMs ?? 5000, now: () => clock });
  }

  beforeEach(async () => {
    clock = Date.now();
    ({ fake, privateKeyPem } = await startFakeWithKeys(() => clock));
    adapter = makeAdapter();
  });
  afterEach(async () => {
    await adapter.close();
    await fake.close();
  });

  const query = (q: Partial<ReleaseQuery> = {}): ReleaseQuery => ({
    upc: null,
    isrcs: [],
    artistName: 'Apple Artist',
    title: 'Orchard',
    ...q,
  });

  async function rejection(p: Promise<unknown>): Promise<ProviderError> {
    try {
      await p;
    } catch (err) {
      if (err instanceof ProviderError) return err;
      throw err;
    }
    throw new Error('expected a ProviderError');
  }

  describe('release resolution', () => {
    it('by UPC, verifying the barcode (UPC-A and EAN-13 with a leading zero are the same)', async () => {
      fake.addAlbum({ name: 'Orchard', artistName: 'Apple Artist', upc: '0000000000017' });
      const album = fake.addAlbum({ name: 'Orchard', artistName: 'Apple Artist', upc: '0036000291452' });
      const mut = fake.tokenOf('ana');
      const r = await adapter.resolveRelease(mut, query({ upc: '036000291452' }));
      expect(r).toMatchObject({ albumUri: `apple-music:album:${album.id}`, matchedBy: 'upc', title: 'Orchard' });
      expect(r!.albumUrl).toBe(`https://music.apple.com/us/album/orchard/${album.id}`);
      const call = fake.requests.find((q) => q.path === '/v1/catalog/us/albums')!;
      expect(call.query).toEqual({ 'filter[upc]': '036000291452' });
      // Catalog requests carry only the developer token.
      expect(call.headers.authorization).toMatch(/^Bearer ey/);
      expect(call.headers['music-user-token']).toBeUndefined();
    });

    it('by ISRC, then the song’s album: the release the campaign names, not a compilation', async () => {
      fake.addAlbum({
        name: 'Now That’s Music 99',
        artistName: 'Various Artists',
        isCompilation: true,
        tracks: [{ name: 'Orchard', isrc: 'GBAAA2600001' }],
      });
      const single = fake.addAlbum({
        name: 'Orchard - Single',
        artistName: 'Apple Artist',
        isSingle: true,
        tracks: [{ name: 'Orchard', isrc: 'GBAAA2600001' }],
      });
      const r = await adapter.resolveRelease(fake.tokenOf('ana'), query({ upc: '036000291452', isrcs: ['GB-AAA-26-00001'] }));
      expect(r).toMatchObject({ albumUri: `apple-music:album:${single.id}`, matchedBy: 'isrc' });
      expect(fake.requests.some((q) => q.path === '/v1/catalog/us/songs' && q.query['filter[isrc]'] === 'GBAAA2600001')).toBe(true);
    });

    it('by artist and exact title, rejecting sped-up, live, karaoke, other artists and old namesakes', async () => {
      fake.addAlbum({ name: 'Orchard (Sped Up)', artistName: 'Apple Artist' });
      fake.addAlbum({ name: 'Orchard (Live)', artistName: 'Apple Artist' });
      fake.addAlbum({ name: 'Orchard - Karaoke Version', artistName: 'Apple Artist' });
      fake.addAlbum({ name: 'Orchard', artistName: 'Someone Else' });
      fake.addAlbum({ name: 'Orchard', artistName: 'Apple Artist', releaseDate: '2019-05-01' });
      fake.addAlbum({ name: 'Orchard', artistName: 'Apple Artist', upc: '4006381333931' }); // another product
      const q = query({ upc: '036000291452', isrcs: ['GBAAA2600009'] });
      expect(await adapter.resolveRelease(fake.tokenOf('ana'), q)).toBeNull();

      const real = fake.addAlbum({ name: 'Orchard - Single', artistName: 'Apple Artist & Friend' });
      const r = await adapter.resolveRelease(fake.tokenOf('ana'), q);
      expect(r).toMatchObject({ albumUri: `apple-music:album:${real.id}`, matchedBy: 'title' });
      const search = fake.requests.find((x) => x.path === '/v1/catalog/us/search')!;
      expect(search.query).toMatchObject({ term: 'Apple Artist Orchard', types: 'albums' });
    });

    it('a release listed as a pre-order is not found until it is live', async () => {
      const album = fake.addAlbum({ name: 'Orchard', artistName: 'Apple Artist', upc: '036000291452', liveAt: clock + DAY });
      const mut = fake.tokenOf('ana');
      expect(await adapter.resolveRelease(mut, query({ upc: '036000291452' }))).toBeNull();
      // Adding it now is accepted and silently ignored, as Apple does.
      await adapter.saveToLibrary(mut, [`apple-music:album:${album.id}`]);
      expect(await adapter.libraryContains(mut, [`apple-music:album:${album.id}`])).toEqual([false]);
      clock += DAY;
      expect(await adapter.resolveRelease(mut, query({ upc: '036000291452' }))).toMatchObject({ matchedBy: 'upc' });
    });

    it('looks in the fan’s storefront (from /v1/me/storefront), or the market when one is given', async () => {
      const album = fake.addAlbum({ name: 'Orchard', artistName: 'Apple Artist', upc: '036000291452', storefronts: ['gb'] });
      fake.addUser('ana', { storefront: 'us' });
      fake.addUser('ben', { storefront: 'gb' });
      expect(await adapter.resolveRelease(fake.tokenOf('ana'), query({ upc: '036000291452' }))).toBeNull();
      expect(await adapter.resolveRelease(fake.tokenOf('ana'), query({ upc: '036000291452', market: 'GB' }))).toMatchObject({
        albumUri: `apple-music:album:${album.id}`,
      });
      expect(await adapter.resolveRelease(fake.tokenOf('ben'), query({ upc: '036000291452' }))).toMatchObject({
        albumUri: `apple-music:album:${album.id}`,
      });
      expect(fake.requests.filter((r) => r.path.startsWith('/v1/catalog/gb/')).length).toBe(2);
    });
  });

  describe('account, save and verification', () => {
    it('the account id is derived from the Music User Token (Apple has no user id) and never reveals it', async () => {
      const mut = fake.tokenOf('ana');
      const account = await adapter.currentAccount(mut);
      expect(account.accountId).toBe(accountIdFor(mut));
      expect(account.accountId).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(mut).not.toContain(account.accountId);
      expect((await adapter.currentAccount(mut)).accountId).toBe(account.accountId);
      expect((await adapter.currentAccount(fake.tokenOf('ben'))).accountId).not.toBe(account.accountId);
      const call = fake.requests.find((r) => r.path === '/v1/me/storefront')!;
      expect(call.headers['music-user-token']).toBe(mut);
    });

    it('saves with POST /v1/me/library?ids[albums]= (202, no body) and verifies in the fan’s library', async () => {
      const album = fake.addAlbum({ name: 'Orchard', artistName: 'Apple Artist', upc: '036000291452' });
      const mut = fake.tokenOf('ana');
      const uri = `apple-music:album:${album.id}`;
      expect(await adapter.libraryContains(mut, [uri])).toEqual([false]);
      await adapter.saveToLibrary(mut, [uri]);
      expect(fake.libraryOf('ana')).toEqual([album.id]);
      expect(await adapter.libraryContains(mut, [uri])).toEqual([true]);
      const save = fake.requests.find((r) => r.method === 'POST')!;
      expect(save).toMatchObject({ path: '/v1/me/library', query: { 'ids[albums]': album.id }, status: 202 });
      expect(save.headers['music-user-token']).toBe(mut);
      expect(save.headers.authorization).toMatch(/^Bearer /);
    });

    it('silent 202: an album Apple cannot add for this fan is accepted, not added, and verification says so', async () => {
      const gbOnly = fake.addAlbum({ name: 'Orchard', artistName: 'Apple Artist', storefronts: ['gb'] });
      const mut = fake.tokenOf('ana'); // storefront us
      await adapter.saveToLibrary(mut, [`apple-music:album:${gbOnly.id}`, 'apple-music:album:999999']);
      expect(fake.requests.at(-1)).toMatchObject({ status: 202 });
      expect(fake.libraryOf('ana')).toEqual([]);
      expect(await adapter.libraryContains(mut, [`apple-music:album:${gbOnly.id}`, 'apple-music:album:999999'])).toEqual([false, false]);
    });

    it('a revoked Music User Token (403, code 40300) is grant_dead with the reason the artist sees', async () => {
      const mut = fake.tokenOf('ana');
      fake.revoke('ana');
      for (const call of [
        () => adapter.currentAccount(mut),
        () => adapter.saveToLibrary(mut, ['apple-music:album:1']),
        () => adapter.libraryContains(mut, ['apple-music:album:1']),
      ]) {
        const err = await rejection(call());
        expect(err.kind).toBe('grant_dead');
        expect(err.message).toBe(GRANT_DEAD_REASON);
      }
      expect(fake.requests.some((r) => r.status === 403)).toBe(true);
    });

    it('a 401 on the user token while the developer token works is grant_dead too', async () => {
      const err = await rejection(adapter.currentAccount(''));
      expect(err.kind).toBe('grant_dead');
      // Dropday asked a developer-token-only endpoint to tell the two apart.
      expect(fake.requests.map((r) => `${r.status} ${r.path}`)).toEqual(['401 /v1/me/storefront', '200 /v1/storefronts/us']);
    });
  });

  describe('errors', () => {
    it('a developer token signed with the wrong key is bad_config naming the settings to check', async () => {
      const wrong = makeAdapter({ pem: musicKitKeyPair().privateKeyPem });
      try {
        const mut = fake.tokenOf('ana');
        for (const call of [
          () => wrong.currentAccount(mut),
          () => wrong.resolveRelease(mut, query({ upc: '036000291452', market: 'us' })),
        ]) {
          const err = await rejection(call());
          expect(err.kind).toBe('bad_config');
          expect(err.message).toMatch(/developer token.*APPLE_MUSIC_TEAM_ID, APPLE_MUSIC_KEY_ID and the \.p8 key/);
        }
        expect(fake.requests.every((r) => r.status === 401)).toBe(true);
      } finally {
        await wrong.close();
      }
    });

    it('a revoked developer key is bad_config, not a dead fan', async () => {
      fake.faults.revokeDeveloperKey();
      const err = await rejection(adapter.saveToLibrary(fake.tokenOf('ana'), ['apple-music:album:1']));
      expect(err.kind).toBe('bad_config');
    });

    it('429 is retry_after with Retry-After as an absolute time; 5xx is transient; a hung request times out as transient', async () => {
      const mut = fake.tokenOf('ana');
      fake.faults.add({ kind: 'rate_limit', target: 'save', retryAfterSeconds: 7, count: 1 });
      const limited = await rejection(adapter.saveToLibrary(mut, ['apple-music:album:1']));
      expect(limited.kind).toBe('retry_after');
      expect(limited.details.retryAt).toBe(clock + 7000);
      const body = fake.requests.at(-1)!;
      expect(body.status).toBe(429);

      fake.faults.add({ kind: 'rate_limit', target: 'catalog', count: 1 });
      const noHeader = await rejection(adapter.resolveRelease(mut, query({ upc: '036000291452', market: 'us' })));
      expect(noHeader.kind).toBe('retry_after');
      expect(noHeader.details.retryAt).toBeGreaterThan(clock);

      fake.faults.add({ kind: 'server_error', target: 'verify', status: 503, count: 1 });
      const down = await rejection(adapter.libraryContains(mut, ['apple-music:album:1']));
      expect(down.kind).toBe('transient');
      expect(down.message).toMatch(/503/);

      const impatient = makeAdapter({ timeoutMs: 200 });
      try {
        fake.faults.add({ kind: 'slow', target: 'storefront', delayMs: 1000, count: 1 });
        const slow = await rejection(impatient.currentAccount(mut));
        expect(slow.kind).toBe('transient');
        expect(slow.message).toMatch(/timed out after 200 ms/);
      } finally {
        await impatient.close();
      }
    });

    it('Apple’s error body (status as a string) is read for the message', async () => {
      const client = new AppleMusicClient(fake.url, new DeveloperTokenSigner({ ...adapter.config }, () => clock), 1000, () => clock);
      try {
        const body = {
          errors: [{ id: 'X', title: 'Invalid Parameter Value', detail: 'limit must be from 1 to 25', status: '400', code: '40005' }],
        };
        const err = await client.classify(
          { status: 400, headers: {}, text: JSON.stringify(body) },
          'GET /v1/catalog/{storefront}/search',
          false,
        );
        expect(err.kind).toBe('bad_config');
        expect(err.message).toBe(
          'Apple Music GET /v1/catalog/{storefront}/search rejected the request (400): Invalid Parameter Value: limit must be from 1 to 25: code 40005',
        );
      } finally {
        await client.close();
      }
    });
  });

  describe('id look-ups (checking what an artist enters)', () => {
    it('asks the catalog with the developer token only: a known artist and album are found, others unknown', async () => {
      const album = fake.addAlbum({ name: 'Orchard', artistName: 'Apple Artist' });
      expect(await adapter.lookupArtist(`apple-music:artist:${album.artistId}`)).toBe('found');
      expect(await adapter.lookupArtist('apple-music:artist:1')).toBe('unknown');
      expect(await adapter.lookupArtist('apple-music:artist:abc')).toBe('unknown');
      expect(await adapter.lookupRelease(`apple-music:album:${album.id}`)).toBe('found');
      expect(await adapter.lookupRelease('apple-music:album:999999')).toBe('unknown');
    });

    it('a developer token Apple refuses is an error (the id is saved unchecked), not an unknown id', async () => {
      const album = fake.addAlbum({ name: 'Orchard', artistName: 'Apple Artist' });
      fake.state.developerKeyRevoked = true;
      await expect(adapter.lookupArtist(`apple-music:artist:${album.artistId}`)).rejects.toMatchObject({ kind: 'bad_config' });
    });
  });
});
