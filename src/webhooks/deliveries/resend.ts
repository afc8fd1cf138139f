import { sql } from 'kysely';
import type { Db } from '../../db/index.js';

/**
 * "Send again": a delivery (delivered or failed) becomes pending and due now with fresh counts —
 * a new attempt of the same event, under the same `webhook-id`. A delivery a worker holds right
 * now is left alone (it is being sent). True when it was queued.
 */
export async function resendDelivery(db: Db, deliveryId: number, now: number): Promise<boolean> {
  const r = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: now, attempts: 0, failures: 0, delivered_at: null, updated_at: now })
    .where('id', '=', deliveryId)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .where(sql<boolean>`(status <> 'pending' OR lease_token IS NULL)`)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
