import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

/**
 * A fast, in-memory fake of the Sandbox API subset the fulfillment engine uses, for fan-out
 * benchmarks and the chaos harness. Raw node:http (no framework) so the fake is never the
 * bottleneck it is meant to measure; one process, runnable on its own (main.ts) or imported.
 *
 * Paths: any prefix, then the Sandbox paths the adapter appends to SANDBOX_BASE_URL:
 *   POST {prefix}/api/token                       refresh_token grant → rotated tokens
 *   GET  {prefix}/v1/me
 *   GET  {prefix}/v1/search?q=upc:…&type=album    the seeded release when the UPC matches
 *   GET  {prefix}/v1/albums/{id}                  carries external_ids.upc
 *   PUT  {prefix}/v1/me/library?uris=…            idempotent: a set per account
 *   GET  {prefix}/v1/me/library/contains?uris=…
 * The prefix (e.g. `/w1` in SANDBOX_BASE_URL=http://127.0.0.1:P/w1) is recorded as the caller's
 * "tag", so a test can give each worker process its own base URL and see which one saved what.
 *
 * Tokens: any bearer `tok-<account>` (optionally `tok-<account>.<suffix>`) is valid for <account>;
 * a refresh token `ref-<account>[.<suffix>]` refreshes to `tok-<account>.r<n>` / `ref-<account>.r<n>`.
 *
 * Control (never faulted or rate-limited): GET /__stats, POST /__reset, GET /__library (NDJSON,
 * one line per account), POST /__faults (JSON: change fault rates at run time), GET
 * /__saved?ranks=k1,k2 (when the k-th account first had the album in its library: how fast fans'
 * libraries filled, by the fake's own record rather than the engine's).
 *
 * Faults, decided per request on arrival and applied BEFORE any effect (a faulted PUT saves
 * nothing): `p5xx` (503 with a Sandbox error body), `p429` (429 + Retry-After), `preset` (the
 * socket is destroyed), `phang` (never answered; the client must time out). `--rate-limit R/30s`
 * is a rolling window per app: a request that would be the (R+1)th in the last 30 s gets 429 with
 * Retry-After = whole seconds until the oldest one leaves the window.
 */
export interface FanoutRelease {
  albumId: string;
  upc: string;
  title: string;
  artistId: string;
  artistName: string;
}

export interface FaultRates {
  p5xx: number;
  p429: number;
  preset: number;
  phang: number;
}

export interface FanoutFakeOptions {
  release?: Partial<FanoutRelease>;
  latencyMs?: number;
  /** Rolling window per app; null: unlimited. */
  rateLimit?: { max: number; windowMs: number } | null;
  faults?: Partial<FaultRates>;
  /** Retry-After (seconds) on injected 429s. */
  faultRetryAfterS?: number;
  /** Requests arriving this soon after a window was announced may have been sent before the client knew. */
  graceMs?: number;
  /** Seed for the fault dice (deterministic runs); default: Math.random. */
  seed?: number;
  /** Keep every library call that reached the library, in order (`calls`), for tests of what was done when. */
  log?: boolean;
}

/** One library call that reached the library, as `FanoutFake.calls` keeps them. */
export interface LibraryCall {
  route: 'put' | 'contains';
  account: string;
  /** The caller's base-URL prefix (e.g. `/w1`). */
  tag: string;
  /** The call was about the album (a follow's calls are about the artist). */
  album: boolean;
  /** Whether the album was in the library after (PUT) or when (contains) the call. */
  present: boolean;
  at: number;
}

export const DEFAULT_RELEASE: FanoutRelease = {
  albumId: 'fanoutAlbum0001',
  upc: '00602455123457',
  title: 'Fan-out',
  artistId: 'fanoutArtist01',
  artistName: 'The Benchmarks',
};

export function albumUri(r: FanoutRelease = DEFAULT_RELEASE): string {
  return `sandbox:album:${r.albumId}`;
}
export function artistUri(r: FanoutRelease = DEFAULT_RELEASE): string {
  return `sandbox:artist:${r.artistId}`;
}

