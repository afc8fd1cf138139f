import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * The campaign editor: theme colours, languages, artwork version and archive record per campaign,
 * and the main artist's id on each service. Separate tables (not new campaign columns), so
 * src/campaigns stays as it is. Both are created only if missing.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('campaign_editor')
    .ifNotExists()
    .addColumn('campaign_id', 'bigint', (c) => c.primaryKey().references('campaigns.id'))
    .addColumn('theme_accent', 'text')
    .addColumn('theme_background', 'text')
    .addColumn('languages', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('artwork_version', 'text')
    .addColumn('archived_at', 'bigint')
    .addColumn('archived_by', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('campaign_artist_ids')
    .ifNotExists()
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('artist_uri', 'text', (c) => c.notNull())
    .addColumn('artist_url', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_artist_ids_pk', ['campaign_id', 'service'])
    .execute();
}
