import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * The follow is its own outcome, apart from the album save: a pre-save whose album landed is
 * `saved` whatever happened to the follow. `follow_status`: null (no follow asked), `done`,
 * `queued` (to be tried again; the worker claims these like due pre-saves), `waiting` (the
 * service refused the artist id; the campaign is paused for follows until an editor resumes it),
 * `failed` (given up; `follow_error` says why). `follow_attempts` limits the retries of a follow.
 * The partial index keeps the follow queue's claim cheap, and free when it is empty.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('presaves').addColumn('follow_status', 'text').execute();
  await db.schema.alterTable('presaves').addColumn('follow_error', 'text').execute();
  await db.schema
    .alterTable('presaves')
    .addColumn('follow_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`CREATE INDEX presaves_follow_queue ON presaves (next_attempt_at) WHERE follow_status = 'queued'`.execute(db);
}
