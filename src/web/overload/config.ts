import type { EnvReader } from '../../config-reader.js';

/**
 * When the web process refuses new work (503 + Retry-After) and how its HTTP server treats
 * connections. Read by loadConfig (src/config.ts), the one validator; documented in
 * docs/operations.md. Defaults fit a 2-core box serving one web process per core.
 */
export interface OverloadConfig {
  /** Mean event-loop delay over one sample above which new work is refused (0: off). */
  maxEventLoopDelayMs: number;
  /** Event-loop utilisation (percent of one sample) above which new work is refused (0: off). */
  maxEventLoopUtilizationPercent: number;
  /** V8 heap in use above which new work is refused (0: off). */
  maxHeapUsedBytes: number;
  /** Resident memory above which new work is refused (0: off). */
  maxRssBytes: number;
  /** Time one event-loop turn may spend on new requests before the rest of the turn's get a 503 (0: off). */
  turnBudgetMs: number;
  /** A standing queue: the quickest answer of a sample took longer than this (0: off). */
  maxQueueMs: number;
  /**
   * Requests being served at once beyond which a new one is refused at once (0: no cap). Requests
   * that wait on the database (PostgreSQL's pool) queue behind each other: 64 at ~1,000 pages a
   * second is ~64 ms of queue; far more only makes everyone wait.
   */
  maxInFlight: number;
  /** How often the pressure figures are sampled; refusals start and stop on this beat. */
  sampleMs: number;
  /** The Retry-After on a refusal, and the busy page's automatic retry. */
  retryAfterSeconds: number;
  /** Node's server timeouts: a connection that sends its headers too slowly, or a whole request, is cut. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: number;
}

const MB = 1024 * 1024;

export function readOverloadSettings(r: EnvReader): OverloadConfig {
  const config: OverloadConfig = {
    maxEventLoopDelayMs: r.int('OVERLOAD_MAX_EVENT_LOOP_DELAY_MS', 200, 0, 60_000),
    maxEventLoopUtilizationPercent: r.int('OVERLOAD_MAX_EVENT_LOOP_UTILIZATION', 0, 0, 100),
    maxHeapUsedBytes: r.int('OVERLOAD_MAX_HEAP_MB', 1536, 0, 1_048_576) * MB,
    maxRssBytes: r.int('OVERLOAD_MAX_RSS_MB', 2048, 0, 1_048_576) * MB,
    turnBudgetMs: r.int('OVERLOAD_TURN_BUDGET_MS', 25, 0, 60_000),
    maxQueueMs: r.int('OVERLOAD_MAX_QUEUE_MS', 250, 0, 60_000),
    maxInFlight: r.int('OVERLOAD_MAX_IN_FLIGHT', 64, 0, 1_000_000),
    sampleMs: r.int('OVERLOAD_SAMPLE_MS', 250, 10, 60_000),
    retryAfterSeconds: r.int('OVERLOAD_RETRY_AFTER_S', 5, 1, 3600),
    headersTimeoutMs: r.int('HTTP_HEADERS_TIMEOUT_MS', 10_000, 1000, 600_000),
    requestTimeoutMs: r.int('HTTP_REQUEST_TIMEOUT_MS', 60_000, 1000, 3_600_000),
    keepAliveTimeoutMs: r.int('HTTP_KEEP_ALIVE_TIMEOUT_MS', 5000, 100, 600_000),
  };
  // Node requires it: a request cannot be given less time than its headers.
  if (config.requestTimeoutMs < config.headersTimeoutMs) {
    r.problem('HTTP_REQUEST_TIMEOUT_MS must be at least HTTP_HEADERS_TIMEOUT_MS (a whole request cannot take less time than its headers)');
  }
  return config;
}
