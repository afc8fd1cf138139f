import type { Kysely } from 'kysely';
import { idColumn, type Dialect } from '../dialect.js';

/** The foundation schema: campaigns, fans' grants and pre-saves, OAuth states, and the Sandbox. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await idColumn(db.schema.createTable('campaigns'), dialect)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('artist_name', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('release_type', 'text', (c) => c.notNull())
    .addColumn('artwork_url', 'text')
    .addColumn('upc', 'text')
    .addColumn('isrcs', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('release_local', 'text', (c) => c.notNull())
    .addColumn('release_timezone', 'text', (c) => c.notNull())
    .addColumn('timing', 'text', (c) => c.notNull())
    .addColumn('first_release_at', 'bigint', (c) => c.notNull())
    .addColumn('last_release_at', 'bigint', (c) => c.notNull())
    .addColumn('services', 'text', (c) => c.notNull())
    .addColumn('follow_artist', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await idColumn(db.schema.createTable('grants'), dialect)
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('access_token_enc', 'text', (c) => c.notNull())
    .addColumn('refresh_token_enc', 'text')
    .addColumn('access_expires_at', 'bigint')
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('authorized_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('dead_reason', 'text')
    .addColumn('refresh_lock_owner', 'text')
    .addColumn('refresh_lock_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('grants_service_account', ['service', 'account_id'])
    .execute();

  await idColumn(db.schema.createTable('presaves'), dialect)
    .addColumn('public_id', 'text', (c) => c.notNull().unique())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    .addColumn('grant_id', 'bigint', (c) => c.notNull().references('grants.id'))
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('locale', 'text')
    .addColumn('follow_artist', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_token', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('saved_uris', 'text')
    .addColumn('saved_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('presaves_one_per_account', ['campaign_id', 'service', 'account_id'])
    .execute();
  await db.schema.createIndex('presaves_due').on('presaves').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('presaves_campaign').on('presaves').columns(['campaign_id', 'status']).execute();

  await db.schema
    .createTable('release_resolutions')
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('album_uri', 'text', (c) => c.notNull())
    .addColumn('artist_uris', 'text', (c) => c.notNull())
    .addColumn('album_url', 'text')
    .addColumn('resolved_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('release_resolutions_pk', ['campaign_id', 'service'])
    .execute();

  await db.schema
    .createTable('oauth_states')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    .addColumn('browser_hash', 'text', (c) => c.notNull())
    .addColumn('verifier_enc', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('locale', 'text')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('admin_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // The Sandbox streaming service keeps its own state beside Dropday's, prefixed sandbox_.
  await db.schema
    .createTable('sandbox_artists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .execute();
  await db.schema
    .createTable('sandbox_releases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'bigint', (c) => c.unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('artist_id', 'text', (c) => c.notNull().references('sandbox_artists.id'))
    .addColumn('release_type', 'text', (c) => c.notNull())
    .addColumn('upc', 'text')
    .addColumn('isrcs', 'text', (c) => c.notNull())
    .addColumn('live_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sandbox_releases_upc').on('sandbox_releases').column('upc').execute();
  await db.schema
    .createTable('sandbox_auth_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('code_challenge', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('sandbox_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('code_challenge', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('sandbox_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sandbox_tokens_family').on('sandbox_tokens').column('family').execute();
  await db.schema.createIndex('sandbox_tokens_username').on('sandbox_tokens').column('username').execute();
  await db.schema
    .createTable('sandbox_library')
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('uri', 'text', (c) => c.notNull())
    .addColumn('saved_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sandbox_library_pk', ['username', 'uri'])
    .execute();
  await idColumn(db.schema.createTable('sandbox_faults'), dialect)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('remaining', 'integer')
    .addColumn('status_code', 'integer')
    .addColumn('retry_after_s', 'integer')
    .addColumn('delay_ms', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
