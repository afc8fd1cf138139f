/**
 * Faults the fake TIDAL can be told to produce, as plain function calls from tests:
 * `faults.add({ kind: 'rate_limit', retryAfterSeconds: 2, count: 1, target: 'library' })`.
 */
export type FaultTarget =
  /** `userCollection*` items (save and verify). */
  | 'library'
  /** Catalog look-ups: albums, tracks, search. */
  | 'catalog'
  /** Who the fan is (collection owners, users). */
  | 'account'
  /** The OAuth token endpoint. */
  | 'token'
  /** Any API or token request. */
  | 'any';

export type FaultKind =
  /** 429 with Retry-After. */
  | 'rate_limit'
  /** 5xx (statusCode, default 503). */
  | 'server_error'
  /** Answer only after delayMs (longer than Dropday's outbound timeout to make it time out). */
  | 'slow'
  /** Drop the connection without answering. */
  | 'reset';

export interface FaultSpec {
  kind: FaultKind;
  target?: FaultTarget;
  /** How many matching requests it hits (default 1; Infinity for all). */
  count?: number;
  retryAfterSeconds?: number;
  statusCode?: number;
  delayMs?: number;
  /** Only requests with this method (e.g. 'POST' to hit saves but not verification reads). */
  method?: string;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

export class FaultSwitch {
  private readonly active: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    this.active.push({ ...spec, remaining: spec.count ?? 1 });
  }

  clear(): void {
    this.active.length = 0;
  }

  pending(): number {
    return this.active.reduce((n, f) => n + (Number.isFinite(f.remaining) ? f.remaining : 1), 0);
  }

  /** The fault that hits this request, if any (its count is used up). */
  take(target: Exclude<FaultTarget, 'any'>, method: string): FaultSpec | undefined {
    const i = this.active.findIndex(
      (f) => (f.target === undefined || f.target === 'any' || f.target === target) && (!f.method || f.method === method) && f.remaining > 0,
    );
    if (i < 0) return undefined;
    const f = this.active[i]!;
    f.remaining -= 1;
    if (f.remaining <= 0) this.active.splice(i, 1);
    return f;
  }
}
