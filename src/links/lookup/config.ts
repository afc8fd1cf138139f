import type { EnvReader } from '../../config-reader.js';

/**
 * Settings of the store-link look-ups (docs/store-links.md), read by config.ts. Base URLs point at
 * the real services unless a test points them at its fakes.
 */
export interface LinkLookupConfig {
  enabled: boolean;
  /** How often the worker process looks for due look-ups. */
  pollMs: number;
  itunes: { url: string; country: string; perMinute: number };
  deezer: { url: string; perMinute: number };
  odesli: { enabled: boolean; url: string; apiKey: string | null; country: string; perMinute: number };
}

export function readLinkLookupSettings(r: EnvReader, nodeEnv: string): LinkLookupConfig {
  const country = (name: string, def: string) => {
    const v = r.str(name) ?? def;
    if (/^[A-Za-z]{2}$/.test(v)) return v.toUpperCase();
    r.problem(`${name} must be a two-letter country code such as US (got "${v}")`);
    return def;
  };
  const apiKey = r.str('ODESLI_API_KEY') ?? null;
  return {
    // Off in tests unless a test turns it on: no test may reach the real services.
    enabled: r.bool('LINK_LOOKUP_ENABLED', nodeEnv !== 'test'),
    pollMs: r.int('LINK_LOOKUP_POLL_MS', 60_000, 100, 3_600_000),
    itunes: {
      url: r.baseUrl('ITUNES_LOOKUP_URL', 'https://itunes.apple.com'),
      country: country('ITUNES_COUNTRY', 'US'),
      // Apple asks for modest rates; about 20 a minute is the commonly cited limit.
      perMinute: r.int('ITUNES_LOOKUPS_PER_MINUTE', 20, 1, 6000),
    },
    deezer: {
      url: r.baseUrl('DEEZER_PUBLIC_API_URL', 'https://api.deezer.com'),
      // Deezer's quota is about 50 requests per 5 seconds; stay well inside it.
      perMinute: r.int('DEEZER_LOOKUPS_PER_MINUTE', 300, 1, 6000),
    },
    odesli: {
      enabled: r.bool('ODESLI_ENABLED', true),
      url: r.baseUrl('ODESLI_API_URL', 'https://api.song.link/v1-alpha.1'),
      apiKey,
      country: country('ODESLI_COUNTRY', 'US'),
      // 10 a minute without a key; a key raises it (say how far with ODESLI_LOOKUPS_PER_MINUTE).
      perMinute: r.int('ODESLI_LOOKUPS_PER_MINUTE', 10, 1, 6000),
    },
  };
}
