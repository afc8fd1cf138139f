import type { CreateTableBuilder, Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Analytics: an append-only raw event log, hourly and daily rollups the dashboard reads, the
 * visitor state of the current day, and the daily salts. See docs/analytics.md.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  // No primary key: the log is only appended to and scanned by (campaign_id, at).
  await db.schema
    .createTable('analytics_events')
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('visitor', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('is_visit', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('country', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('region', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('city', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('lat', 'double precision')
    .addColumn('lon', 'double precision')
    .addColumn('referrer', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('utm_source', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('utm_medium', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('utm_campaign', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('device', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('analytics_events_campaign_at').on('analytics_events').columns(['campaign_id', 'at']).execute();

  const counts = <T extends string>(t: CreateTableBuilder<T, never>) => t.addColumn('n', 'integer', (c) => c.notNull().defaultTo(0));

  await counts(
    db.schema
      .createTable('analytics_hourly')
      .addColumn('campaign_id', 'bigint', (c) => c.notNull())
      .addColumn('hour', 'bigint', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('service', 'text', (c) => c.notNull()),
  )
    .addColumn('visits', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('visitors', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('analytics_hourly_pk', ['campaign_id', 'hour', 'event', 'service'])
    .execute();

  await counts(
    db.schema
      .createTable('analytics_daily')
      .addColumn('campaign_id', 'bigint', (c) => c.notNull())
      .addColumn('day', 'bigint', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('service', 'text', (c) => c.notNull()),
  )
    .addColumn('visits', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('visitors', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('analytics_daily_pk', ['campaign_id', 'day', 'event', 'service'])
    .execute();

  await counts(
    db.schema
      .createTable('analytics_geo_daily')
      .addColumn('campaign_id', 'bigint', (c) => c.notNull())
      .addColumn('day', 'bigint', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('country', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('city', 'text', (c) => c.notNull()),
  )
    .addColumn('ll_n', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lat_sum', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('lon_sum', 'double precision', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('analytics_geo_daily_pk', ['campaign_id', 'day', 'event', 'country', 'region', 'city'])
    .execute();

  await counts(
    db.schema
      .createTable('analytics_referrer_daily')
      .addColumn('campaign_id', 'bigint', (c) => c.notNull())
      .addColumn('day', 'bigint', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('referrer', 'text', (c) => c.notNull()),
  )
    .addPrimaryKeyConstraint('analytics_referrer_daily_pk', ['campaign_id', 'day', 'event', 'referrer'])
    .execute();

  await counts(
    db.schema
      .createTable('analytics_utm_daily')
      .addColumn('campaign_id', 'bigint', (c) => c.notNull())
      .addColumn('day', 'bigint', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('utm_source', 'text', (c) => c.notNull())
      .addColumn('utm_medium', 'text', (c) => c.notNull())
      .addColumn('utm_campaign', 'text', (c) => c.notNull()),
  )
    .addPrimaryKeyConstraint('analytics_utm_daily_pk', ['campaign_id', 'day', 'event', 'utm_source', 'utm_medium', 'utm_campaign'])
    .execute();

  await counts(
    db.schema
      .createTable('analytics_device_daily')
      .addColumn('campaign_id', 'bigint', (c) => c.notNull())
      .addColumn('day', 'bigint', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('device', 'text', (c) => c.notNull()),
  )
    .addPrimaryKeyConstraint('analytics_device_daily_pk', ['campaign_id', 'day', 'event', 'device'])
    .execute();

  await counts(
    db.schema
      .createTable('analytics_bots_daily')
      .addColumn('campaign_id', 'bigint', (c) => c.notNull())
      .addColumn('day', 'bigint', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull()),
  )
    .addPrimaryKeyConstraint('analytics_bots_daily_pk', ['campaign_id', 'day', 'event'])
    .execute();

  await db.schema
    .createTable('analytics_visitors')
    .addColumn('visitor', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('last_view_at', 'bigint', (c) => c.notNull())
    .addColumn('referrer', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('utm_source', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('utm_medium', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('utm_campaign', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('analytics_visitors_pk', ['visitor', 'campaign_id', 'day'])
    .execute();
  await db.schema.createIndex('analytics_visitors_day').on('analytics_visitors').column('day').execute();

  await db.schema
    .createTable('analytics_salts')
    .addColumn('day', 'bigint', (c) => c.primaryKey())
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // The delivery report's live rate (saves in the last minutes) and the dashboard's saved-over-time.
  await db.schema.createIndex('presaves_campaign_saved_at').on('presaves').columns(['campaign_id', 'saved_at']).execute();
}
