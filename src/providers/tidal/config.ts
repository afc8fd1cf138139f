import { redirectUriProblem, type EnvReader } from '../../config-reader.js';

export interface TidalConfig {
  clientId: string;
  clientSecret: string | null;
  redirectUri: string;
  /** Where the fan consents: https://login.tidal.com (…/authorize). */
  loginBaseUrl: string;
  /** Token endpoint base: https://auth.tidal.com/v1/oauth2 (…/token). */
  authBaseUrl: string;
  apiBaseUrl: string;
  /** ISO 3166-1 alpha-2 country for catalog look-ups when the fan's market is unknown (TIDAL_COUNTRY_CODE, default US). */
  countryCode: string;
}

/** TIDAL is enabled by TIDAL_CLIENT_ID. */
export function readTidalConfig(r: EnvReader, publicUrl: string): TidalConfig | null {
  const clientId = r.str('TIDAL_CLIENT_ID');
  if (!clientId) return null;
  const redirectUri = r.str('TIDAL_REDIRECT_URI') ?? `${publicUrl}/callback/tidal`;
  const p = redirectUriProblem('TIDAL_REDIRECT_URI (or PUBLIC_URL)', redirectUri);
  if (p) r.problem(p);
  const country = (r.str('TIDAL_COUNTRY_CODE') ?? 'US').toUpperCase();
  if (!/^[A-Z]{2}$/.test(country))
    r.problem(`TIDAL_COUNTRY_CODE must be a two-letter ISO 3166-1 country code such as US (got "${country}")`);
  return {
    clientId,
    clientSecret: r.str('TIDAL_CLIENT_SECRET') ?? null,
    redirectUri,
    loginBaseUrl: r.baseUrl('TIDAL_LOGIN_URL', 'https://login.tidal.com'),
    authBaseUrl: r.baseUrl('TIDAL_AUTH_URL', 'https://auth.tidal.com/v1/oauth2'),
    apiBaseUrl: r.baseUrl('TIDAL_API_URL', 'https://openapi.tidal.com/v2'),
    countryCode: /^[A-Z]{2}$/.test(country) ? country : 'US',
  };
}
