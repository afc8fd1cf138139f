import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * `slot_take`: how many tokens the last refill got, written by the same UPDATE that takes them
 * (see RateGovernor.take), so a process can ask for exactly what it needs and learn what it got
 * in one round trip.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('service_governors')
    .addColumn('slot_take', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
