import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Saves first, verification after: when a service's rate budget is the bottleneck, the engine
 * spends it on album saves and leaves each save's verification for later (fulfillment/process.ts).
 * `save_accepted_at` marks that in-between state durably: when the service accepted the album
 * save whose verification is still to do. The row stays `pending` (a pre-save counts as saved only
 * once verified), holds no lease while it waits, and is due at `next_attempt_at` like any pending
 * row; the worker claims it from the verify queue when no save is due. A crash loses nothing: a
 * row whose save landed before it was marked is claimed as a save again and looks before writing;
 * a marked row is verified by whichever worker claims it, and saved again if the album is missing.
 *
 * The save queue and the verify queue are two partial indexes, so neither claim walks the other's
 * rows (and the verify queue costs nothing when empty, as with budget to spare). They replace
 * `presaves_due (status, next_attempt_at)`: SQLite's planner preferred that one for the save claim,
 * which then stepped over every row waiting for verification.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('presaves').addColumn('save_accepted_at', 'bigint').execute();
  await sql`CREATE INDEX presaves_save_queue ON presaves (next_attempt_at) WHERE status = 'pending' AND save_accepted_at IS NULL`.execute(
    db,
  );
  await sql`CREATE INDEX presaves_verify_queue ON presaves (next_attempt_at) WHERE status = 'pending' AND save_accepted_at IS NOT NULL`.execute(
    db,
  );
  await db.schema.dropIndex('presaves_due').execute();
}
