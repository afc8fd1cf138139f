import { createHmac, hkdfSync } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { trackRequest } from '../../analytics/index.js';
import type { AppContext } from '../../context.js';
import type { ServiceId } from '../../providers/services.js';
import { loadEncryptionKeys } from '../../util/keys.js';
import { randomToken, safeEqual } from '../../util/random.js';
import { detectInApp } from './detect.js';
import type { Lang } from '../../i18n/index.js';

/**
 * The "Open in your browser" step before a connect that apps' built-in browsers break, and the
 * escape id (`esc`) that follows the fan from that step to their pre-save in a real browser.
 *
 * The one place that says which services need it: their sign-in fails or hangs in webviews
 * (Spotify's login refuses embedded browsers for Google/Facebook sign-in and loses its session
 * across the app switch; MusicKit's authorize() opens a popup webviews never return from).
 * TIDAL, Deezer and the Sandbox sign in through a plain redirect and connect directly.
 */
const NEEDS_REAL_BROWSER: ReadonlySet<ServiceId> = new Set<ServiceId>(['spotify', 'apple-music']);

export function needsRealBrowser(service: string): boolean {
  return NEEDS_REAL_BROWSER.has(service as ServiceId);
}

/**
 * Escape ids: random, signed for one campaign with a key derived from the server's encryption key,
 * so an id in an address is one this server issued for this campaign (attribution by token, not
 * by guessing), and nothing needs storing until a pre-save. `<16 chars: issue time + random>.<16
 * chars of MAC>`.
 *
 * An id is good for ESCAPE_ID_TTL_MS after it was issued: the hop, the landing page and the
 * connect take a fan minutes. After the hop the id is in the landing page's address, which a fan
 * may copy and share; without an end, every pre-save made from that shared address would count as
 * an escape completed. An older id is ignored like a forged one (the page works, nothing is counted).
 */
const ESC_SHAPE = /^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{16}$/;
export const ESCAPE_ID_TTL_MS = 60 * 60_000;
/** The issue time: seconds since the epoch in base 36, 7 characters (good until the year 4453), then 9 random ones. */
const TIME_CHARS = 7;
/** Clocks of several web processes may differ by this much. */
const CLOCK_SKEW_MS = 60_000;

export class EscapeIds {
  readonly #key: Buffer;
  constructor(secret: Buffer) {
    this.#key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'dropday escape v1', 32));
  }

  #mac(campaignId: number, nonce: string): string {
    return createHmac('sha256', this.#key).update(`${campaignId}:${nonce}`).digest('base64url').slice(0, 16);
  }

  issue(campaignId: number, now: number): string {
    const issued = Math.floor(now / 1000)
      .toString(36)
      .padStart(TIME_CHARS, '0');
    const nonce = `${issued}${randomToken(9).slice(0, 16 - TIME_CHARS)}`;
    return `${nonce}.${this.#mac(campaignId, nonce)}`;
  }

  /** The id when it is one of ours for this campaign and not expired, else null (absent, malformed, forged or old). */
  verify(campaignId: number, esc: unknown, now: number): string | null {
    if (typeof esc !== 'string' || !ESC_SHAPE.test(esc)) return null;
    const [nonce, mac] = esc.split('.') as [string, string];
    if (!safeEqual(mac, this.#mac(campaignId, nonce))) return null;
    const issuedAt = parseInt(nonce.slice(0, TIME_CHARS), 36) * 1000;
    return issuedAt <= now + CLOCK_SKEW_MS && now - issuedAt <= ESCAPE_ID_TTL_MS ? esc : null;
  }
}

const byConfig = new WeakMap<AppContext['config'], EscapeIds>();

/** One signer per server configuration (the key is read once). */
export function escapeIds(ctx: Pick<AppContext, 'config' | 'log'>): EscapeIds {
  let ids = byConfig.get(ctx.config);
  if (!ids) {
    ids = new EscapeIds(loadEncryptionKeys(ctx.config, ctx.log)[0]!.key);
    byConfig.set(ctx.config, ids);
  }
  return ids;
}

/** The hop's own address: what the fan opens in their browser (it records the hop, then lands). */
export function escapePath(slug: string, service: string, esc?: string, lang?: Lang): string {
  const q = [esc ? `esc=${encodeURIComponent(esc)}` : '', lang ? `lang=${lang}` : ''].filter(Boolean).join('&');
  return `/${slug}/escape/${service}${q ? `?${q}` : ''}`;
}

/** Where the hop lands in the real browser: the campaign, with the chosen service selected (in the fan's language, when the page named it). */
export function landingPath(slug: string, service: string, esc: string | null, lang?: Lang): string {
  return `/${slug}?service=${encodeURIComponent(service)}${esc ? `&esc=${encodeURIComponent(esc)}` : ''}${lang ? `&lang=${lang}` : ''}`;
}

export interface EscapeLinks {
  /** The absolute hop address on PUBLIC_URL (copied, or opened from the app's menu). */
  url: string;
  /** Android: Chrome's intent syntax, opening the default browser; the fallback is the same address. */
  intent: string;
  /** LINE opens a link with `openExternalBrowser=1` in the phone's browser. */
  line: string;
}

/**
 * The links of the escape step. Built only from PUBLIC_URL and this campaign's slug, service and
 * a verified id, never from the request, so the step cannot be made to send anyone elsewhere.
 * Without an id (the MusicKit page's way out), the hop issues one if it is opened in an app again.
 */
export function escapeLinks(publicUrl: string, slug: string, service: string, esc?: string, lang?: Lang): EscapeLinks {
  const url = new URL(escapePath(slug, service, esc, lang), publicUrl);
  const scheme = url.protocol.slice(0, -1);
  const intent =
    `intent://${url.host}${url.pathname}${url.search}#Intent;scheme=${scheme};` +
    `S.browser_fallback_url=${encodeURIComponent(url.toString())};end`;
  const line = new URL(url);
  line.searchParams.set('openExternalBrowser', '1');
  return { url: url.toString(), intent, line: line.toString() };
}

/**
 * After a pre-save is added (not a fan's second sign-in): when its connect carried an escape id
 * and was made outside an in-app browser, the escape worked (an `escape_completed` event).
 */
export function trackEscapeCompleted(req: FastifyRequest, escape: string | null, campaignId: number, service: string): void {
  if (!escape || detectInApp(req.headers['user-agent'])) return;
  trackRequest(req, { event: 'escape_completed', campaignId, service });
}
