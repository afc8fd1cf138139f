/**
 * What a platform said, classified (the kind decides; docs/conversions.md "Errors"):
 * - `token`: the token or secret was refused — permanent, shown to the artist, nothing more sent;
 * - `permanent`: the payload was refused — this event fails, others go on;
 * - `transient`: timeout, network, 5xx — retried with backoff;
 * - `retry_after`: 429 — the platform's key pauses for every worker.
 * Words never include the token or the request's address (GA4's carries its secret).
 */
export type SendResult =
  | { ok: true }
  | { ok: false; kind: 'token' | 'permanent' | 'transient'; words: string }
  | { ok: false; kind: 'retry_after'; words: string; retryAfterMs: number };

/** Every request has this timeout. */
export const SEND_TIMEOUT_MS = 10_000;

/** A POST with JSON, its status and body (parsed when JSON); network failures and timeouts are `transient`. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown; retryAfter: string | null } | SendResult> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json, retryAfter: res.headers.get('retry-after') };
  } catch (err) {
    const timeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { ok: false, kind: 'transient', words: timeout ? 'no answer within 10 s' : 'could not be reached' };
  }
}

export function retryAfterMs(header: string | null): number {
  const s = Number(header);
  return Number.isFinite(s) && s > 0 ? Math.min(s, 3600) * 1000 : 60_000;
}

/** The HTTP statuses every platform means the same by. */
export function byStatus(name: string, status: number, retryAfter: string | null): SendResult {
  if (status === 429)
    return { ok: false, kind: 'retry_after', words: `${name} asked to slow down (429)`, retryAfterMs: retryAfterMs(retryAfter) };
  if (status >= 500) return { ok: false, kind: 'transient', words: `${name} had a server error (${status})` };
  return { ok: false, kind: 'permanent', words: `${name} refused the event (${status})` };
}
