import { sql } from 'kysely';
import type { Dialect } from '../../../db/dialect.js';
import type { Db } from '../../../db/index.js';
import type { Selectable } from 'kysely';
import type { MessageTable } from '../../../db/schema-reach.js';
import { claimDue, nextDue, numeric } from '../../../delivery/claim.js';
import { MESSAGE_QUEUE } from '../queue.js';

export type MessageRow = Selectable<MessageTable>;

const NUMERIC = [
  'id',
  'campaign_id',
  'contact_id',
  'push_id',
  'presave_id',
  'attempts',
  'failures',
  'next_attempt_at',
  'lease_until',
  'created_at',
  'updated_at',
] as const;

/** Due messages on keys that are open (a key paused by Retry-After or its breaker is left out). */
function which(excludeKeys: readonly string[]) {
  return excludeKeys.length
    ? sql`status = 'pending' AND channel_key NOT IN (${sql.join(excludeKeys.map((k) => sql`${k}`))})`
    : sql`status = 'pending'`;
}

/** pending (due, unheld) → pending with a lease, `attempts + 1`: one statement (delivery/claim.ts). */
export async function claimDueMessages(
  db: Db,
  dialect: Dialect,
  p: { owner: string; leaseToken: string; limit: number; leaseMs: number; now: number; excludeKeys: readonly string[] },
): Promise<MessageRow[]> {
  const rows = await claimDue<MessageRow>(db, dialect, MESSAGE_QUEUE, { ...p, which: which(p.excludeKeys) });
  return rows.map((r) => numeric(r, NUMERIC));
}

export function nextDueMessage(db: Db, excludeKeys: readonly string[]): Promise<number | null> {
  return nextDue(db, MESSAGE_QUEUE, which(excludeKeys));
}
