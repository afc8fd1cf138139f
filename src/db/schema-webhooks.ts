import type { Generated } from 'kysely';

/** Webhooks (migration 024; docs/webhooks.md). */
export interface WebhookTables {
  webhook_endpoints: WebhookEndpointTable;
  webhook_events: WebhookEventTable;
  webhook_deliveries: WebhookDeliveryTable;
}

export interface WebhookEndpointTable {
  id: Generated<number>;
  public_id: string;
  workspace_id: number;
  url: string;
  description: string;
  /** JSON list of event types. */
  events: string;
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_until: number | null;
  enabled: number;
  disabled_reason: string | null;
  /** Failed attempts with no success in between, at most one counted per failure window. */
  consecutive_failures: Generated<number>;
  /** The first failed attempt of the current streak (null: the last attempt succeeded). */
  failing_since: number | null;
  /** When the streak's count last went up. */
  failure_counted_at: number | null;
  failure_notice_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookEventTable {
  id: Generated<number>;
  msg_id: string;
  workspace_id: number;
  type: string;
  dedupe: string;
  payload: string;
  created_at: number;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

export interface WebhookDeliveryTable {
  id: Generated<number>;
  public_id: string;
  event_id: number;
  endpoint_id: number;
  channel_key: string;
  status: WebhookDeliveryStatus;
  attempts: Generated<number>;
  failures: Generated<number>;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_token: string | null;
  lease_until: number | null;
  last_status_code: number | null;
  last_error: string | null;
  response_excerpt: string | null;
  last_attempt_at: number | null;
  delivered_at: number | null;
  created_at: number;
  updated_at: number;
}
