import { redirectUriProblem, type EnvReader } from '../../config-reader.js';

export interface SpotifyConfig {
  clientId: string;
  /** Optional: with a secret the token calls also authenticate the client (HTTP Basic); PKCE is used either way. */
  clientSecret: string | null;
  redirectUri: string;
  accountsBaseUrl: string;
  apiBaseUrl: string;
  /** Extended Quota apps only: fall back to legacy PUT /me/following when following via /me/library fails. */
  legacyFollowFallback: boolean;
}

/** Spotify is enabled by SPOTIFY_CLIENT_ID. */
export function readSpotifyConfig(r: EnvReader, publicUrl: string): SpotifyConfig | null {
  const clientId = r.str('SPOTIFY_CLIENT_ID');
  if (!clientId) return null;
  const redirectUri = r.str('SPOTIFY_REDIRECT_URI') ?? `${publicUrl}/callback/spotify`;
  const p = redirectUriProblem('SPOTIFY_REDIRECT_URI (or PUBLIC_URL)', redirectUri);
  if (p) r.problem(p);
  if (!/^[A-Za-z0-9]{16,64}$/.test(clientId))
    r.problem('SPOTIFY_CLIENT_ID must be the 32-character client id from the Spotify Developer Dashboard');
  return {
    clientId,
    clientSecret: r.str('SPOTIFY_CLIENT_SECRET') ?? null,
    redirectUri,
    accountsBaseUrl: r.baseUrl('SPOTIFY_ACCOUNTS_URL', 'https://accounts.spotify.com'),
    apiBaseUrl: r.baseUrl('SPOTIFY_API_URL', 'https://api.spotify.com/v1'),
    legacyFollowFallback: r.bool('SPOTIFY_LEGACY_FOLLOW', false),
  };
}
