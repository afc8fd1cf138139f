import { Agent, request } from 'undici';
import webpush from 'web-push';
import { retryAtFrom } from '../../providers/http.js';
import type { PushPayload, PushSender, SendOutcome } from '../messages/channel.js';
import type { VapidKeys } from './vapid.js';

/**
 * Web push to the browser's push service (RFC 8030): the payload encrypted `aes128gcm` to the
 * subscription's keys (RFC 8291) and the request signed with VAPID (RFC 8292), both by the
 * `web-push` package; the request itself goes through undici with a pool and a hard timeout on
 * every call (web-push's own client has neither a pool nor plain http for the local fake).
 *
 * What the push service answers, for the message kind: 201/202 sent; 404/410 `gone` (the browser
 * unsubscribed or the subscription expired: delete it); 429, or 503 with Retry-After,
 * `retry_after` (pause `push:<host>`); any other 5xx or a network failure `transient`; any other
 * 4xx `permanent` (a bad request will not get better by itself: 400 payload, 403 VAPID, 413 size).
 */
/** How long a VAPID token is made for (push services accept at most 24 h), and the least it must have left to be reused. */
const VAPID_TTL_S = 12 * 3600;
const VAPID_MIN_LEFT_S = 3600;
const MAX_AUDIENCES = 1000;

export class WebPushSender implements PushSender {
  readonly #agent: Agent;
  readonly #vapid: { subject: string; publicKey: string; privateKey: string };
  /**
   * The VAPID `Authorization` per push service origin, reused until an hour before it expires:
   * signing one costs about 2 ms of CPU (web-push re-encodes the key each time), more than
   * encrypting the payload, and an "out now" sends thousands to the same few origins.
   */
  readonly #tokens = new Map<string, { header: string; exp: number }>();

  constructor(
    vapid: VapidKeys,
    subject: string,
    private readonly now: () => number = Date.now,
  ) {
    this.#vapid = { subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey };
    this.#agent = new Agent({ connections: 32, keepAliveTimeout: 10_000 });
  }

  async send(subscription: string, payload: PushPayload, opts: { ttlSeconds: number; timeoutMs: number }): Promise<SendOutcome> {
    let details: ReturnType<typeof webpush.generateRequestDetails>;
    try {
      const sub = JSON.parse(subscription) as webpush.PushSubscription;
      details = webpush.generateRequestDetails(sub, JSON.stringify(payload), {
        TTL: opts.ttlSeconds,
        contentEncoding: 'aes128gcm',
        urgency: 'normal',
      });
      details.headers.Authorization = this.#authorization(new URL(sub.endpoint).origin);
    } catch (err) {
      // A subscription or key web-push cannot use: sending again will not help.
      return { ok: false, kind: 'permanent', reason: `push request could not be made: ${(err as Error).message}` };
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(details.headers)) headers[k] = String(v);
    try {
      const res = await request(details.endpoint, {
        method: 'POST',
        dispatcher: this.#agent,
        headers,
        body: details.body ?? null,
        signal: AbortSignal.timeout(opts.timeoutMs),
        headersTimeout: opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
      });
      // The body is at most an error text; read a little for the reason, never keep it whole.
      const text = (await res.body.text()).slice(0, 200);
      return classify(res.statusCode, res.headers['retry-after'], text, this.now());
    } catch (err) {
      const e = err as Error & { code?: string };
      const what =
        e.name === 'TimeoutError' || /timeout/i.test(e.code ?? '') ? `timed out after ${opts.timeoutMs} ms` : (e.code ?? e.message);
      return { ok: false, kind: 'transient', reason: `push service could not be reached: ${what}` };
    }
  }

  /** The VAPID header for a push service origin (`aud`). Real time, not the app's clock: the push service checks `exp` against its own. */
  #authorization(audience: string): string {
    const nowS = Math.floor(Date.now() / 1000);
    const held = this.#tokens.get(audience);
    if (held && held.exp - nowS > VAPID_MIN_LEFT_S) return held.header;
    const exp = nowS + VAPID_TTL_S;
    const { Authorization } = webpush.getVapidHeaders(
      audience,
      this.#vapid.subject,
      this.#vapid.publicKey,
      this.#vapid.privateKey,
      'aes128gcm',
      exp,
    );
    if (this.#tokens.size >= MAX_AUDIENCES) this.#tokens.clear();
    this.#tokens.set(audience, { header: Authorization, exp });
    return Authorization;
  }

  /** Idempotent: a worker may be stopped more than once (a test's close after its own stop). */
  async close(): Promise<void> {
    if (this.#agent.closed || this.#agent.destroyed) return;
    await this.#agent.close();
  }
}

export function classify(status: number, retryAfter: string | string[] | undefined, text: string, now: number): SendOutcome {
  if (status === 201 || status === 202 || status === 200) return { ok: true };
  const reason = `push service answered ${status}${text ? `: ${text.replace(/\s+/g, ' ').trim()}` : ''}`.slice(0, 200);
  if (status === 404 || status === 410) return { ok: false, kind: 'gone', reason };
  if (status === 429 || (status === 503 && retryAfter !== undefined)) {
    return { ok: false, kind: 'retry_after', reason, retryAfterMs: Math.max(1000, retryAtFrom(retryAfter, now) - now) };
  }
  if (status >= 500) return { ok: false, kind: 'transient', reason };
  return { ok: false, kind: 'permanent', reason };
}
