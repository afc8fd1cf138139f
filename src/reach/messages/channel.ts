/**
 * What a channel (mail: reach/mail/, web push: reach/push/) tells the message kind about one send.
 * The kind decides from it: `sent` settles; `transient` retries with backoff; `retry_after`
 * pauses the channel's governor key; `permanent` fails the message and, for mail, suppresses the
 * address; `gone` (push 404/410) deletes the subscription.
 */
export type SendOutcome =
  | { ok: true }
  | { ok: false; kind: 'transient' | 'permanent' | 'gone'; reason: string }
  | { ok: false; kind: 'retry_after'; reason: string; retryAfterMs: number };

/** A web push: the payload the service worker shows (JSON, encrypted aes128gcm by the sender). */
export interface PushPayload {
  title: string;
  body: string;
  /** Where a click goes: an absolute URL on PUBLIC_URL. */
  url: string;
  icon?: string;
  /** Replaces an earlier notification with the same tag. */
  tag?: string;
}

export interface PushSender {
  /** `subscription`: the PushSubscription JSON as the browser gave it (endpoint, keys). */
  send(subscription: string, payload: PushPayload, opts: { ttlSeconds: number; timeoutMs: number }): Promise<SendOutcome>;
}

/** The governor key of fan mail (its budget: SMTP_RATE). Push keys are `push:<host>`. */
export const MAIL_KEY = 'mail:smtp';
