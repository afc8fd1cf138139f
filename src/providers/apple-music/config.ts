import fs from 'node:fs';
import type { EnvReader } from '../../config-reader.js';

export interface AppleMusicConfig {
  teamId: string;
  keyId: string;
  /** The MusicKit private key (.p8, PEM). Never sent anywhere; it signs the developer token. */
  privateKeyPem: string;
  /** Developer-token lifetime; Apple allows at most 15,777,000 s (about 6 months). */
  tokenTtlSeconds: number;
  apiBaseUrl: string;
  /** Where the campaign page loads MusicKit JS from. */
  musicKitJsUrl: string;
  appName: string;
  /** How long the MusicKit page waits for authorize() before showing what to do instead (webviews can hang it for ever). */
  authorizeTimeoutMs?: number;
}

/** MusicKit's authorize() never settles in some apps' built-in browsers: after this the page offers the way out. */
export const MUSICKIT_AUTHORIZE_TIMEOUT_MS = 20_000;

/** Apple Music is enabled by APPLE_MUSIC_TEAM_ID. */
export function readAppleMusicConfig(r: EnvReader): AppleMusicConfig | null {
  const teamId = r.str('APPLE_MUSIC_TEAM_ID');
  if (!teamId) return null;
  const keyId = r.str('APPLE_MUSIC_KEY_ID');
  if (!keyId) r.problem('APPLE_MUSIC_KEY_ID is required when APPLE_MUSIC_TEAM_ID is set');
  let privateKeyPem = r.str('APPLE_MUSIC_PRIVATE_KEY')?.replace(/\\n/g, '\n');
  const file = r.str('APPLE_MUSIC_PRIVATE_KEY_FILE');
  if (!privateKeyPem && file) {
    try {
      privateKeyPem = fs.readFileSync(file, 'utf8');
    } catch {
      r.problem(`APPLE_MUSIC_PRIVATE_KEY_FILE cannot be read (${file})`);
    }
  }
  if (!privateKeyPem && !file) r.problem('set APPLE_MUSIC_PRIVATE_KEY_FILE (path to the .p8 key) or APPLE_MUSIC_PRIVATE_KEY');
  return {
    teamId,
    keyId: keyId ?? '',
    privateKeyPem: privateKeyPem ?? '',
    tokenTtlSeconds: r.int('APPLE_MUSIC_TOKEN_TTL_SECONDS', 15_552_000, 3600, 15_777_000),
    apiBaseUrl: r.baseUrl('APPLE_MUSIC_API_URL', 'https://api.music.apple.com'),
    musicKitJsUrl: r.baseUrl('APPLE_MUSIC_MUSICKIT_JS_URL', 'https://js-cdn.music.apple.com/musickit/v3/musickit.js'),
    appName: r.str('APPLE_MUSIC_APP_NAME') ?? 'Dropday',
    authorizeTimeoutMs: r.int('APPLE_MUSIC_AUTHORIZE_TIMEOUT_MS', MUSICKIT_AUTHORIZE_TIMEOUT_MS, 100, 300_000),
  };
}
