import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * A table keyed by `campaign_id` whose rows a public page shows: every write to it bumps the
 * campaign's page version (migration 017), so the page cache (web/page-cache.ts) sees it at once,
 * whoever writes. Used by 022 and 025; it writes exactly the triggers 022 wrote before it existed
 * (same names, same SQL), so a database migrated by either version is the same.
 */
export async function bumpPageVersionOnWrite(db: Kysely<unknown>, dialect: Dialect, table: string): Promise<void> {
  if (dialect === 'sqlite') {
    for (const [op, row] of [
      ['INSERT', 'NEW'],
      ['UPDATE', 'NEW'],
      ['DELETE', 'OLD'],
    ] as const) {
      await sql
        .raw(
          `CREATE TRIGGER page_version_${table}_${op.toLowerCase()} AFTER ${op} ON ${table} BEGIN
             INSERT INTO page_versions (campaign_id, version) VALUES (${row}.campaign_id, 1)
             ON CONFLICT (campaign_id) DO UPDATE SET version = page_versions.version + 1;
           END`,
        )
        .execute(db);
    }
    return;
  }
  // page_version_bump_by_campaign_id() is migration 017's.
  await sql
    .raw(
      `CREATE TRIGGER page_version_${table} AFTER INSERT OR UPDATE OR DELETE ON ${table}
       FOR EACH ROW EXECUTE FUNCTION page_version_bump_by_campaign_id()`,
    )
    .execute(db);
}
