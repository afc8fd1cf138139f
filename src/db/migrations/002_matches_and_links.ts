import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Release matches per market (a store-turn release goes live market by market), with how each was
 * matched and whether the artist overrode it; link-out services for the smart link; the fan's market.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('release_matches')
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    .addColumn('service', 'text', (c) => c.notNull())
    // '' = every market (an artist's override, or a service without markets).
    .addColumn('market', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('album_uri', 'text', (c) => c.notNull())
    .addColumn('artist_uris', 'text', (c) => c.notNull())
    .addColumn('album_url', 'text')
    .addColumn('title', 'text')
    .addColumn('matched_by', 'text', (c) => c.notNull())
    .addColumn('overridden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('resolved_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('release_matches_pk', ['campaign_id', 'service', 'market'])
    .execute();
  await sql`INSERT INTO release_matches (campaign_id, service, market, album_uri, artist_uris, album_url, title, matched_by, overridden, resolved_at)
            SELECT campaign_id, service, '', album_uri, artist_uris, album_url, NULL, 'upc', 0, resolved_at FROM release_resolutions`.execute(
    db,
  );
  await db.schema.dropTable('release_resolutions').execute();

  await db.schema
    .createTable('campaign_links')
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_links_pk', ['campaign_id', 'service'])
    .execute();

  await db.schema.alterTable('presaves').addColumn('market', 'text').execute();
}