/** `100/30s`, `5/s`, `300/1min` → {max, windowMs}. */
export function parseRateLimit(text: string): { max: number; windowMs: number } {
  const m = /^(\d+)\/(\d*)(s|min)$/.exec(text.trim());
  if (!m) throw new Error(`rate limit must look like 100/30s (got "${text}")`);
  const n = Number(m[2] || '1') || 1;
  return { max: Number(m[1]), windowMs: n * (m[3] === 'min' ? 60_000 : 1000) };
}

/** mulberry32: a tiny seeded PRNG. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The album is the first URI indexed (see the constructor). */
const ALBUM_BIT = 1;

type Route = 'token' | 'me' | 'search' | 'album' | 'put' | 'contains' | 'other';
const ROUTES: Route[] = ['token', 'me', 'search', 'album', 'put', 'contains', 'other'];

interface RouteStats {
  n: number;
  ok: number;
  s4xx: number;
  s429_limit: number;
  s429_fault: number;
  s5xx: number;
  reset: number;
  hang: number;
}

/** What the fake holds for one account. */
interface Acc {
  /** Saved URIs, as a bitmask over `uriIndex`. */
  m: number;
  /** PUTs that reached the library (not faulted). */
  p: number;
  /** PUT requests received, faulted or not. */
  pr: number;
  /** Bitmask of caller tags whose PUTs reached the library. */
  t: number;
  /** Contains calls that reached the library. */
  c: number;
  /** When the album first landed in this library (ms since the fake started, + 1); 0: never. */
  s: number;
}

/** Growable array of uint32 (ms since the fake started). */
class Times {
  private buf = new Uint32Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Uint32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  at(i: number): number {
    return this.buf[i]!;
  }
  clear(): void {
    this.buf = new Uint32Array(1 << 16);
    this.length = 0;
  }
}

export interface LibraryEntry {
  account: string;
  uris: string[];
  /** PUT calls that reached the library. */
  puts: number;
  /** PUT requests received, including faulted ones. */
  putRequests: number;
  contains: number;
  tags: string[];
  /** When the album first landed in this library (epoch ms), or null. */
  firstSavedAt: number | null;
}

export class FanoutFake {
  readonly release: FanoutRelease;
  private server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly hung = new Set<http.ServerResponse>();
  private rand: () => number;
  faults: FaultRates;
  latencyMs: number;
  rateLimit: { max: number; windowMs: number } | null;
  private readonly faultRetryAfterS: number;
  private readonly graceMs: number;
  private readonly uriIndex = new Map<string, number>();
  private readonly uriList: string[] = [];
  private readonly tagIndex = new Map<string, number>();
  private readonly tagList: string[] = [];
  private accounts = new Map<string, Acc>();
  private startedAt = Date.now();
  private routeStats = new Map<Route, RouteStats>();
  private arrivals = new Times();
  private accepted = new Times();
  /** Ring buffer of the accepted-request times (epoch ms) inside the rolling window. */
  private ring: Float64Array = new Float64Array(1);
  private ringStart = 0;
  private ringLen = 0;
  private announcedAt = 0;
  private announcedUntil = 0;
  private announced = 0;
  private inWindow = 0;
  private inWindowAfterGrace = 0;
  private refreshes = 0;
  private tokenCounter = 0;
  private firstAt = 0;
  private lastAt = 0;
  private readonly log: boolean;
  /** With `log`: every library call that reached the library, in the order they did. */
  readonly calls: LibraryCall[] = [];

