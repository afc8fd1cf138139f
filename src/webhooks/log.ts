import type { Db } from '../db/index.js';
import type { WebhookDeliveryStatus } from '../db/schema-webhooks.js';
import type { WebhookEventType } from './events.js';

/** One line of an endpoint's delivery log (the settings page and the API). */
export interface DeliveryLogRow {
  id: number;
  public_id: string;
  msg_id: string;
  type: WebhookEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  response_excerpt: string | null;
  last_attempt_at: number | null;
  next_attempt_at: number;
  delivered_at: number | null;
  created_at: number;
}

function query(db: Db) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select([
      'd.id',
      'd.public_id',
      'e.msg_id',
      'e.type',
      'd.status',
      'd.attempts',
      'd.last_status_code',
      'd.last_error',
      'd.response_excerpt',
      'd.last_attempt_at',
      'd.next_attempt_at',
      'd.delivered_at',
      'd.created_at',
    ]);
}

function num(r: Awaited<ReturnType<ReturnType<typeof query>['execute']>>[number]): DeliveryLogRow {
  const n = (v: number | null) => (v === null ? null : Number(v));
  return {
    ...r,
    id: Number(r.id),
    type: r.type as WebhookEventType,
    attempts: Number(r.attempts),
    last_status_code: n(r.last_status_code),
    last_attempt_at: n(r.last_attempt_at),
    next_attempt_at: Number(r.next_attempt_at),
    delivered_at: n(r.delivered_at),
    created_at: Number(r.created_at),
  };
}

/** Newest first; `beforeId` continues a page. */
export async function deliveryLog(db: Db, endpointId: number, p: { beforeId: number | null; limit: number }): Promise<DeliveryLogRow[]> {
  let q = query(db).where('d.endpoint_id', '=', endpointId);
  if (p.beforeId !== null) q = q.where('d.id', '<', p.beforeId);
  return (await q.orderBy('d.id', 'desc').limit(p.limit).execute()).map(num);
}

export async function findDelivery(db: Db, endpointId: number, publicId: string): Promise<DeliveryLogRow | undefined> {
  const r = await query(db).where('d.endpoint_id', '=', endpointId).where('d.public_id', '=', publicId).executeTakeFirst();
  return r ? num(r) : undefined;
}
