import { sql, type RawBuilder } from 'kysely';

/** The pre-save's authorization is still usable: re-driving one whose grant is dead would be refused again. */
export const LIVE_GRANT = sql<boolean>`EXISTS (SELECT 1 FROM grants WHERE grants.id = presaves.grant_id AND grants.status = 'active')`;

/** `column` contains `text` anywhere (LIKE, with LIKE's own characters in `text` escaped). */
export function contains(column: 'failure_reason' | 'follow_error', text: string): RawBuilder<boolean> {
  const pattern = `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`${sql.ref(column)} LIKE ${pattern} ESCAPE '\\'`;
}
