import type { ConversionEvent } from '../../db/schema-conversions.js';
import type { EventPayload } from '../events/payload.js';
import { EVENT_NAMES } from '../platforms.js';
import { byStatus, postJson, type SendResult } from './result.js';

/**
 * TikTok Events API 2.0: `POST /open_api/v1.3/event/track/` with the `Access-Token` header. TikTok
 * answers errors with HTTP 200 and a non-zero `code`: 40001 (40102, 40104, 40105: expired or
 * invalid) — the token was refused; 40100 — too many requests; 40002 — bad parameters; 5xxxx — its
 * own trouble, try again.
 */
export function tiktokBody(pixelCode: string, event: ConversionEvent, eventId: string, p: EventPayload): Record<string, unknown> {
  return {
    event_source: 'web',
    event_source_id: pixelCode,
    data: [
      {
        event: EVENT_NAMES.tiktok[event],
        event_time: p.time,
        event_id: eventId,
        user: { external_id: p.externalId, ...(p.email ? { email: p.email } : {}), ip: p.ip, user_agent: p.userAgent },
        page: { url: p.url },
      },
    ],
  };
}

export async function sendTiktok(
  baseUrl: string,
  pixelCode: string,
  token: string,
  event: ConversionEvent,
  eventId: string,
  p: EventPayload,
): Promise<SendResult> {
  const r = await postJson(`${baseUrl}/open_api/v1.3/event/track/`, tiktokBody(pixelCode, event, eventId, p), { 'Access-Token': token });
  if ('ok' in r) return r;
  if (r.status !== 200) return byStatus('TikTok', r.status, r.retryAfter);
  const j = r.json as { code?: unknown; message?: unknown } | null;
  const message = typeof j?.message === 'string' ? j.message.slice(0, 200) : '';
  if (j?.code === 0) return { ok: true };
  const code = typeof j?.code === 'number' ? j.code : NaN;
  if (code === 40001 || code === 40102 || code === 40104 || code === 40105)
    return { ok: false, kind: 'token', words: `TikTok refused the access token (${code}${message ? `: ${message}` : ''})` };
  if (code === 40100) return { ok: false, kind: 'retry_after', words: 'TikTok asked to slow down', retryAfterMs: 60_000 };
  if (code >= 50000) return { ok: false, kind: 'transient', words: `TikTok had a server error (${code})` };
  return {
    ok: false,
    kind: 'permanent',
    words: `TikTok refused the event (${Number.isNaN(code) ? 'no code' : code}${message ? `: ${message}` : ''})`,
  };
}
