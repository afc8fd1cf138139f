import { describe, expect, it } from 'vitest';
import { isValidIsrc, isValidUpc, normalizeIsrc, withCheckDigit } from '../src/campaigns/identifiers.js';
import { validateCampaign, type CampaignInput } from '../src/campaigns/validate.js';
import { ValidationError } from '../src/errors.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const base: CampaignInput = {
  slug: 'my-single',
  artistName: 'Artist',
  title: 'Song',
  upc: '036000291452',
  releaseAt: '2026-12-05',
  timezone: 'Europe/Paris',
  timing: 'local',
  services: ['sandbox'],
};
const opts = { now: NOW, enabledServices: ['sandbox'] };

function problems(input: CampaignInput): Record<string, string> {
  try {
    validateCampaign(input, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).details!;
  }
  throw new Error('expected a validation error');
}

describe('release identifiers', () => {
  it('accepts UPC-A and EAN-13 with valid check digits', () => {
    expect(isValidUpc('036000291452')).toBe(true);
    expect(isValidUpc('4006381333931')).toBe(true);
  });
  it('rejects a wrong check digit, wrong length or letters', () => {
    expect(isValidUpc('036000291453')).toBe(false);
    expect(isValidUpc('03600029145')).toBe(false);
    expect(isValidUpc('03600029145X')).toBe(false);
  });
  it('computes check digits', () => {
    expect(withCheckDigit('03600029145')).toBe('036000291452');
  });
  it('normalises and checks ISRCs', () => {
    expect(normalizeIsrc('gb-aaa-26-00001')).toBe('GBAAA2600001');
    expect(isValidIsrc('GBAAA2600001')).toBe(true);
    expect(isValidIsrc('GBAAA260001')).toBe(false);
    expect(isValidIsrc('G1AAA2600001')).toBe(false);
  });
});

describe('campaign validation', () => {
  it('accepts a complete campaign and computes the release window', () => {
    const f = validateCampaign(base, opts);
    expect(f.release_local).toBe('2026-12-05T00:00:00');
    // Local timing: UTC+14 first, UTC-12 last — 26 hours apart.
    expect(f.last_release_at - f.first_release_at).toBe(26 * 3600_000);
  });
  it('global timing is one instant in the campaign time zone', () => {
    const f = validateCampaign({ ...base, timing: 'global' }, opts);
    expect(new Date(f.first_release_at).toISOString()).toBe('2026-12-04T23:00:00.000Z');
    expect(f.last_release_at).toBe(f.first_release_at);
  });
  it('reads an instant with an offset as that instant', () => {
    const f = validateCampaign({ ...base, timing: 'global', releaseAt: '2026-12-05T10:00:00Z' }, opts);
    expect(f.first_release_at).toBe(Date.parse('2026-12-05T10:00:00Z'));
  });
  it('reports every bad field at once, by name', () => {
    const p = problems({
      ...base,
      slug: 'Bad Slug!',
      upc: '036000291453',
      isrcs: ['nope'],
      timezone: 'Mars/Olympus',
      services: ['myspace'],
    });
    expect(Object.keys(p).sort()).toEqual(['isrc', 'services', 'slug', 'timezone', 'upc'].sort());
    expect(p.upc).toMatch(/check digit/);
    expect(p.timezone).toMatch(/IANA/);
  });
  it('refuses a release time in the past', () => {
    expect(problems({ ...base, releaseAt: '2026-11-01' }).releaseAt).toMatch(/future/);
  });
  it('refuses reserved slugs and a service not configured here', () => {
    expect(problems({ ...base, slug: 'admin' }).slug).toMatch(/reserved/);
    // The fans' pages of reach (/c/…, /f/…, /n/…) and the account confirmation (/verify/…) own these.
    for (const slug of ['c', 'f', 'n', 'verify']) expect(problems({ ...base, slug }).slug, slug).toMatch(/reserved/);
    expect(problems({ ...base, services: ['spotify'] }).services).toMatch(/not configured/);
  });
  it('needs a UPC or an ISRC to find the release', () => {
    expect(problems({ ...base, upc: null, isrcs: [] }).upc).toMatch(/UPC or at least one ISRC/);
  });
  it('refuses unparseable dates and unknown timing modes', () => {
    const p = problems({ ...base, releaseAt: 'next friday', timing: 'soon' });
    expect(p.timing).toBeDefined();
  });
});
