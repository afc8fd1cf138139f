import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Store links found automatically (docs/store-links.md): where each link-out came from, the
 * links an artist removed (never filled again), and one look-up schedule per campaign and source.
 * The public page reads only `campaign_links`, which migration 017 already watches: the two new
 * tables need no page-version trigger.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  // NULL source: the artist entered the link (never overwritten by a look-up).
  await db.schema.alterTable('campaign_links').addColumn('source', 'text').execute();
  await db.schema.alterTable('campaign_links').addColumn('found_at', 'bigint').execute();
  await db.schema.alterTable('campaign_links').addColumn('accepted_at', 'bigint').execute();

  await db.schema
    .createTable('campaign_link_dismissals')
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('dismissed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_link_dismissals_pk', ['campaign_id', 'service'])
    .execute();

  await db.schema
    .createTable('link_lookups')
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    // The identifiers looked up (UPC and ISRCs): a change starts the schedule again.
    .addColumn('ids', 'text', (c) => c.notNull())
    // waiting | done | stopped
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('next_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_at', 'bigint')
    .addColumn('last_result', 'text')
    .addColumn('found_at', 'bigint')
    .addPrimaryKeyConstraint('link_lookups_pk', ['campaign_id', 'source'])
    .execute();
  await db.schema.createIndex('link_lookups_due').on('link_lookups').columns(['state', 'next_at']).execute();
}
