import { Webhook } from 'standardwebhooks';

/**
 * The Standard Webhooks headers for one attempt: `webhook-id` (the event's stable id, the same on
 * every attempt), `webhook-timestamp` (seconds) and `webhook-signature` — one `v1,…` per secret,
 * space-separated, so during a rotation either secret verifies.
 */
export function signatureHeaders(msgId: string, at: Date, body: string, secrets: readonly string[]): Record<string, string> {
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(msgId, at, body)).join(' '),
  };
}
