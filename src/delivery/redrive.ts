import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/index.js';
import type { QueueSpec } from './queue-spec.js';

/**
 * Re-drive: failed rows matching `which` go back to ready, due now, their counts reset (a fresh
 * set of attempts), with `set` for the queue's own columns (e.g. clearing its failure reason).
 * Idempotent: a second run finds nothing failed.
 */
export async function redriveFailed(
  db: Db,
  spec: QueueSpec,
  p: { which: RawBuilder<unknown>; set?: Record<string, unknown>; now: number },
): Promise<number> {
  const c = spec.columns;
  const columns: Record<string, unknown> = {
    [c.status]: spec.statuses.ready,
    [c.attempts]: 0,
    [c.failures]: 0,
    [c.nextAttemptAt]: p.now,
    ...p.set,
    [c.updatedAt]: p.now,
  };
  const assignments = sql.join(Object.entries(columns).map(([k, v]) => sql`${sql.ref(k)} = ${v}`));
  const result = await sql`
    UPDATE ${sql.table(spec.table)} SET ${assignments}
     WHERE ${sql.ref(c.status)} = ${spec.statuses.failed} AND ${p.which}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
