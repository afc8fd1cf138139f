import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * One row per streaming service: the rate every worker process shares, a Retry-After pause,
 * and the quota breaker that waits for an operator.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('service_governors')
    .addColumn('service', 'text', (c) => c.primaryKey())
    // Requests per second granted across all processes; 0 = no limit known.
    .addColumn('rate_per_s', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('max_rate_per_s', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('slot', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('slot_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('paused_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('breaker_open', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('breaker_reason', 'text')
    .addColumn('last_429_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}
