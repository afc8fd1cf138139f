import type { Kysely } from 'kysely';
import { idColumn, type Dialect } from '../dialect.js';
import { bumpPageVersionOnWrite } from './page-version-trigger.js';

/**
 * Server-side conversion events (docs/conversions.md): the artist's pixel ids and tokens per
 * campaign (tokens encrypted with the server's cipher), the fan's answer to the tracking prompt per
 * browser, and the queue of events to Meta, TikTok and GA4 (a delivery kind: delivery/queue-spec.ts).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  // One row per campaign with any platform set (conversions/settings.ts is its only writer).
  await db.schema
    .createTable('conversion_settings')
    .addColumn('campaign_id', 'bigint', (c) => c.primaryKey().references('campaigns.id'))
    .addColumn('meta_pixel_id', 'text')
    .addColumn('meta_token_enc', 'text')
    .addColumn('tiktok_pixel_code', 'text')
    .addColumn('tiktok_token_enc', 'text')
    .addColumn('ga4_measurement_id', 'text')
    .addColumn('ga4_secret_enc', 'text')
    // A platform refused the token (Meta 190, TikTok 40001): when, and its words. Cleared when the
    // artist replaces the token; while set, nothing more is sent to that platform.
    .addColumn('meta_refused_at', 'bigint')
    .addColumn('meta_refusal', 'text')
    .addColumn('tiktok_refused_at', 'bigint')
    .addColumn('tiktok_refusal', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // A browser's answer to "measure this visit?" for one campaign; the browser only as a keyed hash
  // of its `dropday_fan` cookie. The latest row for (campaign, browser) is the answer that stands.
  await idColumn(db.schema.createTable('conversion_consents'), dialect)
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    .addColumn('browser_key', 'text', (c) => c.notNull())
    // allow | deny
    .addColumn('choice', 'text', (c) => c.notNull())
    // The words shown, exactly, in the fan's language, and which version of them.
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('text_version', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conversion_consents_browser')
    .on('conversion_consents')
    .columns(['campaign_id', 'browser_key', 'id'])
    .execute();

  // The queue: one row per event per platform (conversions/events/ is its only writer).
  await idColumn(db.schema.createTable('conversion_events'), dialect)
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    // meta | tiktok | ga4
    .addColumn('platform', 'text', (c) => c.notNull())
    // page_view | lead | registration (the platform's own name is chosen when sending)
    .addColumn('event', 'text', (c) => c.notNull())
    // Shared with the browser pixel for de-duplication.
    .addColumn('event_id', 'text', (c) => c.notNull())
    // What is sent, without any token or secret: hashed identifiers, IP, user agent, page URL, time.
    .addColumn('payload', 'text', (c) => c.notNull())
    // pending | sent | failed | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_token', 'text')
    .addColumn('lease_until', 'bigint')
    // The last failure in words ("Meta refused the access token: …").
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('conversion_events_once', ['campaign_id', 'platform', 'event', 'event_id'])
    .execute();
  await db.schema.createIndex('conversion_events_due').on('conversion_events').columns(['status', 'next_attempt_at']).execute();

  // Whether a campaign has pixels decides whether its cached page asks for consent (migration 017).
  await bumpPageVersionOnWrite(db, dialect, 'conversion_settings');
}
