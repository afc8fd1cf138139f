import type { SpotifyFakeState, RequestTarget } from './state.js';

/**
 * Fault switches for tests. Each fault hits the next `count` requests (default 1; Infinity for
 * all) to its target, oldest fault first. Targets: a request kind, `api` (any Web API request),
 * or `all` (Web API and token endpoint; the consent pages are never hit).
 */
export type FaultTarget = Exclude<RequestTarget, 'authorize' | 'other'> | 'api' | 'all';

export type FaultSpec =
  /** 429 with Retry-After (seconds). */
  | { kind: 'rate_limit'; retryAfterSeconds: number; target?: FaultTarget; count?: number }
  /** 429 whose body says "reason":"QUOTA_EXCEEDED". */
  | { kind: 'quota'; retryAfterSeconds?: number; target?: FaultTarget; count?: number }
  /** A 5xx answer (default 503). */
  | { kind: 'server_error'; statusCode?: number; target?: FaultTarget; count?: number }
  /** Answers only after `delayMs` (longer than the client's timeout = a timeout). */
  | { kind: 'slow'; delayMs: number; target?: FaultTarget; count?: number }
  /** The connection is dropped without an answer (ECONNRESET). */
  | { kind: 'reset'; target?: FaultTarget; count?: number };

export type ActiveFault = FaultSpec & { remaining: number };

export interface RollingWindow {
  maxRequests: number;
  /** Spotify counts over a rolling 30-second window per app. */
  windowSeconds: number;
}

export class SpotifyFakeFaults {
  readonly active: ActiveFault[] = [];
  window: RollingWindow | null = null;
  private readonly windowHits = new Map<string, number[]>();

  constructor(private readonly state: SpotifyFakeState) {}

  add(spec: FaultSpec): void {
    this.active.push({ ...spec, remaining: spec.count ?? 1 });
  }

  clear(): void {
    this.active.length = 0;
    this.window = null;
    this.windowHits.clear();
  }

  /** The fan revokes the app's access (Spotify account → Manage apps → Remove access). */
  revoke(username: string): void {
    this.state.revokeUser(username);
  }

  /** Rate limiting over a rolling window per app: beyond `maxRequests` Web API calls → 429 + Retry-After. */
  rollingWindow(w: { maxRequests: number; windowSeconds?: number } | null): void {
    this.window = w ? { maxRequests: w.maxRequests, windowSeconds: w.windowSeconds ?? 30 } : null;
    this.windowHits.clear();
  }

  /** Takes one hit of the first fault matching this request kind. */
  take(target: RequestTarget): FaultSpec | undefined {
    if (target === 'authorize' || target === 'other') return undefined;
    const isApi = target !== 'token';
    const f = this.active.find(
      (x) =>
        x.remaining > 0 && ((x.target ?? 'api') === target || (x.target ?? 'api') === 'all' || ((x.target ?? 'api') === 'api' && isApi)),
    );
    if (!f) return undefined;
    f.remaining--;
    return f;
  }

  /** Seconds to wait when this app is over its rolling window, else null (and the request counts). */
  windowRetryAfter(clientId: string): number | null {
    if (!this.window) return null;
    const now = Date.now();
    const span = this.window.windowSeconds * 1000;
    const hits = (this.windowHits.get(clientId) ?? []).filter((t) => t > now - span);
    this.windowHits.set(clientId, hits);
    if (hits.length >= this.window.maxRequests) return Math.max(1, Math.ceil((hits[0]! + span - now) / 1000));
    hits.push(now);
    return null;
  }
}