  constructor(opts: FanoutFakeOptions = {}) {
    this.release = { ...DEFAULT_RELEASE, ...opts.release };
    this.latencyMs = opts.latencyMs ?? 0;
    this.rateLimit = opts.rateLimit ?? null;
    this.faults = { p5xx: 0, p429: 0, preset: 0, phang: 0, ...opts.faults };
    this.faultRetryAfterS = opts.faultRetryAfterS ?? 1;
    this.graceMs = opts.graceMs ?? 250;
    this.rand = opts.seed !== undefined ? seeded(opts.seed) : Math.random;
    this.log = opts.log ?? false;
    for (const uri of [albumUri(this.release), artistUri(this.release)]) {
      this.uriIndex.set(uri, this.uriList.length);
      this.uriList.push(uri);
    }
    this.resetState();
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 70_000;
    this.server.requestTimeout = 0;
    this.server.on('connection', (s: Socket) => {
      s.setNoDelay(true);
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return this.url;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Origin, e.g. http://127.0.0.1:4000. SANDBOX_BASE_URL may be this, or this plus any prefix. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.hung.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  private resetState(): void {
    this.accounts = new Map();
    this.routeStats = new Map(ROUTES.map((r) => [r, { n: 0, ok: 0, s4xx: 0, s429_limit: 0, s429_fault: 0, s5xx: 0, reset: 0, hang: 0 }]));
    this.arrivals.clear();
    this.accepted.clear();
    this.ring = new Float64Array(Math.max(1, this.rateLimit?.max ?? 1));
    this.ringStart = 0;
    this.ringLen = 0;
    this.announcedAt = 0;
    this.announcedUntil = 0;
    this.announced = 0;
    this.inWindow = 0;
    this.inWindowAfterGrace = 0;
    this.refreshes = 0;
    this.firstAt = 0;
    this.lastAt = 0;
    this.calls.splice(0);
    this.startedAt = Date.now();
    for (const res of this.hung) res.destroy();
    this.hung.clear();
  }

  reset(): void {
    this.resetState();
  }

  // ——— the record ———

  /** Every account the fake has seen a library call for, with what it saved and how often. */
  *library(): Generator<LibraryEntry> {
    for (const [account, a] of this.accounts) yield this.entry(account, a);
  }

  libraryOf(account: string): LibraryEntry | null {
    const a = this.accounts.get(account);
    return a ? this.entry(account, a) : null;
  }

  private entry(account: string, a: Acc): LibraryEntry {
    const uris: string[] = [];
    this.uriList.forEach((u, i) => {
      if (a.m & (1 << i)) uris.push(u);
    });
    const tags: string[] = [];
    this.tagList.forEach((t, i) => {
      if (a.t & (1 << i)) tags.push(t);
    });
    return { account, uris, puts: a.p, putRequests: a.pr, contains: a.c, tags, firstSavedAt: a.s ? this.startedAt + a.s - 1 : null };
  }

  /**
   * When the k-th account (1-based, by time) first had the album in its library, for each rank
   * asked (epoch ms; null when fewer accounts have it): e.g. the rank of 99 % of the fans.
   */
  firstSavedAt(ranks: number[]): { accounts_saved: number; at: Record<string, number | null> } {
    const times = new Float64Array(this.accounts.size);
    let n = 0;
    for (const a of this.accounts.values()) if (a.s) times[n++] = a.s;
    const sorted = times.subarray(0, n).sort();
    const at: Record<string, number | null> = {};
    for (const k of ranks) at[String(k)] = k >= 1 && k <= n ? this.startedAt + sorted[k - 1]! - 1 : null;
    return { accounts_saved: n, at };
  }

  stats(detail = false): Record<string, unknown> {
    let accountsSaved = 0;
    let urisSaved = 0;
    let puts = 0;
    let putRequests = 0;
    let multiPut = 0;
    let extraPuts = 0;
    let multiTag = 0;
    let contains = 0;
    for (const a of this.accounts.values()) {
      if (a.m) accountsSaved++;
      for (let m = a.m; m; m &= m - 1) urisSaved++;
      puts += a.p;
      putRequests += a.pr;
      contains += a.c;
      if (a.p > 1) {
        multiPut++;
        extraPuts += a.p - 1;
      }
      if (a.t & (a.t - 1)) multiTag++;
    }
    const routes: Record<string, RouteStats> = {};
    let total = 0;
    let limited = 0;
    let fault429 = 0;
    for (const [r, s] of this.routeStats) {
      routes[r] = { ...s };
      total += s.n;
      limited += s.s429_limit;
      fault429 += s.s429_fault;
    }
    const spanS = this.firstAt ? Math.max(0.001, (this.lastAt - this.firstAt) / 1000) : 0;
    const out: Record<string, unknown> = {
      started_at: this.startedAt,
      now: Date.now(),
      requests: total,
      first_request_at: this.firstAt || null,
      last_request_at: this.lastAt || null,
      requests_per_s: spanS ? total / spanS : 0,
      accepted_requests: this.accepted.length,
      accepted_per_s: spanS ? this.accepted.length / spanS : 0,
      routes,
      rate_limit: this.rateLimit ? { max: this.rateLimit.max, window_ms: this.rateLimit.windowMs } : null,
      rate_limited_429: limited,
      fault_429: fault429,
      max_accepted_in_window: this.rateLimit ? this.maxInWindow(this.rateLimit.windowMs) : null,
      retry_after: {
        windows_announced: this.announced,
        requests_in_window: this.inWindow,
        requests_in_window_after_grace: this.inWindowAfterGrace,
        grace_ms: this.graceMs,
      },
      refreshes: this.refreshes,
      library: {
        accounts: this.accounts.size,
        accounts_saved: accountsSaved,
        uris_saved: urisSaved,
        effective_puts: puts,
        put_requests: putRequests,
        accounts_with_repeat_puts: multiPut,
        repeat_puts: extraPuts,
        accounts_put_by_several_tags: multiTag,
        contains_calls: contains,
      },
      faults: this.faults,
      latency_ms: this.latencyMs,
      tags: this.tagList,
    };
    if (detail) out.per_second = this.perSecond();
    return out;
  }

  /** Accepted requests per whole second since the first request. */
  private perSecond(): number[] {
    if (!this.accepted.length) return [];
    const first = this.accepted.at(0);
    const out: number[] = [];
    for (let i = 0; i < this.accepted.length; i++) {
      const s = Math.floor((this.accepted.at(i) - first) / 1000);
      out[s] = (out[s] ?? 0) + 1;
    }
    for (let i = 0; i < out.length; i++) out[i] ??= 0;
    return out;
  }

  /** The most accepted requests in any rolling window (should never exceed the limit). */
  private maxInWindow(windowMs: number): number {
    let best = 0;
    let j = 0;
    for (let i = 0; i < this.accepted.length; i++) {
      while (this.accepted.at(i) - this.accepted.at(j) >= windowMs) j++;
      best = Math.max(best, i - j + 1);
    }
    return best;
  }

  // ——— HTTP ———

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q + 1);
    if (path.startsWith('/__')) return this.control(req, res, path, query);

    const now = Date.now();
    const vi = path.indexOf('/v1/');
    const ti = path.endsWith('/api/token') ? path.length - '/api/token'.length : -1;
    const cut = vi >= 0 ? vi : ti;
    const rest = cut >= 0 ? path.slice(cut) : path;
    const tag = cut >= 0 ? path.slice(0, cut) : '';
    const route = routeOf(req.method ?? 'GET', rest);
    const rs = this.routeStats.get(route)!;
    rs.n++;
    this.arrivals.push(now - this.startedAt);
    if (!this.firstAt) this.firstAt = now;
    this.lastAt = now;
    if (now < this.announcedUntil) {
      this.inWindow++;
      if (now - this.announcedAt > this.graceMs) this.inWindowAfterGrace++;
    }
    const acc = route === 'put' || route === 'contains' ? this.accountFromAuth(req) : null;
    if (route === 'put' && acc) acc.pr++;

    // The app's rolling window.
    if (this.rateLimit) {
      const { max, windowMs } = this.rateLimit;
      while (this.ringLen > 0 && now - this.ring[this.ringStart]! >= windowMs) {
        this.ringStart = (this.ringStart + 1) % this.ring.length;
        this.ringLen--;
      }
      if (this.ringLen >= max) {
        const waitMs = this.ring[this.ringStart]! + windowMs - now;
        const retryAfterS = Math.max(1, Math.ceil(waitMs / 1000));
        rs.s429_limit++;
        this.announce(now, retryAfterS);
        req.resume();
        return this.send(res, 429, { error: { status: 429, message: 'API rate limit exceeded' } }, { 'retry-after': String(retryAfterS) });
      }
      this.ring[(this.ringStart + this.ringLen) % this.ring.length] = now;
      this.ringLen++;
    }
    this.accepted.push(now - this.startedAt);

    // Injected faults, before any effect.
    const f = this.faults;
    const dice = f.preset + f.phang + f.p5xx + f.p429 > 0 ? this.rand() : 1;
    if (dice < f.preset) {
      rs.reset++;
      req.socket.destroy();
      return;
    }
    if (dice < f.preset + f.phang) {
      rs.hang++;
      req.resume();
      this.hung.add(res);
      res.on('close', () => this.hung.delete(res));
      return;
    }
    if (dice < f.preset + f.phang + f.p5xx) {
      rs.s5xx++;
      req.resume();
      return this.send(res, 503, { error: { status: 503, message: 'Service unavailable' } });
    }
    if (dice < f.preset + f.phang + f.p5xx + f.p429) {
      rs.s429_fault++;
      this.announce(now, this.faultRetryAfterS);
      req.resume();
      return this.send(
        res,
        429,
        { error: { status: 429, message: 'API rate limit exceeded' } },
        { 'retry-after': String(this.faultRetryAfterS) },
      );
    }

    if (route === 'token') return this.token(req, res, rs);
    req.resume();
    const out = this.api(req, route, rest, query, tag, acc);
    if (out.status >= 200 && out.status < 300) rs.ok++;
    else rs.s4xx++;
    this.send(res, out.status, out.body);
  }

