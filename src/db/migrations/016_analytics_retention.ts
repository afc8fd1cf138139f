import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Raw analytics events are deleted after ANALYTICS_RETENTION_DAYS (src/analytics/retention.ts).
 * One row records from when the raw log is still complete: rollups before it are the only record
 * and `rebuildRollups` leaves them as they are. 0 = nothing deleted yet.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('analytics_retention')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('events_from', 'bigint', (c) => c.notNull())
    .execute();
  await (db as Kysely<{ analytics_retention: { id: number; events_from: number } }>)
    .insertInto('analytics_retention')
    .values({ id: 1, events_from: 0 })
    .execute();
}
