import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * A campaign paused on one service because the service refused its configuration (a wrong artist
 * id to follow, a release override the service does not know). Other campaigns and services go on;
 * the campaign's pre-saves on that service stay pending until an editor resumes it.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('campaign_pauses')
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    .addColumn('service', 'text', (c) => c.notNull())
    /** A stable code for the problem, e.g. `follow_artist_unknown`, `release_override_unknown`. */
    .addColumn('code', 'text', (c) => c.notNull())
    /** What to fix, in plain words, for the artist. */
    .addColumn('message', 'text', (c) => c.notNull())
    /** The service's own answer, for the details line. */
    .addColumn('detail', 'text')
    .addColumn('paused_at', 'bigint', (c) => c.notNull())
    .addColumn('notified_at', 'bigint')
    .addPrimaryKeyConstraint('campaign_pauses_pk', ['campaign_id', 'service'])
    .execute();
}
