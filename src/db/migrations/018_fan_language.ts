import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * The fan's language (one of i18n/languages.ts), chosen on the campaign page: carried through
 * the connect round trip on the OAuth state, and kept on the pre-save so its receipt page (and
 * the messages later sent about it) read in that language. Null on rows made before: the
 * receipt then chooses as the campaign page does.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('oauth_states').addColumn('lang', 'text').execute();
  await db.schema.alterTable('presaves').addColumn('lang', 'text').execute();
}
