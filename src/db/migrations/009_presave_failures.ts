import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * `failures`: attempts that reached the service and failed. `attempts` counts claims, and a claim
 * cut short by a crash (or a worker stopped with the row still queued) tells nothing about the
 * pre-save; giving up is decided on failures, so crashes cannot use up a fan's attempts.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('presaves')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
