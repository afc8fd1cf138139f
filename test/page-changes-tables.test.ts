import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPageGeneration } from '../src/db/page-changes.js';
import { createTestDb, type TestDb } from './helpers/db.js';

/**
 * Every table whose writes bump a campaign's page version (a trigger, for other processes) also moves
 * this process's page generation (db/page-changes.ts), so the page cache drops a page at once after
 * the artist changes what it shows — the tracking prompt appeared a second late when
 * conversion_settings was missing from the plugin's list.
 */
describe('this process’s page changes', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('sqlite');
  });
  afterAll(async () => t?.close());

  it('cover every table with a page-version trigger', async () => {
    const triggers = await sql<{ tbl_name: string }>`
      select distinct tbl_name from sqlite_master where type = 'trigger' and name like 'page_version%'`.execute(t.db);
    const tables = triggers.rows.map((r) => r.tbl_name).sort();
    expect(tables).toEqual(
      expect.arrayContaining(['campaign_links', 'campaigns', 'contests', 'conversion_settings', 'growth_settings', 'release_matches']),
    );
    const db = t.db as unknown as Kysely<Record<string, object>>;
    const missed: string[] = [];
    for (const table of tables) {
      const before = localPageGeneration();
      // A write that changes no row still says "this table may have changed".
      await db
        .deleteFrom(table)
        .where(sql<boolean>`1 = 0`)
        .execute();
      if (localPageGeneration() === before) missed.push(table);
    }
    expect(missed).toEqual([]);
  });
});
