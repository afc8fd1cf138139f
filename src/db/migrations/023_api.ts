import { type Kysely } from 'kysely';
import { idColumn, type Dialect } from '../dialect.js';

/**
 * The REST API (docs/api.md): workspace API keys and the answers kept for `Idempotency-Key`.
 * A key is stored only as a hash of its secret; its prefix (shown in lists, never enough to use it)
 * finds the row. Deleting a workspace takes its keys and their remembered answers.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await idColumn(db.schema.createTable('api_keys'), dialect)
    .addColumn('workspace_id', 'bigint', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    // The public part, e.g. `ddk_7Hq2Lm9x`: unique, shown in lists and logs, useless without the secret.
    .addColumn('prefix', 'text', (c) => c.notNull().unique())
    // SHA-256 (base64url) of the whole key: 32 random bytes need no slow hash.
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // JSON list of scopes, e.g. ["campaigns:read","campaigns:write"] (api/scopes.ts).
    .addColumn('scopes', 'text', (c) => c.notNull())
    // Who made it: a member (null once the user is deleted) or the operator's CLI ('cli').
    .addColumn('created_by_user_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_via', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('api_keys_workspace').on('api_keys').columns(['workspace_id', 'created_at']).execute();

  // The first answer to a POST with an Idempotency-Key, replayed for a retry with the same key
  // (per API key; a different body under the same key is refused).
  await db.schema
    .createTable('api_idempotency')
    .addColumn('key_id', 'bigint', (c) => c.notNull().references('api_keys.id').onDelete('cascade'))
    .addColumn('idem_key', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    // SHA-256 of the request body: the same key with another body is a client bug (422).
    .addColumn('body_hash', 'text', (c) => c.notNull())
    // null while the first request is still running (a concurrent retry gets 409).
    .addColumn('status', 'integer')
    .addColumn('response', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('api_idempotency_pk', ['key_id', 'idem_key'])
    .execute();
  await db.schema.createIndex('api_idempotency_expiry').on('api_idempotency').column('expires_at').execute();
}
