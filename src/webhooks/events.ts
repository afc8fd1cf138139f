import type { ApiScope } from '../api/scopes.js';

/**
 * The events a webhook endpoint can subscribe to (docs/webhooks.md has a payload for each).
 * The order is the settings page's and the API's.
 */
export const WEBHOOK_EVENTS = [
  'presave.created',
  'presave.cancelled',
  'presave.saved',
  'presave.failed',
  'campaign.released',
  'campaign.delivered',
  'contact.confirmed',
  'referral.counted',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export const EVENT_WORDS: Record<WebhookEventType, string> = {
  'presave.created': 'A fan pre-saved',
  'presave.cancelled': 'A fan cancelled a pre-save',
  'presave.saved': 'A pre-save was saved to the fan’s library',
  'presave.failed': 'A pre-save could not be saved',
  'campaign.released': 'A campaign was released',
  'campaign.delivered': 'Every pre-save of a released campaign was worked through',
  'contact.confirmed': 'A fan confirmed their address',
  'referral.counted': 'A referral counted',
};

/**
 * The read scope an API key needs to subscribe an endpoint to an event: an event carries what that
 * scope reads (a pre-save's id, service and status; a campaign; a confirmed contact), so without
 * this a `webhooks:write` key could have the data it may not read sent to a URL of its choosing.
 */
export const EVENT_SCOPE: Record<WebhookEventType, ApiScope> = {
  'presave.created': 'presaves:read',
  'presave.cancelled': 'presaves:read',
  'presave.saved': 'presaves:read',
  'presave.failed': 'presaves:read',
  'campaign.released': 'campaigns:read',
  'campaign.delivered': 'campaigns:read',
  'contact.confirmed': 'contacts:read',
  'referral.counted': 'presaves:read',
};

export function isWebhookEvent(s: string): s is WebhookEventType {
  return (WEBHOOK_EVENTS as readonly string[]).includes(s);
}

/** The body every endpoint receives (chat webhooks get chat.ts's message instead). */
export interface WebhookPayload {
  type: WebhookEventType;
  /** ISO 8601: when the event happened. */
  timestamp: string;
  data: Record<string, unknown>;
}
