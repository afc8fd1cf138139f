import type { EnvReader } from '../config-reader.js';

/**
 * Settings for server-side conversion events (docs/conversions.md): where each platform's
 * endpoint is (tests point them at the fakes in test/fakes/) and how many requests a second
 * the delivery loop may spend on each (governor keys `conv:meta`, `conv:tiktok`, `conv:ga4`).
 */
export interface ConversionsConfig {
  metaUrl: string;
  tiktokUrl: string;
  ga4Url: string;
  /** Requests per second per platform (CONVERSIONS_RATE_META, _TIKTOK, _GA4). */
  rates: { meta: number; tiktok: number; ga4: number };
  /** Transient failures before an event is given up (CONVERSIONS_MAX_FAILURES). */
  maxFailures: number;
}

export function readConversionsSettings(r: EnvReader): ConversionsConfig {
  return {
    metaUrl: r.baseUrl('META_GRAPH_URL', 'https://graph.facebook.com'),
    tiktokUrl: r.baseUrl('TIKTOK_API_URL', 'https://business-api.tiktok.com'),
    ga4Url: r.baseUrl('GA4_URL', 'https://www.google-analytics.com'),
    rates: {
      meta: r.int('CONVERSIONS_RATE_META', 20, 1, 10_000),
      tiktok: r.int('CONVERSIONS_RATE_TIKTOK', 10, 1, 10_000),
      ga4: r.int('CONVERSIONS_RATE_GA4', 20, 1, 10_000),
    },
    maxFailures: r.int('CONVERSIONS_MAX_FAILURES', 8, 1, 100),
  };
}
