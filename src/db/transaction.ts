import type { Kysely } from 'kysely';

/**
 * Runs `fn` in a transaction, or in the caller's when `db` already is one: so a function that
 * writes several rows is atomic alone and also composes into a larger write (Kysely cannot nest
 * transactions). Inside, use only the `trx` given: on SQLite the one connection is held by it.
 */
export function inTransaction<DB, T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