  private announce(now: number, retryAfterS: number): void {
    const until = now + retryAfterS * 1000;
    if (now >= this.announcedUntil) {
      this.announcedAt = now;
      this.announced++;
    }
    this.announcedUntil = Math.max(this.announcedUntil, until);
  }

  private send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const write = () => {
      if (res.destroyed) return;
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
    };
    if (this.latencyMs > 0) setTimeout(write, this.latencyMs);
    else write();
  }

  private accountOf(token: string | undefined, prefix: string): string | null {
    if (!token?.startsWith(prefix)) return null;
    const rest = token.slice(prefix.length);
    const dot = rest.indexOf('.');
    const account = dot < 0 ? rest : rest.slice(0, dot);
    return account.length > 0 && account.length <= 128 ? account : null;
  }

  private accountNameFromAuth(req: http.IncomingMessage): string | null {
    const h = req.headers.authorization;
    return h?.startsWith('Bearer ') ? this.accountOf(h.slice(7), 'tok-') : null;
  }

  private accountFromAuth(req: http.IncomingMessage): Acc | null {
    const name = this.accountNameFromAuth(req);
    if (!name) return null;
    let a = this.accounts.get(name);
    if (!a) this.accounts.set(name, (a = { m: 0, p: 0, pr: 0, t: 0, c: 0, s: 0 }));
    return a;
  }

  private tagBit(tag: string): number {
    let i = this.tagIndex.get(tag);
    if (i === undefined) {
      i = Math.min(this.tagList.length, 30);
      if (this.tagList.length < 30) {
        this.tagIndex.set(tag, i);
        this.tagList.push(tag);
      }
    }
    return 1 << i;
  }

  private api(
    req: http.IncomingMessage,
    route: Route,
    rest: string,
    query: string,
    tag: string,
    acc: Acc | null,
  ): { status: number; body: unknown } {
    const account = acc ? 'known' : this.accountNameFromAuth(req);
    if (!account) return { status: 401, body: { error: { status: 401, message: 'Invalid access token' } } };
    const params = new URLSearchParams(query);
    const r = this.release;
    switch (route) {
      case 'me': {
        const name = this.accountNameFromAuth(req)!;
        return { status: 200, body: { id: name, account_id: name, display_name: name, type: 'user', uri: `sandbox:user:${name}` } };
      }
      case 'search': {
        const qq = params.get('q') ?? '';
        const type = params.get('type');
        if (!qq) return { status: 400, body: { error: { status: 400, message: 'No search query' } } };
        const m = /^\s*(upc|isrc):\s*(\S+)\s*$/i.exec(qq);
        if (type === 'album' && m?.[1]?.toLowerCase() === 'upc') {
          return { status: 200, body: { albums: { items: m[2] === r.upc ? [this.albumItem()] : [], total: m[2] === r.upc ? 1 : 0 } } };
        }
        if (type === 'track' && m?.[1]?.toLowerCase() === 'isrc') return { status: 200, body: { tracks: { items: [], total: 0 } } };
        return { status: 400, body: { error: { status: 400, message: 'Unsupported search' } } };
      }
      case 'album': {
        const id = decodeURIComponent(rest.slice('/v1/albums/'.length));
        if (id !== r.albumId) return { status: 404, body: { error: { status: 404, message: 'Non existing id' } } };
        return { status: 200, body: { ...this.albumItem(), external_ids: { upc: r.upc } } };
      }
      case 'put':
      case 'contains': {
        const raw = params.get('uris');
        if (!raw) return { status: 400, body: { error: { status: 400, message: 'Missing required parameter: uris' } } };
        const uris = raw.split(',');
        if (uris.length > 40) return { status: 400, body: { error: { status: 400, message: 'Too many uris requested (at most 40)' } } };
        let mask = 0;
        for (const u of uris) {
          const i = this.uriIndex.get(u);
          if (i === undefined) return { status: 400, body: { error: { status: 400, message: `Invalid uri: ${u}` } } };
          mask |= 1 << i;
        }
        const a = acc!;
        if (route === 'put') {
          if (mask & ALBUM_BIT && !(a.m & ALBUM_BIT)) a.s = Date.now() - this.startedAt + 1;
          a.m |= mask;
          a.p++;
          a.t |= this.tagBit(tag);
          this.record('put', req, tag, mask, a.m);
          return { status: 200, body: undefined };
        }
        a.c++;
        this.record('contains', req, tag, mask, a.m);
        return { status: 200, body: uris.map((u) => (a.m & (1 << this.uriIndex.get(u)!)) !== 0) };
      }
      default:
        return { status: 404, body: { error: { status: 404, message: 'Service not found' } } };
    }
  }

  private record(route: 'put' | 'contains', req: http.IncomingMessage, tag: string, asked: number, has: number): void {
    if (!this.log) return;
    const account = this.accountNameFromAuth(req)!;
    this.calls.push({ route, account, tag, album: (asked & ALBUM_BIT) !== 0, present: (has & ALBUM_BIT) !== 0, at: Date.now() });
  }

  private albumItem() {
    const r = this.release;
    return {
      id: r.albumId,
      type: 'album',
      uri: albumUri(r),
      name: r.title,
      album_type: 'album',
      artists: [{ id: r.artistId, type: 'artist', uri: artistUri(r), name: r.artistName }],
      external_urls: { sandbox: `${this.url}/album/${r.albumId}` },
    };
  }

  private token(req: http.IncomingMessage, res: http.ServerResponse, rs: RouteStats): void {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const account = form.get('grant_type') === 'refresh_token' ? this.accountOf(form.get('refresh_token') ?? undefined, 'ref-') : null;
      if (!account) {
        rs.s4xx++;
        return this.send(res, 400, { error: 'invalid_grant', error_description: 'Invalid refresh token' });
      }
      this.refreshes++;
      rs.ok++;
      const n = ++this.tokenCounter;
      this.send(
        res,
        200,
        {
          access_token: `tok-${account}.r${n}`,
          refresh_token: `ref-${account}.r${n}`,
          token_type: 'Bearer',
          expires_in: 3600,
          scope: 'user-library-modify user-library-read user-follow-modify',
        },
        { 'cache-control': 'no-store' },
      );
    });
  }

  private control(req: http.IncomingMessage, res: http.ServerResponse, path: string, query: string): void {
    const json = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (path === '/__stats' && req.method === 'GET') {
      req.resume();
      return json(200, this.stats(new URLSearchParams(query).get('detail') === '1'));
    }
    if (path === '/__saved' && req.method === 'GET') {
      req.resume();
      const ranks = (new URLSearchParams(query).get('ranks') ?? '')
        .split(',')
        .filter(Boolean)
        .map(Number)
        .filter((k) => Number.isInteger(k));
      return json(200, this.firstSavedAt(ranks));
    }
    if (path === '/__reset' && req.method === 'POST') {
      req.resume();
      this.reset();
      return json(200, { ok: true });
    }
    if (path === '/__faults' && req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (body += d));
      req.on('end', () => {
        try {
          const f = JSON.parse(body || '{}') as Partial<FaultRates> & { latencyMs?: number };
          for (const k of ['p5xx', 'p429', 'preset', 'phang'] as const) if (typeof f[k] === 'number') this.faults[k] = f[k];
          if (typeof f.latencyMs === 'number') this.latencyMs = f.latencyMs;
          json(200, { faults: this.faults, latency_ms: this.latencyMs });
        } catch {
          json(400, { error: 'body must be JSON' });
        }
      });
      return;
    }
    if (path === '/__library' && req.method === 'GET') {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      const it = this.library();
      const pump = () => {
        let chunk = '';
        for (;;) {
          const next = it.next();
          if (next.done) {
            res.end(chunk);
            return;
          }
          chunk += `${JSON.stringify(next.value)}\n`;
          if (chunk.length > 64 * 1024) {
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
            chunk = '';
          }
        }
      };
      return pump();
    }
    req.resume();
    json(404, { error: 'unknown control path' });
  }
}

