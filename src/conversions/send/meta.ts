import type { EventPayload } from '../events/payload.js';
import { EVENT_NAMES } from '../platforms.js';
import type { ConversionEvent } from '../../db/schema-conversions.js';
import { byStatus, postJson, type SendResult } from './result.js';

/**
 * Meta Conversions API: `POST /v21.0/{pixel_id}/events`, the token in the body (never in the
 * address, which reaches logs). `user_data` carries only what the fan allowed: IP and user agent as
 * Meta requires for website events, `external_id` and `em` as SHA-256 digests.
 */
export function metaBody(event: ConversionEvent, eventId: string, p: EventPayload): Record<string, unknown> {
  return {
    data: [
      {
        event_name: EVENT_NAMES.meta[event],
        event_time: p.time,
        event_id: eventId,
        action_source: 'website',
        event_source_url: p.url,
        user_data: {
          client_ip_address: p.ip,
          client_user_agent: p.userAgent,
          external_id: [p.externalId],
          ...(p.email ? { em: [p.email] } : {}),
        },
      },
    ],
  };
}

export async function sendMeta(
  baseUrl: string,
  pixelId: string,
  token: string,
  event: ConversionEvent,
  eventId: string,
  p: EventPayload,
): Promise<SendResult> {
  const r = await postJson(`${baseUrl}/v21.0/${encodeURIComponent(pixelId)}/events`, {
    ...metaBody(event, eventId, p),
    access_token: token,
  });
  if ('ok' in r) return r;
  if (r.status >= 200 && r.status < 300) return { ok: true };
  const error = (r.json as { error?: { message?: unknown; code?: unknown } } | null)?.error;
  const message = typeof error?.message === 'string' ? error.message.slice(0, 200) : '';
  // Code 190: the access token is invalid or expired (Graph API "Access token errors").
  if (error?.code === 190) return { ok: false, kind: 'token', words: `Meta refused the access token${message ? `: ${message}` : ''}` };
  const base = byStatus('Meta', r.status, r.retryAfter);
  return message && !base.ok ? { ...base, words: `${base.words}: ${message}` } : base;
}
