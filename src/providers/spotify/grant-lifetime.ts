/**
 * Spotify ends every fan authorization 6 months after the fan consented: refresh tokens stop working
 * then, and refreshing does not extend it (since 2026-06-18 for new apps, 2026-07-20 for existing ones).
 * Dropday counts the 6 months as 183 days.
 */
export const SPOTIFY_GRANT_LIFETIME_MS = 183 * 86_400_000;

/** When a Spotify authorization given at `authorizedAt` (epoch ms) stops working. */
export function spotifyGrantExpiresAt(authorizedAt: number): number {
  return authorizedAt + SPOTIFY_GRANT_LIFETIME_MS;
}

/**
 * Whether a pre-save due at `dueAt` falls after the authorization given at `authorizedAt` has
 * expired, so the fan will have to authorize again before then (the thank-you page flags these).
 */
export function spotifyGrantExpiresBefore(authorizedAt: number, dueAt: number): boolean {
  return dueAt >= spotifyGrantExpiresAt(authorizedAt);
}
