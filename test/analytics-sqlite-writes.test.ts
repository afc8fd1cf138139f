import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsTransaction } from '../src/analytics/bulk.js';
import { writeEvents } from '../src/analytics/ingest.js';
import type { EnrichedEvent } from '../src/analytics/types.js';
import { sqliteConnection } from '../src/db/index.js';
import { createTestDb, type TestDb } from './helpers/db.js';

const event = (at: number, visitor: string): EnrichedEvent => ({
  campaign_id: 7,
  at,
  event: 'page_view',
  service: '',
  visitor,
  country: 'GB',
  region: 'England',
  city: 'London',
  lat: 51.5,
  lon: -0.12,
  referrer: 'instagram.com',
  utm_source: '',
  utm_medium: '',
  utm_campaign: '',
  device: 'mobile',
});

/**
 * Analytics transactions on SQLite skip the commit's fsync (synchronous = NORMAL) — and only they:
 * every other write, a pre-save's claim or settle above all, must keep synchronous = FULL.
 */
describe('SQLite analytics writes relax durability for themselves only', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('sqlite');
  });
  afterAll(() => t.drop());
  const synchronous = () => sqliteConnection(t.db)!.pragma('synchronous', { simple: true });

  it('runs the batch with synchronous = NORMAL and restores FULL after it, and after a failed one', async () => {
    expect(synchronous()).toBe(2);
    let inside: unknown;
    await analyticsTransaction(t.db, 'sqlite', { waitedMs: 0 }, async () => {
      inside = synchronous();
    });
    expect(inside).toBe(1);
    expect(synchronous()).toBe(2);

    const t0 = Date.UTC(2026, 5, 1, 12);
    await writeEvents(t.db, 'sqlite', [event(t0, 'a'), event(t0 + 1000, 'b'), event(t0 + 60 * 60_000, 'a')]);
    expect(synchronous()).toBe(2);
    const rows = await t.db.selectFrom('analytics_events').select(['visitor', 'is_visit']).orderBy('at').execute();
    expect(rows).toEqual([
      { visitor: 'a', is_visit: 1 },
      { visitor: 'b', is_visit: 1 },
      { visitor: 'a', is_visit: 1 },
    ]);

    // A batch that fails (NOT NULL) rolls back whole, and the setting is restored all the same.
    const bad = { ...event(t0, 'c'), country: null } as unknown as EnrichedEvent;
    await expect(writeEvents(t.db, 'sqlite', [event(t0 + 2000, 'd'), bad])).rejects.toThrow(/NOT NULL/);
    expect(synchronous()).toBe(2);
    expect(await t.db.selectFrom('analytics_events').select('visitor').where('visitor', 'in', ['c', 'd']).execute()).toEqual([]);
  });
});
