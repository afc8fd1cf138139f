import { sql } from 'kysely';
import type { Dialect } from '../../db/dialect.js';
import type { Db } from '../../db/index.js';
import { claimDue, nextDue, numeric } from '../../delivery/claim.js';
import type { WebhookDeliveryStatus } from '../../db/schema-webhooks.js';
import { DELIVERY_QUEUE } from './queue.js';

export interface DeliveryRow {
  id: number;
  public_id: string;
  event_id: number;
  endpoint_id: number;
  channel_key: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  failures: number;
  next_attempt_at: number;
  lease_token: string | null;
  lease_until: number | null;
}

const NUMERIC = ['id', 'event_id', 'endpoint_id', 'attempts', 'failures', 'next_attempt_at', 'lease_until'] as const;

/** Due deliveries to endpoints that are on, on governor keys that are open. */
function which(excludeKeys: readonly string[]) {
  const keys = excludeKeys.length ? sql` AND channel_key NOT IN (${sql.join(excludeKeys.map((k) => sql`${k}`))})` : sql``;
  return sql`status = 'pending' AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE enabled = 1)${keys}`;
}

/** pending (due, unheld) → pending with a lease, `attempts + 1`: one statement (delivery/claim.ts). */
export async function claimDueDeliveries(
  db: Db,
  dialect: Dialect,
  p: { owner: string; leaseToken: string; limit: number; leaseMs: number; now: number; excludeKeys: readonly string[] },
): Promise<DeliveryRow[]> {
  const rows = await claimDue<DeliveryRow>(db, dialect, DELIVERY_QUEUE, { ...p, which: which(p.excludeKeys) });
  return rows.map((r) => numeric(r, NUMERIC));
}

export function nextDueDelivery(db: Db, excludeKeys: readonly string[]): Promise<number | null> {
  return nextDue(db, DELIVERY_QUEUE, which(excludeKeys));
}
