import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * The in-app browser rescue's escape id (web/inapp/escape.ts) rides along with a connect's OAuth
 * state, so the pre-save made at the callback is attributed to the "Open in your browser" step by
 * that token. NULL for every connect that did not come through the step.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('oauth_states').addColumn('escape', 'text').execute();
}
