import type { EnvReader } from '../config-reader.js';

/** Settings of the REST API (docs/api.md "Rate limits"). */
export interface ApiConfig {
  /** Requests per minute one API key may make (API_RATE_LIMIT). */
  rateLimitPerMinute: number;
  /** Failed authentications per minute from one network before it is refused (API_AUTH_FAILURES_PER_MINUTE). */
  authFailuresPerMinute: number;
}

export function readApiSettings(r: EnvReader): ApiConfig {
  return {
    rateLimitPerMinute: r.int('API_RATE_LIMIT', 600, 1, 1_000_000),
    authFailuresPerMinute: r.int('API_AUTH_FAILURES_PER_MINUTE', 30, 1, 100_000),
  };
}