function routeOf(method: string, rest: string): Route {
  if (rest === '/api/token') return method === 'POST' ? 'token' : 'other';
  if (rest === '/v1/me/library') return method === 'PUT' ? 'put' : 'other';
  if (rest === '/v1/me/library/contains') return 'contains';
  if (rest === '/v1/me') return 'me';
  if (rest === '/v1/search') return 'search';
  if (rest.startsWith('/v1/albums/')) return 'album';
  return 'other';
}

/** Starts a fake on a loopback port (0: any free one). */
export async function startFanoutFake(opts: FanoutFakeOptions & { port?: number } = {}): Promise<FanoutFake> {
  const fake = new FanoutFake(opts);
  await fake.listen(opts.port ?? 0);
  return fake;
}

/** A client for a fake running in another process. */
export class FanoutFakeClient {
  constructor(readonly url: string) {}

  async stats(detail = false): Promise<Record<string, unknown> & FakeStats> {
    const res = await fetch(`${this.url}/__stats${detail ? '?detail=1' : ''}`);
    return (await res.json()) as Record<string, unknown> & FakeStats;
  }

  /** When the k-th account first had the album, per rank asked (see FanoutFake.firstSavedAt). */
  async firstSavedAt(ranks: number[]): Promise<{ accounts_saved: number; at: Record<string, number | null> }> {
    const res = await fetch(`${this.url}/__saved?ranks=${ranks.join(',')}`);
    return (await res.json()) as { accounts_saved: number; at: Record<string, number | null> };
  }

