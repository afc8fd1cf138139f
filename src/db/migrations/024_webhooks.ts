import { type Kysely } from 'kysely';
import { idColumn, type Dialect } from '../dialect.js';

/**
 * Signed webhooks (docs/webhooks.md): a workspace's endpoints, the events recorded for them (a
 * stable `msg_…` id, the payload as sent) and one delivery row per event and endpoint — the queue
 * row of the delivery loop (delivery/queue-spec.ts columns) plus what the log shows.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await idColumn(db.schema.createTable('webhook_endpoints'), dialect)
    // Public id (`we_…`): the API's and the settings page's name for it.
    .addColumn('public_id', 'text', (c) => c.notNull().unique())
    .addColumn('workspace_id', 'bigint', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    // JSON list of event types (webhooks/events.ts).
    .addColumn('events', 'text', (c) => c.notNull())
    // `whsec_…`, encrypted with the server's key (ctx.cipher); the previous one keeps signing until
    // `previous_secret_until` after a rotation.
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('previous_secret_enc', 'text')
    .addColumn('previous_secret_until', 'bigint')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    // Why it is off, in words (the owner turned it off, 410 Gone, too many failures).
    .addColumn('disabled_reason', 'text')
    // The failure streak (docs/webhooks.md "Disabling"): failed attempts with no success since
    // `failing_since`, counted at most once per WEBHOOK_FAILURE_WINDOW_MINUTES (the last counted at
    // `failure_counted_at`), so a burst of queued events to a receiver down for a few minutes
    // counts once, not once per event.
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failing_since', 'bigint')
    .addColumn('failure_counted_at', 'bigint')
    // When the owners were last told about failures (one mail at the threshold, one when disabled).
    .addColumn('failure_notice_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_endpoints_workspace').on('webhook_endpoints').columns(['workspace_id', 'created_at']).execute();

  await idColumn(db.schema.createTable('webhook_events'), dialect)
    // The stable id receivers deduplicate on (`webhook-id`), the same on every attempt.
    .addColumn('msg_id', 'text', (c) => c.notNull().unique())
    .addColumn('workspace_id', 'bigint', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    // What the event is about (`presave.saved:<presave id>`): recording it twice records nothing.
    .addColumn('dedupe', 'text', (c) => c.notNull().unique())
    // The JSON body sent: {type, timestamp, data}.
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await idColumn(db.schema.createTable('webhook_deliveries'), dialect)
    .addColumn('public_id', 'text', (c) => c.notNull().unique())
    .addColumn('event_id', 'bigint', (c) => c.notNull().references('webhook_events.id').onDelete('cascade'))
    .addColumn('endpoint_id', 'bigint', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
    // `webhook:<host>`: the governor key.
    .addColumn('channel_key', 'text', (c) => c.notNull())
    // pending | delivered | failed | cancelled (the endpoint was disabled)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_token', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('last_status_code', 'integer')
    // The last failure in words ("connection refused", "answered 500", "redirects are not followed").
    .addColumn('last_error', 'text')
    // The start of the receiver's last answer (capped).
    .addColumn('response_excerpt', 'text')
    .addColumn('last_attempt_at', 'bigint')
    .addColumn('delivered_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('webhook_deliveries_event_endpoint', ['event_id', 'endpoint_id'])
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_endpoint').on('webhook_deliveries').columns(['endpoint_id', 'id']).execute();
  // The sweep (webhooks/sweep.ts) looks for a workspace's newly confirmed addresses every couple
  // of seconds: without this it walks every confirmed contact of every workspace (contacts_expiry).
  await db.schema.createIndex('contacts_audience_confirmed').on('contacts').columns(['audience', 'status', 'confirmed_at']).execute();
}
