import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';

/** The pre-save's authorization is still usable: re-driving one whose grant is dead would be refused again. */
export const liveGrant = (eb: ExpressionBuilder<Database, 'presaves'>) =>
  eb.exists(
    eb.selectFrom('grants').select('grants.id').whereRef('grants.id', '=', 'presaves.grant_id').where('grants.status', '=', 'active'),
  );

/** A LIKE pattern matching `text` anywhere, with LIKE's own characters escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
}
