import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * A version per campaign for the public-page cache (web/page-cache.ts): every web process keeps
 * rendered pages in memory and asks, at most once a second, whether the versions of the campaigns
 * it holds moved. The version is bumped by triggers, so it changes in the same transaction as
 * anything a public page shows (the campaign row, its editor settings, release matches, link-outs)
 * whoever writes it: the editor, the CLI, the worker finding a match, or an operator's SQL.
 */
const WATCHED: { table: string; key: string }[] = [
  { table: 'campaigns', key: 'id' },
  { table: 'campaign_editor', key: 'campaign_id' },
  { table: 'release_matches', key: 'campaign_id' },
  { table: 'campaign_links', key: 'campaign_id' },
];

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('page_versions')
    .addColumn('campaign_id', 'bigint', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();

  if (dialect === 'sqlite') {
    for (const { table, key } of WATCHED) {
      for (const [op, row] of [
        ['INSERT', 'NEW'],
        ['UPDATE', 'NEW'],
        ['DELETE', 'OLD'],
      ] as const) {
        await sql
          .raw(
            `CREATE TRIGGER page_version_${table}_${op.toLowerCase()} AFTER ${op} ON ${table} BEGIN
               INSERT INTO page_versions (campaign_id, version) VALUES (${row}.${key}, 1)
               ON CONFLICT (campaign_id) DO UPDATE SET version = page_versions.version + 1;
             END`,
          )
          .execute(db);
      }
    }
    return;
  }

  // PostgreSQL: one function per key column name (a row's fields are resolved when it runs). The
  // function keeps the migration's search_path, so a write from a session without it still works.
  for (const key of ['id', 'campaign_id']) {
    await sql
      .raw(
        `CREATE FUNCTION page_version_bump_by_${key}() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
         DECLARE cid bigint;
         BEGIN
           IF TG_OP = 'DELETE' THEN cid := OLD.${key}; ELSE cid := NEW.${key}; END IF;
           INSERT INTO page_versions (campaign_id, version) VALUES (cid, 1)
           ON CONFLICT (campaign_id) DO UPDATE SET version = page_versions.version + 1;
           RETURN NULL;
         END $$`,
      )
      .execute(db);
  }
  for (const { table, key } of WATCHED) {
    await sql
      .raw(
        `CREATE TRIGGER page_version_${table} AFTER INSERT OR UPDATE OR DELETE ON ${table}
         FOR EACH ROW EXECUTE FUNCTION page_version_bump_by_${key}()`,
      )
      .execute(db);
  }
}
