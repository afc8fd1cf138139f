import type { Kysely } from 'kysely';
import { idColumn, type Dialect } from '../dialect.js';

/**
 * Reach (docs/reach.md): fans' contacts with recorded consent, web push subscriptions, the
 * messages Dropday sends them (a delivery-loop kind: the row is the work item, like a pre-save)
 * and forever saves. Addresses and subscriptions are encrypted at rest; look-ups go through a
 * keyed hash. `audience` is whose contact a row is: `w:<workspace id>`, or `c:<campaign id>` for a
 * campaign made from the CLI (no workspace).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await idColumn(db.schema.createTable('contacts'), dialect)
    .addColumn('audience', 'text', (c) => c.notNull())
    // HMAC of the normalized address (reach/contacts/address.ts): unique per audience.
    .addColumn('email_hash', 'text', (c) => c.notNull())
    .addColumn('email_enc', 'text', (c) => c.notNull())
    // The fan's capability for the preference page and one-click unsubscribe (random, 22 chars).
    .addColumn('manage_id', 'text', (c) => c.notNull().unique())
    // unconfirmed | confirmed | suppressed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    .addColumn('confirm_expires_at', 'bigint')
    .addColumn('confirmed_at', 'bigint')
    .addColumn('suppressed_at', 'bigint')
    .addColumn('suppressed_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('contacts_audience_email', ['audience', 'email_hash'])
    .execute();
  await db.schema.createIndex('contacts_expiry').on('contacts').columns(['status', 'confirm_expires_at']).execute();

  await idColumn(db.schema.createTable('push_subscriptions'), dialect)
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('endpoint_hash', 'text', (c) => c.notNull())
    // The PushSubscription JSON (endpoint, keys.p256dh, keys.auth), encrypted.
    .addColumn('subscription_enc', 'text', (c) => c.notNull())
    // The push service's host: the rate governor's key is `push:<host>`.
    .addColumn('endpoint_host', 'text', (c) => c.notNull())
    .addColumn('manage_id', 'text', (c) => c.notNull().unique())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('push_subscriptions_audience_endpoint', ['audience', 'endpoint_hash'])
    .execute();

  // Forever save: this grant saves the artist's future releases too (until stopped).
  await idColumn(db.schema.createTable('forever_saves'), dialect)
    .addColumn('audience', 'text', (c) => c.notNull())
    // The artist's name folded (reach/forever: same workspace, same artist).
    .addColumn('artist_key', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'bigint', (c) => c.notNull().references('grants.id'))
    .addColumn('service', 'text', (c) => c.notNull())
    // The pre-save it was asked on, and the contact told about new saves (when given).
    .addColumn('presave_id', 'bigint')
    .addColumn('contact_id', 'bigint', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('manage_id', 'text', (c) => c.notNull().unique())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('locale', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('stopped_at', 'bigint')
    .addUniqueConstraint('forever_saves_artist_grant', ['audience', 'artist_key', 'grant_id'])
    .execute();
  await db.schema.createIndex('forever_saves_artist').on('forever_saves').columns(['audience', 'artist_key']).execute();

  // One row per purpose a fan agreed to, with the exact words they were shown.
  await idColumn(db.schema.createTable('consents'), dialect)
    .addColumn('contact_id', 'bigint', (c) => c.references('contacts.id').onDelete('cascade'))
    .addColumn('push_id', 'bigint', (c) => c.references('push_subscriptions.id').onDelete('cascade'))
    // Forever save's own consent (a forever-saver need not leave a contact).
    .addColumn('forever_id', 'bigint', (c) => c.references('forever_saves.id').onDelete('cascade'))
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    // The service the fan asked to be reminded on (a link-out such as youtube-music); null: the smart link.
    .addColumn('service', 'text')
    // The pre-save the consent was given for (on its receipt page): its message is a receipt.
    .addColumn('presave_id', 'bigint')
    // remind | news | forever
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('text_version', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    // campaign | receipt
    .addColumn('page', 'text', (c) => c.notNull())
    // The fan's IANA zone when given: a local-timing release reaches them at their midnight.
    .addColumn('timezone', 'text')
    .addColumn('given_at', 'bigint', (c) => c.notNull())
    // When its owner confirmed it: an email consent by its own confirmation link (double opt-in per
    // consent, not only per address); push and forever at once (given_at). NULL: not yet — it
    // stands only once confirmed (reach/consents.ts).
    .addColumn('confirmed_at', 'bigint')
    .addColumn('withdrawn_at', 'bigint')
    // unsubscribe | preferences | erase | bounce
    .addColumn('withdrawn_via', 'text')
    .execute();
  await db.schema.createIndex('consents_contact').on('consents').column('contact_id').execute();
  await db.schema.createIndex('consents_push').on('consents').column('push_id').execute();
  await db.schema.createIndex('consents_campaign').on('consents').columns(['campaign_id', 'purpose']).execute();

  // The messages queue: a delivery-loop kind (delivery/queue-spec.ts columns).
  await idColumn(db.schema.createTable('messages'), dialect)
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    // confirm | out_now | reauth | forever_notice
    .addColumn('type', 'text', (c) => c.notNull())
    // email | push
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'bigint', (c) => c.references('contacts.id').onDelete('cascade'))
    .addColumn('push_id', 'bigint', (c) => c.references('push_subscriptions.id').onDelete('cascade'))
    .addColumn('presave_id', 'bigint')
    // At most one message per purpose and recipient: a second enqueue is a no-op. NULL: repeatable.
    .addColumn('dedupe', 'text', (c) => c.unique())
    // The governor key it spends: `mail:smtp`, `push:<host>`.
    .addColumn('channel_key', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    // pending | sent | failed | not_sent | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_token', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('last_error', 'text')
    // Why it was not delivered, as a code the dashboard words (bounced, no_mail_configured…).
    .addColumn('failure_reason', 'text')
    // What the message said of a pre-save (verified | failed | none), for the report.
    .addColumn('variant', 'text')
    .addColumn('sent_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('messages_due').on('messages').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('messages_campaign').on('messages').columns(['campaign_id', 'type', 'status']).execute();
  await db.schema.createIndex('messages_contact').on('messages').column('contact_id').execute();
  await db.schema.createIndex('messages_push').on('messages').column('push_id').execute();
}
