/**
 * What an event carries, as stored in `conversion_events.payload` (JSON) — never a token or secret:
 * the moment, the page, and the fan's identifiers, hashed where the platforms take hashes. IP and
 * user agent are sent as the platforms require them; they are there only because the fan allowed it.
 */
export interface EventPayload {
  /** Epoch seconds. */
  time: number;
  url: string;
  ip: string;
  userAgent: string;
  /** SHA-256 of the keyed browser hash. */
  externalId: string;
  /** SHA-256 of the trimmed, lower-cased address (contact confirmed only). */
  email?: string;
}
