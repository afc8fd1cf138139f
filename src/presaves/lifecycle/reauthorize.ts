import type { Db } from '../../db/index.js';
import type { PresaveRow } from '../repo.js';
import type { AuthorizedFields } from './create.js';

/**
 * pending | failed | cancelled → pending: the fan authorized again. The new grant and times
 * replace the old ones and the counts start again. A saved pre-save is never repeated (the
 * fence), so the answer is undefined for it.
 */
export function reauthorizePresave(db: Db, id: number, fields: AuthorizedFields, now: number): Promise<PresaveRow | undefined> {
  return db
    .updateTable('presaves')
    .set({ ...fields, status: 'pending', attempts: 0, failures: 0, last_error: null, failure_reason: null, updated_at: now })
    .where('id', '=', id)
    .where('status', '!=', 'saved')
    .returningAll()
    .executeTakeFirst();
}
