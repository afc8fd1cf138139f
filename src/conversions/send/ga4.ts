import type { ConversionEvent } from '../../db/schema-conversions.js';
import type { EventPayload } from '../events/payload.js';
import { EVENT_NAMES } from '../platforms.js';
import { byStatus, postJson, type SendResult } from './result.js';

/**
 * GA4 Measurement Protocol: `POST /mp/collect?measurement_id=…&api_secret=…`. It answers 2xx to
 * anything — it cannot say an event or a secret was wrong (only /debug/mp/collect validates), so
 * a "sent" GA4 event means delivered, not accepted (docs/conversions.md). GA4 takes no IP, user
 * agent or hashed e-mail here; the client id is the browser's external id.
 */
export function ga4Body(event: ConversionEvent, eventId: string, p: EventPayload): Record<string, unknown> {
  return {
    client_id: p.externalId.slice(0, 32),
    timestamp_micros: p.time * 1_000_000,
    events: [{ name: EVENT_NAMES.ga4[event], params: { event_id: eventId, page_location: p.url, engagement_time_msec: 1 } }],
  };
}

export async function sendGa4(
  baseUrl: string,
  measurementId: string,
  secret: string,
  event: ConversionEvent,
  eventId: string,
  p: EventPayload,
): Promise<SendResult> {
  const q = new URLSearchParams({ measurement_id: measurementId, api_secret: secret });
  const r = await postJson(`${baseUrl}/mp/collect?${q}`, ga4Body(event, eventId, p));
  if ('ok' in r) return r;
  return r.status >= 200 && r.status < 300 ? { ok: true } : byStatus('Google Analytics', r.status, r.retryAfter);
}
