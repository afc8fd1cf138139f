import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Releasing a fan's tokens asks "does this grant still have a pending pre-save?" after every
 * settle; without this index that was a scan of all pre-saves (O(N) per settle, O(N²) per
 * release — measured in docs/performance.md).
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('presaves_grant_status').on('presaves').columns(['grant_id', 'status']).execute();
}
