import { describe, expect, it } from 'vitest';
import { acceptedTags, chooseLang, clientWords, formatWallTime, t } from '../src/i18n/index.js';

/** How a fan page's language is chosen: `?lang=`, then Accept-Language among the campaign's, then its first. */
describe('chooseLang', () => {
  const choose = (query: unknown, acceptLanguage: string | null, campaignLanguages: string[]) =>
    chooseLang({ query, acceptLanguage, campaignLanguages });

  it('takes ?lang= first, when the campaign offers it', () => {
    expect(choose('de', 'fr-FR,fr;q=0.9', ['en', 'de', 'fr'])).toBe('de');
    expect(choose('DE-at', null, ['en', 'de'])).toBe('de');
    // Not offered by this campaign, or not a language at all: the next rule decides.
    expect(choose('hi', 'fr', ['en', 'fr'])).toBe('fr');
    expect(choose('klingon', 'fr', ['en', 'fr'])).toBe('fr');
    expect(choose(['de'], null, ['en', 'de'])).toBe('en');
  });

  it('reads Accept-Language by q-value, then order, skipping q=0 and tags it cannot read', () => {
    expect(choose(undefined, 'fr;q=0.5, de;q=0.8, en;q=0.1', ['en', 'fr', 'de'])).toBe('de');
    expect(choose(undefined, 'ja, hi, bn', ['en', 'bn', 'hi'])).toBe('hi');
    expect(choose(undefined, 'de;q=0, fr;q=0.2', ['en', 'de', 'fr'])).toBe('fr');
    expect(choose(undefined, '*, ???, bn-IN', ['en', 'bn'])).toBe('bn');
    expect(acceptedTags('fr;q=0.5, de;q=0.8, en;q=0.1, x;q=0.05, y;q=0')).toEqual(['de', 'fr', 'en', 'x']);
  });

  it('maps regional tags to ours: pt-PT and pt to pt-BR, ar-EG to ar', () => {
    expect(choose(undefined, 'pt-PT', ['en', 'pt-BR'])).toBe('pt-BR');
    expect(choose(undefined, 'ar-EG,en;q=0.5', ['en', 'ar'])).toBe('ar');
  });

  it('falls back to the campaign’s first language, not English, when nothing matches', () => {
    expect(choose(undefined, 'ja, zh', ['es', 'en'])).toBe('es');
    expect(choose(undefined, null, ['bn', 'en'])).toBe('bn');
  });

  it('offers every language of ours for a campaign without languages, and English when nothing matches', () => {
    expect(choose(undefined, 'hi-IN', [])).toBe('hi');
    expect(choose('ar', null, [])).toBe('ar');
    expect(choose(undefined, 'ja', [])).toBe('en');
    // A list naming only languages we have no catalog for counts as none.
    expect(choose(undefined, 'de', ['ja', 'ko'])).toBe('de');
    expect(choose(undefined, null, ['ja'])).toBe('en');
  });

  it('answers the same for a header seen before (the parse is cached) and for odd, long headers', () => {
    const header = 'de-CH, de;q=0.9, en;q=0.8';
    expect(choose(undefined, header, ['en', 'de'])).toBe('de');
    expect(choose(undefined, header, ['en', 'de'])).toBe('de');
    expect(choose(undefined, 'x'.repeat(10_000), ['fr', 'en'])).toBe('fr');
    for (let i = 0; i < 600; i++) expect(choose(undefined, `ja;q=0.${i % 10}, es`, ['en', 'es'])).toBe('es');
  });
});

describe('locale-aware words', () => {
  it('writes dates with the locale’s own digits, and plurals by its rules', () => {
    expect(formatWallTime('2026-12-08T00:00:00', 'bn').date).toMatch(/[০-৯]/);
    expect(formatWallTime('2026-12-08T18:30:00', 'de')).toEqual({ date: '8. Dezember 2026', time: '18:30', midnight: false });
    expect(t('ar', 'campaign.countdown_days', { days: 2 })).toBe('يومان');
    expect(t('en', 'errors.rate_connect_ip', { seconds: 1 })).toContain('Please wait a second and try again');
  });

  it('gives scripts a plural’s branches and plain text with its {arguments}', () => {
    expect(clientWords('en', 'campaign.countdown_days')).toEqual({ one: '# day', other: '# days' });
    expect(clientWords('fr', 'campaign.countdown_left')).toBe('Sortie dans {time}');
  });
});
