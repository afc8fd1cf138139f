import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/index.js';
import { inTransaction } from '../../db/transaction.js';
import { parseEvents } from '../endpoints.js';
import type { WebhookEventType, WebhookPayload } from '../events.js';

/** The governor key of an endpoint's deliveries: one budget per receiving host. */
export function channelKeyOf(url: string): string {
  try {
    return `webhook:${new URL(url).host.toLowerCase()}`;
  } catch {
    return 'webhook:invalid';
  }
}

export function newMsgId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

export function newDeliveryId(): string {
  return `wd_${randomBytes(12).toString('base64url')}`;
}

/**
 * Records an event and, in the same transaction, one pending delivery to each of the workspace's
 * endpoints that is on and subscribed to it (or, `endpointIds`, to those only: the sweep names the
 * endpoints that existed when the event happened). `dedupe` names what the event is about: a
 * second record of the same thing records nothing (null). Composes into a caller's transaction,
 * so an event is written together with the change it reports.
 */
export async function recordEvent(
  db: Db,
  e: {
    workspaceId: number;
    type: WebhookEventType;
    dedupe: string;
    occurredAt: number;
    data: Record<string, unknown>;
    endpointIds?: number[];
  },
  now: number,
): Promise<{ msgId: string; deliveries: number } | null> {
  return inTransaction(db, async (trx) => {
    const endpoints = (
      await trx
        .selectFrom('webhook_endpoints')
        .select(['id', 'url', 'events'])
        .where('workspace_id', '=', e.workspaceId)
        .where('enabled', '=', 1)
        .execute()
    ).filter((x) => parseEvents(x).includes(e.type) && (!e.endpointIds || e.endpointIds.includes(Number(x.id))));
    if (!endpoints.length) return null;
    const msgId = newMsgId();
    const payload: WebhookPayload = { type: e.type, timestamp: new Date(e.occurredAt).toISOString(), data: e.data };
    const event = await trx
      .insertInto('webhook_events')
      .values({
        msg_id: msgId,
        workspace_id: e.workspaceId,
        type: e.type,
        dedupe: e.dedupe,
        payload: JSON.stringify(payload),
        created_at: now,
      })
      .onConflict((oc) => oc.column('dedupe').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!event) return null;
    await trx
      .insertInto('webhook_deliveries')
      .values(
        endpoints.map((x) => ({
          public_id: newDeliveryId(),
          event_id: Number(event.id),
          endpoint_id: Number(x.id),
          channel_key: channelKeyOf(x.url),
          status: 'pending' as const,
          attempts: 0,
          failures: 0,
          next_attempt_at: now,
          lease_owner: null,
          lease_token: null,
          lease_until: null,
          last_status_code: null,
          last_error: null,
          response_excerpt: null,
          last_attempt_at: null,
          delivered_at: null,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    return { msgId, deliveries: endpoints.length };
  });
}
