import { describe, expect, it } from 'vitest';
import { parseReleaseReference } from '../src/releases/release-urls.js';
import { linkUrlProblem } from '../src/providers/services.js';
import { orderForVisitor } from '../src/smartlink/links.js';

describe('release references for a manual match', () => {
  it('reads URIs and store URLs of each service', () => {
    expect(parseReleaseReference('spotify', 'https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy?si=x')).toEqual({
      albumUri: 'spotify:album:4aawyAB9vmqN3uQ7FjRGTy',
      albumUrl: 'https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy',
    });
    expect(parseReleaseReference('spotify', 'spotify:album:4aawyAB9vmqN3uQ7FjRGTy')?.albumUri).toBe('spotify:album:4aawyAB9vmqN3uQ7FjRGTy');
    expect(parseReleaseReference('apple-music', 'https://music.apple.com/us/album/some-name/1440857781')?.albumUri).toBe(
      'apple-music:album:1440857781',
    );
    expect(parseReleaseReference('tidal', 'https://tidal.com/browse/album/12345')?.albumUri).toBe('tidal:album:12345');
    expect(parseReleaseReference('deezer', 'https://www.deezer.com/fr/album/302127')?.albumUri).toBe('deezer:album:302127');
  });
  it('refuses another service’s URL or anything else', () => {
    expect(parseReleaseReference('spotify', 'https://evil.example/album/4aawyAB9vmqN3uQ7FjRGTy')).toBeNull();
    expect(parseReleaseReference('tidal', 'https://www.deezer.com/album/302127')).toBeNull();
    expect(parseReleaseReference('myspace', 'x')).toBeNull();
  });
});

describe('smart-link URLs and order', () => {
  it('accepts a link-out URL only on the service’s own hosts, over https', () => {
    expect(linkUrlProblem('youtube-music', 'https://music.youtube.com/playlist?list=OLAK5uy_x')).toBeNull();
    expect(linkUrlProblem('bandcamp', 'https://artist.bandcamp.com/album/x')).toBeNull();
    expect(linkUrlProblem('youtube-music', 'https://music.youtube.com.evil.example/x')).toMatch(/YouTube Music address/);
    expect(linkUrlProblem('soundcloud', 'http://soundcloud.com/a')).toMatch(/https/);
    expect(linkUrlProblem('soundcloud', 'javascript:alert(1)')).toMatch(/https/);
    expect(linkUrlProblem('myspace', 'https://myspace.com')).toMatch(/unknown service/);
  });
  it('orders by the visitor’s chosen service, then what their region uses', () => {
    const links = ['spotify', 'apple-music', 'jiosaavn', 'youtube-music', 'anghami'].map((service) => ({ service }));
    expect(orderForVisitor(links, { country: 'IN' }).map((l) => l.service)).toEqual([
      'jiosaavn',
      'spotify',
      'youtube-music',
      'apple-music',
      'anghami',
    ]);
    expect(orderForVisitor(links, { country: 'AE' })[0]!.service).toBe('anghami');
    expect(orderForVisitor(links, { country: 'US', preferred: 'youtube-music' })[0]!.service).toBe('youtube-music');
    expect(orderForVisitor(links, { country: 'US', apple: true })[0]!.service).toBe('apple-music');
  });
});
