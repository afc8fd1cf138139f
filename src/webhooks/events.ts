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