  async reset(): Promise<void> {
    await fetch(`${this.url}/__reset`, { method: 'POST' });
  }

  async setFaults(f: Partial<FaultRates> & { latencyMs?: number }): Promise<void> {
    await fetch(`${this.url}/__faults`, { method: 'POST', body: JSON.stringify(f), headers: { 'content-type': 'application/json' } });
  }

  /** Streams the fake's library record, one entry per account. */
  async *library(): AsyncGenerator<LibraryEntry> {
    const res = await fetch(`${this.url}/__library`);
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buf = '';
    for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(part, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line) yield JSON.parse(line) as LibraryEntry;
      }
    }
    if (buf.trim()) yield JSON.parse(buf) as LibraryEntry;
  }
}

/** The parts of /__stats the harnesses read. */
export interface FakeStats {
  requests: number;
  first_request_at: number | null;
  last_request_at: number | null;
  accepted_requests: number;
  accepted_per_s: number;
  rate_limited_429: number;
  fault_429: number;
  max_accepted_in_window: number | null;
  retry_after: { windows_announced: number; requests_in_window: number; requests_in_window_after_grace: number; grace_ms: number };
  refreshes: number;
  routes: Record<
    string,
    { n: number; ok: number; s4xx: number; s429_limit: number; s429_fault: number; s5xx: number; reset: number; hang: number }
  >;
  library: {
    accounts: number;
    accounts_saved: number;
    uris_saved: number;
    effective_puts: number;
    put_requests: number;
    accounts_with_repeat_puts: number;
    repeat_puts: number;
    accounts_put_by_several_tags: number;
    contains_calls: number;
  };
  per_second?: number[];
}
