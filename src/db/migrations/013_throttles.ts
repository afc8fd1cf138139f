import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Throttles as one counter row per key, so taking a slot is one atomic statement (an upsert whose
 * update only happens under the limit) on both databases: concurrent requests cannot all pass a
 * check made before the work, as they could with one row per event (the events table goes).
 * And an index for sweeping expired OAuth states off the request path.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('throttles')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    /** When the window that started with the first counted event ends and the count starts over. */
    .addColumn('reset_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('throttles_pk', ['scope', 'key_hash'])
    .execute();
  await db.schema.createIndex('throttles_reset_at').on('throttles').column('reset_at').execute();
  await db.schema.dropTable('login_attempts').execute();
  await db.schema.createIndex('oauth_states_expires_at').on('oauth_states').column('expires_at').execute();
}
