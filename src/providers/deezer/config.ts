import { redirectUriProblem, type EnvReader } from '../../config-reader.js';

export interface DeezerConfig {
  appId: string;
  secret: string;
  redirectUri: string;
  connectBaseUrl: string;
  apiBaseUrl: string;
}

/** Deezer is enabled by DEEZER_APP_ID (existing apps only: Deezer closed registrations in 2024). */
export function readDeezerConfig(r: EnvReader, publicUrl: string): DeezerConfig | null {
  const appId = r.str('DEEZER_APP_ID');
  if (!appId) return null;
  const secret = r.str('DEEZER_SECRET');
  if (!secret) r.problem('DEEZER_SECRET is required when DEEZER_APP_ID is set');
  if (!/^\d+$/.test(appId)) r.problem('DEEZER_APP_ID must be the numeric application id');
  const redirectUri = r.str('DEEZER_REDIRECT_URI') ?? `${publicUrl}/callback/deezer`;
  const p = redirectUriProblem('DEEZER_REDIRECT_URI (or PUBLIC_URL)', redirectUri);
  if (p) r.problem(p);
  return {
    appId,
    secret: secret ?? '',
    redirectUri,
    connectBaseUrl: r.baseUrl('DEEZER_CONNECT_URL', 'https://connect.deezer.com'),
    apiBaseUrl: r.baseUrl('DEEZER_API_URL', 'https://api.deezer.com'),
  };
}
