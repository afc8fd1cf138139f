import { describe, expect, it } from 'vitest';
import { isSameArtist, isSameTitle, isVariantTitle } from '../src/providers/matching.js';

describe('matching a release by artist and title', () => {
  it('accepts the same title up to case, accents, quotes and store suffixes', () => {
    expect(isSameTitle('Café Nights', 'cafe nights')).toBe(true);
    expect(isSameTitle('Don’t Stop', "Don't Stop")).toBe(true);
    expect(isSameTitle('Song', 'Song - Single')).toBe(true);
  });
  it('rejects sped-up, live, karaoke and remix versions', () => {
    for (const v of ['Song (Sped Up)', 'Song - Live', 'Song (Karaoke Version)', 'Song (Remix)', 'Song - Slowed + Reverb']) {
      expect(isSameTitle('Song', v)).toBe(false);
      expect(isVariantTitle('Song', v)).toBe(true);
    }
  });
  it('a title that is itself a live album is not a variant of itself', () => {
    expect(isVariantTitle('Live at Wembley', 'Live at Wembley')).toBe(false);
  });
  it('matches the artist among several', () => {
    expect(isSameArtist('Björk', ['Someone', 'bjork'])).toBe(true);
    expect(isSameArtist('Björk', ['Bjork Tribute Band'])).toBe(false);
  });
});
