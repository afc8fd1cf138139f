import http from 'node:http';
import type { Logger } from 'pino';
import { busyHtmlPages, busyJson, busyLang, type BusyAnswer } from './busy-page.js';
import type { Lang } from '../../i18n/index.js';
import type { OverloadConfig } from './config.js';

/**
 * Refusing new work when the process is saturated, in front of Fastify.
 *
 * The guard wraps the HTTP server's request handler (Fastify's `serverFactory`), so a refusal
 * costs no routing, no hooks, no session lookup and no request log line: precomputed bytes,
 * written at once. Refusing must be far cheaper than serving, or it would spend the capacity it
 * protects. Three triggers:
 *   - the event-loop turn is full (OVERLOAD_TURN_BUDGET_MS). Node 20 (libuv 1.46) accepts ONE
 *     new connection per event-loop turn (strace: one accept4 per epoll wake-up), and one turn
 *     runs every request that arrived on the keep-alive connections meanwhile. Measured
 *     (docs/performance.md, "Overload"): 400 busy keep-alive connections made turns of seconds,
 *     so new visitors' connections waited in the accept queue until the load stopped. When the
 *     last turn went over budget and this one has too (with at least TURN_MIN_ADMITTED admitted),
 *     the rest of this turn's requests get a fast 503: turns stay short, accepts stay frequent;
 *   - a standing queue (OVERLOAD_MAX_QUEUE_MS): when even the quickest of the requests answered
 *     in the last sample (at least QUEUE_MIN_ANSWERS of them) took longer than this, requests are
 *     waiting behind each other (on PostgreSQL: for the pool, while the loop itself is not full),
 *     and new ones are refused until the quickest is quick again (CoDel's test: the minimum, so one
 *     slow export or a burst does not count);
 *   - too many requests in flight (OVERLOAD_MAX_IN_FLIGHT): work already accepted would keep the
 *     newcomer waiting longer than a fan waits, so the newcomer gets a fast 503 instead;
 *   - the pressure signal (src/web/overload/pressure.ts: event-loop delay and utilisation, heap,
 *     RSS, sampled by @fastify/under-pressure), or one a test injects.
 *
 * Never refused: a fan in the middle of an authorization (the services' callbacks, the Apple Music
 * token POST, the Sandbox's consent and token endpoints, see NEVER_REFUSED) — refusing there loses a pre-save the
 * fan already agreed to, and the OAuth state expires; and /healthz and /metrics, so monitoring
 * sees a busy process instead of a dead one (a load balancer that drained a busy process would
 * move its load onto the others).
 */
export type PressureSignal = () => string | null;

/**
 * Path prefixes never refused (query strings aside). The whole Sandbox, not only its consent and
 * token endpoints: it stands in for an external service, and a callback calls its /v1/me after
 * the token, so refusing any of it would fail the fan's authorization all the same (a real
 * service is not refused by Dropday's load). Its traffic is the authorizing fans' and the
 * worker's, which the rate governor bounds.
 */
export const NEVER_REFUSED = ['/callback/', '/sandbox/', '/healthz', '/metrics'] as const;

export function neverRefused(url: string): boolean {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return NEVER_REFUSED.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p || path.startsWith(`${p}/`)));
}

/**
 * A turn admits at least this many requests before its budget can refuse any: one slow request
 * (an export, a big form) with a few others beside it is not overload; hundreds in one turn are.
 */
export const TURN_MIN_ADMITTED = 16;

/** Answers a sample needs before its quickest one says anything about a queue. */
export const QUEUE_MIN_ANSWERS = 8;

/** API calls and scripts asking for JSON get the JSON body; people get the page. */
function wantsJson(req: http.IncomingMessage): boolean {
  return (req.url ?? '').startsWith('/api/') || (req.headers.accept ?? '').includes('application/json');
}

export interface OverloadStats {
  inFlight: number;
  refusedInFlight: number;
  refusedPressure: number;
  refusedTurn: number;
  refusedQueue: number;
}

