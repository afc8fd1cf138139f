import type { DeezerFakeState } from './state.js';

/**
 * Fault switches for the Deezer fake, as plain function calls. A fault hits the route groups its
 * target covers, `count` times (or until cleared when count is absent); the oldest matching
 * fault with hits left applies. The quota is separate: a sliding window over every API request,
 * answered like Deezer with HTTP 200 and error code 4.
 */
export type DeezerRouteGroup = 'token' | 'me' | 'lookup' | 'search' | 'save' | 'verify' | 'other';
export type DeezerFaultTarget = 'all' | 'api' | 'library' | DeezerRouteGroup;

interface FaultBase {
  target?: DeezerFaultTarget;
  count?: number;
}
export type DeezerFault = FaultBase &
  (
    | { kind: 'quota' }
    /** Any Deezer error as HTTP 200 `{"error":{type,message,code}}` (e.g. 700 busy, 200 permission). */
    | { kind: 'error'; code: number; type?: string; message?: string }
    /** A real HTTP 5xx with an HTML body, as Deezer's front servers give. */
    | { kind: 'server_error'; status?: 500 | 502 | 503 | 504 }
    | { kind: 'slow'; delayMs: number }
    /** The connection is dropped without an answer. */
    | { kind: 'reset' }
  );

const TARGETS_HITTING: Record<DeezerRouteGroup, DeezerFaultTarget[]> = {
  token: ['all', 'token'],
  me: ['all', 'api', 'me'],
  lookup: ['all', 'api', 'lookup'],
  search: ['all', 'api', 'search'],
  save: ['all', 'api', 'library', 'save'],
  verify: ['all', 'api', 'library', 'verify'],
  other: ['all', 'api'],
};

export interface QuotaSettings {
  limit: number;
  windowMs: number;
}

export class DeezerFaults {
  private readonly active: { fault: DeezerFault; remaining: number | null }[] = [];
  private quota: QuotaSettings | null;
  private window: number[] = [];
  /** How many requests the quota turned away. */
  quotaRejections = 0;

  constructor(
    private readonly state: DeezerFakeState,
    quota: QuotaSettings | null,
  ) {
    this.quota = quota;
  }

  add(fault: DeezerFault): void {
    this.active.push({ fault, remaining: fault.count ?? null });
  }

  clear(): void {
    this.active.length = 0;
  }

  /** The fan removed the app on Deezer: their tokens answer code 300 from now on. */
  revoke(username: string): void {
    this.state.revoke(username);
  }

  restrictPermissions(username: string, perms: string[]): void {
    this.state.restrictPermissions(username, perms);
  }

  /** Changes the quota (null = none) and forgets the requests counted so far. */
  setQuota(quota: QuotaSettings | null): void {
    this.quota = quota;
    this.window = [];
  }

  take(group: DeezerRouteGroup): DeezerFault | undefined {
    const hits = TARGETS_HITTING[group];
    for (const f of this.active) {
      if (!hits.includes(f.fault.target ?? 'all')) continue;
      if (f.remaining === null) return f.fault;
      if (f.remaining > 0) {
        f.remaining--;
        return f.fault;
      }
    }
    return undefined;
  }

  /**
   * Counts one API request against the quota (in real time: the quota is about request rate).
   * Requests turned away count too, so a client that hammers stays locked out.
   */
  overQuota(): boolean {
    if (!this.quota) return false;
    const now = Date.now();
    this.window = this.window.filter((t) => t > now - this.quota!.windowMs);
    this.window.push(now);
    if (this.window.length > this.quota.limit) {
      this.quotaRejections++;
      return true;
    }
    return false;
  }
}
