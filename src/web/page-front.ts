import type http from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { Logger } from 'pino';
import type { Analytics, RequestFacts } from '../analytics/capture.js';
import { PREFERRED_SERVICE_COOKIE } from '../smartlink/links.js';
import type { CachedResponse, PageCache, PageEntry } from './page-cache.js';
import type { PublicPageData } from './public-page-data.js';
import { fanPageSecurityHeaders } from './security.js';
import { campaignViewEvents } from './inapp/page-variant.js';
import { rawQueryLang } from './fan-lang.js';

/**
 * The campaign page answered before Fastify, when its rendering is in memory and known current.
 *
 * On launch day the campaign page is nearly every request. Served through Fastify, its bytes came
 * from memory but each request still paid for routing, the request and reply objects, the cookie
 * parser, the input guard, the session hook and two response hooks: about 35 µs of CPU beside a
 * bare Fastify server's 28 (docs/performance.md, "Public pages"). Here a request that is exactly
 * `GET /{slug}` (a plain query at most), with plain-ASCII headers and no session cookie, for a
 * campaign whose page is cached and confirmed current (PageCache.peek: no waiting), gets the same
 * rendering with the same headers the route and the security hook would give it. Everything
 * else — a miss, a stale entry, HEAD, an encoded query, a signed-in artist, an archived campaign,
 * any unusual header — goes to Fastify exactly as before, so the front changes how fast a page is
 * answered, never what the answer is (test/page-front.test.ts compares the two).
 *
 * Routing stays Fastify's: only slugs the `/:slug` route has already loaded into the cache are
 * here, so a path another route owns (static routes win over `/:slug`) never is.
 */
export interface PageAsk {
  /** The preferred-service cookie's value. */
  preferred: string | undefined;
  /** `?lang=` (the first), as the router's query parser would give it. */
  lang: string | undefined;
  acceptLanguage: string | undefined;
  userAgent: string | undefined;
  /** The request's path and query (the in-app rescue reads `?service=` and `?esc=` from it). */
  url: string;
}

export interface PageFrontOptions {
  https: boolean;
  trustProxy: boolean;
  /** The session cookie's name: a signed-in visitor goes through Fastify (its session is kept alive there). */
  sessionCookie: string;
  log: Pick<Logger, 'debug' | 'isLevelEnabled'>;
  analytics: () => Analytics | undefined;
}

/** `/{slug}` with at most a query of plain characters (no `%`: decoding is the router's and input guard's job). */
const PAGE_URL = /^\/([a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)(?:\?[A-Za-z0-9_.~=&+-]*)?$/;
/** Header values the input guard and the cookie parser have nothing to say about. */
const PLAIN = /^[\x20-\x7e]*$/;
const TRUST_ALL = () => true;
const REFERRAL_PARAM = /[?&]r=/;

export class PageFront {
  #pages: PageCache<PublicPageData> | null = null;
  #render: ((entry: PageEntry<PublicPageData>, ask: PageAsk) => CachedResponse) | null = null;
  readonly #security: Record<string, string>;
  readonly #sessionCookie: string;
  #served = 0;

  constructor(private readonly o: PageFrontOptions) {
    this.#security = fanPageSecurityHeaders(o.https);
    this.#sessionCookie = `${o.sessionCookie}=`;
  }

  /** Called by the public routes: the cache and the rendering the `/:slug` route itself uses. */
  install(o: { pages: PageCache<PublicPageData>; render: (entry: PageEntry<PublicPageData>, ask: PageAsk) => CachedResponse }): void {
    this.#pages = o.pages;
    this.#render = o.render;
  }

  /** Pages answered here (tests and /metrics). */
  get served(): number {
    return this.#served;
  }

  /** Answers the request and returns true, or returns false and leaves it untouched for Fastify. */
  serve(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    if (req.method !== 'GET' || !this.#pages || !this.#render) return false;
    const url = req.url ?? '';
    const m = PAGE_URL.exec(url);
    if (!m) return false;
    // A referral link (`?r=<code>`) may set the attribution cookie: the `/:slug` route's job.
    if (REFERRAL_PARAM.test(url)) return false;
    const raw = req.rawHeaders;
    for (let i = 1; i < raw.length; i += 2) if (!PLAIN.test(raw[i]!)) return false;
    const cookie = req.headers.cookie;
    if (cookie !== undefined && cookie.includes(this.#sessionCookie)) return false;
    const entry = this.#pages.peek(m[1]!);
    if (!entry || entry.data.campaign.status === 'archived') return false;

    const page = this.#render(entry, {
      preferred: cookie === undefined ? undefined : cookieValue(cookie, PREFERRED_SERVICE_COOKIE),
      lang: rawQueryLang(url),
      acceptLanguage: req.headers['accept-language'],
      userAgent: req.headers['user-agent'],
      url,
    });
    res.writeHead(200, { ...this.#security, ...page.headers, 'content-length': String(page.body.length) });
    res.end(page.body);
    this.#served++;
    const analytics = this.o.analytics();
    if (analytics) {
      const facts = this.#facts(req, url);
      for (const ev of campaignViewEvents(req.headers['user-agent'], entry.campaignId)) analytics.trackSent(facts, ev);
    }
    if (this.o.log.isLevelEnabled('debug'))
      this.o.log.debug({ req: { method: 'GET', url }, res: { statusCode: 200 } }, 'request completed');
    return true;
  }

  /** The request as Fastify would describe it to analytics (its `ip` and `hostname` rules, for TRUST_PROXY on or off). */
  #facts(req: http.IncomingMessage, url: string): RequestFacts {
    const headers = req.headers;
    let ip = req.socket.remoteAddress ?? '';
    let host = headers.host ?? '';
    if (this.o.trustProxy) {
      const addrs = proxyAddr.all(req, TRUST_ALL);
      ip = addrs[addrs.length - 1] ?? ip;
      const forwarded = headers['x-forwarded-host'];
      if (typeof forwarded === 'string' && forwarded) host = forwarded.slice(forwarded.lastIndexOf(',') + 1).trim();
    }
    const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':', 1)[0]!;
    return { ip, headers, url, hostname };
  }
}

/** One cookie's value from a Cookie header (the name is ours and plain; values are checked by the caller). */
function cookieValue(header: string, name: string): string | undefined {
  let at = 0;
  while (at < header.length) {
    const end = header.indexOf(';', at);
    const part = header.slice(at, end < 0 ? header.length : end).trim();
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === name) {
      const value = part.slice(eq + 1);
      return value.length > 1 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
    }
    if (end < 0) return undefined;
    at = end + 1;
  }
  return undefined;
}