export class OverloadGuard {
  private inFlight = 0;
  private refusedInFlight = 0;
  private refusedPressure = 0;
  private refusedTurn = 0;
  private refusedQueue = 0;
  /** This sample's quickest answer (ms in flight) and how many answers it saw. */
  private quickest = Infinity;
  private answers = 0;
  /** Whether the last sample found a standing queue. */
  private queued = false;
  private inFlightAtSample = 0;
  private readonly sampler: NodeJS.Timeout | null;
  /** When the current event-loop turn's first request came (null: none yet this turn). */
  private turnStartedAt: number | null = null;
  private turnAdmitted = 0;
  /** Whether the last turn went over budget: one long turn is a burst, two in a row is saturation. */
  private lastTurnOver = false;
  private signal: PressureSignal = () => null;
  private front: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | null = null;
  private readonly html: Record<Lang, BusyAnswer>;
  private readonly json: BusyAnswer;
  /** Refusals since the last summary line (one line per interval, never one per request). */
  private sinceLog = { count: 0, reason: '' };
  private logTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: OverloadConfig,
    private readonly log: Pick<Logger, 'warn'>,
    /** Milliseconds, monotonic; tests pass their own. */
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.sampler = config.maxQueueMs > 0 ? setInterval(() => this.sampleQueue(), config.sampleMs).unref() : null;
    this.html = busyHtmlPages(config.retryAfterSeconds);
    this.json = busyJson(config.retryAfterSeconds);
  }

  /**
   * What answers an admitted request before the app does, when it can (web/page-front.ts: fresh
   * cached campaign pages); it returns false to pass the request on.
   */
  setFront(front: (req: http.IncomingMessage, res: http.ServerResponse) => boolean): void {
    this.front = front;
  }

  setSignal(signal: PressureSignal): void {
    this.signal = signal;
  }

  stats(): OverloadStats {
    return {
      inFlight: this.inFlight,
      refusedInFlight: this.refusedInFlight,
      refusedPressure: this.refusedPressure,
      refusedTurn: this.refusedTurn,
      refusedQueue: this.refusedQueue,
    };
  }

  /** For Fastify's `serverFactory`: the HTTP server, its timeouts, and the guard before the app. */
  readonly serverFactory = (handler: http.RequestListener): http.Server => {
    const server = http.createServer((req, res) => this.handle(req, res, handler));
    server.headersTimeout = this.config.headersTimeoutMs;
    server.requestTimeout = this.config.requestTimeoutMs;
    server.keepAliveTimeout = this.config.keepAliveTimeoutMs;
    return server;
  };

  private readonly release = (): void => {
    this.inFlight--;
  };

  /**
   * Every OVERLOAD_SAMPLE_MS: was there a standing queue? Either enough answers and even the
   * quickest was slow, or too few answers while many requests stayed in flight through two samples
   * (answers so slow that none came is the worst queue, not the absence of one). While refusing,
   * the in-flight requests drain and the queue clears. (Public for tests, which call it.)
   */
  sampleQueue(): void {
    const slow = this.answers >= QUEUE_MIN_ANSWERS && this.quickest > this.config.maxQueueMs;
    const stuck = this.answers < QUEUE_MIN_ANSWERS && this.inFlight >= QUEUE_MIN_ANSWERS && this.inFlightAtSample >= QUEUE_MIN_ANSWERS;
    this.queued = slow || stuck;
    this.inFlightAtSample = this.inFlight;
    this.quickest = Infinity;
    this.answers = 0;
  }

  /** Runs in the check phase, right after the poll phase that ran this turn's requests. */
  private readonly endTurn = (): void => {
    this.lastTurnOver = this.turnStartedAt !== null && this.clock() - this.turnStartedAt > this.config.turnBudgetMs;
    this.turnStartedAt = null;
    this.turnAdmitted = 0;
  };

  handle(req: http.IncomingMessage, res: http.ServerResponse, next: http.RequestListener): void {
    const turnFull = this.turnFull();
    this.turnAdmitted++;
    if (neverRefused(req.url ?? '/')) {
      // Not counted in flight: a callback waits on the streaming service (seconds, little CPU),
      // and fans mid-authorization must not make the page refuse others.
      next(req, res);
      return;
    }
    const reason = this.refusal(turnFull);
    if (reason) {
      this.turnAdmitted--;
      this.refuse(req, res, reason);
      return;
    }
    this.inFlight++;
    const admittedAt = this.clock();
    // 'close' comes whether the answer was sent or the client went away.
    res.once('close', () => {
      this.release();
      this.answers++;
      this.quickest = Math.min(this.quickest, this.clock() - admittedAt);
    });
    if (this.front && this.answeredInFront(req, res)) return;
    next(req, res);
  }

  /** A failure in the front is the app's to answer (its error handling, its log line), not a crash. */
  private answeredInFront(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    try {
      return this.front!(req, res);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return true;
      }
      this.log.warn({ err }, 'page front failed; the app answers instead');
      return false;
    }
  }

  private turnFull(): boolean {
    if (this.config.turnBudgetMs <= 0) return false;
    const now = this.clock();
    if (this.turnStartedAt === null) {
      this.turnStartedAt = now;
      setImmediate(this.endTurn);
      return false;
    }
    return this.lastTurnOver && this.turnAdmitted >= TURN_MIN_ADMITTED && now - this.turnStartedAt > this.config.turnBudgetMs;
  }

  private refusal(turnFull: boolean): string | null {
    if (turnFull) {
      this.refusedTurn++;
      return 'event loop turn full';
    }
    if (this.queued) {
      this.refusedQueue++;
      return 'requests queued';
    }
    if (this.config.maxInFlight > 0 && this.inFlight >= this.config.maxInFlight) {
      this.refusedInFlight++;
      return 'requests in flight';
    }
    const pressure = this.signal();
    if (pressure) this.refusedPressure++;
    return pressure;
  }

  private refuse(req: http.IncomingMessage, res: http.ServerResponse, reason: string): void {
    const answer = wantsJson(req) ? this.json : this.html[busyLang(req.headers['accept-language'], req.url)];
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    this.sinceLog.count++;
    this.sinceLog.reason = reason;
    this.logTimer ??= setTimeout(() => {
      this.log.warn(
        { refused: this.sinceLog.count, reason: this.sinceLog.reason, stats: this.stats() },
        'busy: refusing new requests (503)',
      );
      this.sinceLog = { count: 0, reason: '' };
      this.logTimer = null;
    }, 10_000).unref();
  }

  close(): void {
    if (this.logTimer) clearTimeout(this.logTimer);
    if (this.sampler) clearInterval(this.sampler);
  }
}
