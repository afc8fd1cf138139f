import { sql } from 'kysely';
import type { Dialect } from '../../../db/dialect.js';
import type { Db } from '../../../db/index.js';
import type { Selectable } from 'kysely';
import type { MessageTable } from '../../../db/schema-reach.js';
import { claimDue, nextDue } from '../../../delivery/claim.js';
import { MESSAGE_QUEUE } from '../queue.js';

export type MessageRow = Selectable<MessageTable>;

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
  // bigint columns come back as strings on PostgreSQL.
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    campaign_id: Number(r.campaign_id),
    contact_id: r.contact_id === null ? null : Number(r.contact_id),
    push_id: r.push_id === null ? null : Number(r.push_id),
    presave_id: r.presave_id === null ? null : Number(r.presave_id),
    attempts: Number(r.attempts),
    failures: Number(r.failures),
    next_attempt_at: Number(r.next_attempt_at),
    lease_until: r.lease_until === null ? null : Number(r.lease_until),
    created_at: Number(r.created_at),
    updated_at: Number(r.updated_at),
  }));
}

export function nextDueMessage(db: Db, excludeKeys: readonly string[]): Promise<number | null> {
  return nextDue(db, MESSAGE_QUEUE, which(excludeKeys));
}
