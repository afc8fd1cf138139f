import { sql, type ColumnDataType, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

type Col = [name: string, type: ColumnDataType];

/**
 * A table keyed by its primary key. On SQLite it is a WITHOUT ROWID table: rows are stored in key
 * order, so an upsert touches one B-tree instead of two and a range read is one sequential scan
 * (PostgreSQL has no such option; its heap + primary-key index is the usual shape).
 */
function keyed<T extends string, C extends string>(t: CreateTableBuilder<T, C>, dialect: Dialect): CreateTableBuilder<T, C> {
  return dialect === 'sqlite' ? t.modifyEnd(sql`WITHOUT ROWID`) : t;
}

/** A rollup table: key columns (the primary key) and counters that start at 0. */
async function rollupTable(db: Kysely<unknown>, dialect: Dialect, name: string, keys: Col[], sums: Col[]): Promise<void> {
  let t: CreateTableBuilder<string, string> = db.schema.createTable(name);
  for (const [col, type] of keys) t = t.addColumn(col, type, (c) => c.notNull());
  for (const [col, type] of sums) t = t.addColumn(col, type, (c) => c.notNull().defaultTo(0));
  await keyed(t.addPrimaryKeyConstraint(`${name}_pk`, keys.map(([col]) => col) as never), dialect).execute();
}

const CAMPAIGN: Col = ['campaign_id', 'bigint'];
const DAY: Col = ['day', 'bigint'];
const EVENT: Col = ['event', 'text'];
const N: Col = ['n', 'integer'];

/**
 * Analytics: an append-only raw event log, hourly and daily rollups the dashboard reads, the
 * visitor state of the current day, and the daily salts. See docs/analytics.md.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
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

  const visitCounts: Col[] = [N, ['visits', 'integer'], ['visitors', 'integer']];
  await rollupTable(db, dialect, 'analytics_hourly', [CAMPAIGN, ['hour', 'bigint'], EVENT, ['service', 'text']], visitCounts);
  await rollupTable(db, dialect, 'analytics_daily', [CAMPAIGN, DAY, EVENT, ['service', 'text']], visitCounts);
  await rollupTable(
    db,
    dialect,
    'analytics_geo_daily',
    [CAMPAIGN, DAY, EVENT, ['country', 'text'], ['region', 'text'], ['city', 'text']],
    [N, ['ll_n', 'integer'], ['lat_sum', 'double precision'], ['lon_sum', 'double precision']],
  );
  // All-time totals of the two dimensions with many values: a dashboard range that covers the
  // whole campaign reads these (one row per place or domain) instead of one per day.
  await rollupTable(
    db,
    dialect,
    'analytics_geo_total',
    [CAMPAIGN, EVENT, ['country', 'text'], ['region', 'text'], ['city', 'text']],
    [N, ['ll_n', 'integer'], ['lat_sum', 'double precision'], ['lon_sum', 'double precision']],
  );
  await rollupTable(db, dialect, 'analytics_referrer_daily', [CAMPAIGN, DAY, EVENT, ['referrer', 'text']], [N]);
  await rollupTable(db, dialect, 'analytics_referrer_total', [CAMPAIGN, EVENT, ['referrer', 'text']], [N]);
  await rollupTable(
    db,
    dialect,
    'analytics_utm_daily',
    [CAMPAIGN, DAY, EVENT, ['utm_source', 'text'], ['utm_medium', 'text'], ['utm_campaign', 'text']],
    [N],
  );
  await rollupTable(db, dialect, 'analytics_device_daily', [CAMPAIGN, DAY, EVENT, ['device', 'text']], [N]);
  await rollupTable(db, dialect, 'analytics_bots_daily', [CAMPAIGN, DAY, EVENT], [N]);

  await keyed(
    db.schema
      .createTable('analytics_visitors')
      .addColumn('visitor', 'text', (c) => c.notNull())
      .addColumn('campaign_id', 'bigint', (c) => c.notNull())
      .addColumn('day', 'bigint', (c) => c.notNull())
      .addColumn('last_view_at', 'bigint', (c) => c.notNull())
      .addColumn('referrer', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('utm_source', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('utm_medium', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('utm_campaign', 'text', (c) => c.notNull().defaultTo(''))
      .addPrimaryKeyConstraint('analytics_visitors_pk', ['visitor', 'campaign_id', 'day']),
    dialect,
  ).execute();
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
