import type { Kysely } from 'kysely';
import type { Db, Dialect } from '../db/index.js';
import type { Database } from '../db/schema.js';
import type { EditorTables } from '../db/schema-editor.js';
import { up as editorMigration } from '../db/migrations/006_editor.js';

export type EditorDb = Kysely<Database & EditorTables>;

/** The same connection, typed with the editor's tables (a no-op once EditorTables is merged into Database). */
export function editorDb(db: Db): EditorDb {
  return db as unknown as EditorDb;
}

/**
 * Creates the editor's tables when missing (migration 006 is idempotent). For tests and tools that
 * run before the migration is registered in src/db/index.ts; the app relies on the migration.
 */
export async function ensureEditorSchema(db: Db, dialect: Dialect): Promise<void> {
  await editorMigration(db as unknown as Kysely<unknown>, dialect);
}
