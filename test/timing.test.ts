import { describe, expect, it } from 'vitest';
import { dueAtFor, isValidTimeZone, parseReleaseAt } from '../src/campaigns/timing.js';

describe('release timing', () => {
  const local = { timing: 'local', release_local: '2026-12-05T00:00:00', release_timezone: 'UTC' };
  it('local timing: each fan at their own midnight, New Zealand before Paris before New York', () => {
    const nz = dueAtFor(local, 'Pacific/Auckland');
    const paris = dueAtFor(local, 'Europe/Paris');
    const ny = dueAtFor(local, 'America/New_York');
    expect(new Date(nz).toISOString()).toBe('2026-12-04T11:00:00.000Z');
    expect(new Date(paris).toISOString()).toBe('2026-12-04T23:00:00.000Z');
    expect(new Date(ny).toISOString()).toBe('2026-12-05T05:00:00.000Z');
  });
  it('global timing: the same instant for every fan', () => {
    const g = { ...local, timing: 'global', release_timezone: 'America/Los_Angeles' };
    expect(dueAtFor(g, 'Pacific/Auckland')).toBe(dueAtFor(g, 'Europe/Paris'));
    expect(new Date(dueAtFor(g, 'Asia/Kolkata')).toISOString()).toBe('2026-12-05T08:00:00.000Z');
  });
  it('a wall time skipped by a DST jump still maps to a real instant', () => {
    const spring = { timing: 'local', release_local: '2027-03-28T02:30:00', release_timezone: 'UTC' };
    expect(Number.isFinite(dueAtFor(spring, 'Europe/Paris'))).toBe(true);
  });
  it('validates IANA zones and rejects junk', () => {
    expect(isValidTimeZone('Asia/Kolkata')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('<script>')).toBe(false);
    expect(isValidTimeZone(42)).toBe(false);
  });
  it('parses the forms people type', () => {
    expect(parseReleaseAt('2026-12-05', 'Europe/Paris')).toBe('2026-12-05T00:00:00');
    expect(parseReleaseAt('2026-12-05T18:30', 'Europe/Paris')).toBe('2026-12-05T18:30:00');
    expect(parseReleaseAt('2026-12-05T00:00:00Z', 'Europe/Paris')).toBe('2026-12-05T01:00:00');
    expect(parseReleaseAt('2026-13-05', 'UTC')).toBeNull();
    expect(parseReleaseAt('tomorrow', 'UTC')).toBeNull();
  });
});
