import { createCampaign } from '../../../src/campaigns/service.js';
import type { AppContext } from '../../../src/context.js';
import type { FanBrowser } from '../../helpers/fan.js';
import { startAppleMusicFake, type AppleMusicFake } from './index.js';
import { musicKitKeyPair } from './keys.js';

export { musicKitKeyPair };

export const TEAM_ID = 'TEAMID1234';
export const KEY_ID = 'KEYID56789';

export async function startFakeWithKeys(now?: () => number): Promise<{ fake: AppleMusicFake; privateKeyPem: string }> {
  const keys = musicKitKeyPair();
  const fake = await startAppleMusicFake({ publicKey: keys.publicKey, keyId: KEY_ID, teamId: TEAM_ID, ...(now ? { now } : {}) });
  return { fake, privateKeyPem: keys.privateKeyPem };
}

/** Dropday's environment for Apple Music pointed at the fake. */
export function appleMusicEnv(fake: AppleMusicFake, privateKeyPem: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    APPLE_MUSIC_TEAM_ID: TEAM_ID,
    APPLE_MUSIC_KEY_ID: KEY_ID,
    APPLE_MUSIC_PRIVATE_KEY: privateKeyPem,
    APPLE_MUSIC_API_URL: fake.url,
    APPLE_MUSIC_MUSICKIT_JS_URL: `${fake.url}/musickit.js`,
    APPLE_MUSIC_APP_NAME: 'Dropday Test',
    ...extra,
  };
}

export function appleCampaign(
  ctx: AppContext,
  o: {
    slug: string;
    releaseAt: number;
    upc?: string | null;
    isrcs?: string[];
    title?: string;
    artistName?: string;
    timing?: 'global' | 'local';
  },
) {
  return createCampaign(
    { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
    {
      slug: o.slug,
      artistName: o.artistName ?? 'Apple Artist',
      title: o.title ?? 'Orchard',
      ...(o.upc !== null ? { upc: o.upc ?? '036000291452' } : {}),
      ...(o.isrcs ? { isrcs: o.isrcs } : {}),
      releaseAt: new Date(o.releaseAt).toISOString(),
      timezone: 'UTC',
      timing: o.timing ?? 'global',
      services: ['apple-music'],
    },
  );
}

/**
 * What the MusicKit page does, without a browser: GET /connect/apple-music (state + browser
 * cookie), then POST the Music User Token with that state. Returns the POST's response.
 */
export async function connectApple(
  fan: FanBrowser,
  base: string,
  slug: string,
  musicUserToken: string,
  o: { tz?: string; json?: boolean; storefront?: string } = {},
): Promise<Response> {
  const state = await startApple(fan, base, slug, o.tz);
  return postCallback(fan, base, { state, musicUserToken, storefront: o.storefront ?? 'us' }, o.json ?? false);
}

export async function startApple(fan: FanBrowser, base: string, slug: string, tz = 'UTC'): Promise<string> {
  const res = await fan.get(`${base}/connect/apple-music?${new URLSearchParams({ campaign: slug, tz })}`);
  const html = await res.text();
  if (res.status !== 200) throw new Error(`connect answered ${res.status}: ${html.slice(0, 300)}`);
  const m = /data-state="([^"]+)"/.exec(html);
  if (!m) throw new Error('no state on the MusicKit page');
  return m[1]!;
}

export function postCallback(fan: FanBrowser, base: string, body: Record<string, string>, json: boolean): Promise<Response> {
  return fan.request(`${base}/callback/apple-music`, {
    method: 'POST',
    headers: json
      ? { 'content-type': 'application/json', accept: 'application/json' }
      : { 'content-type': 'application/x-www-form-urlencoded' },
    body: json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
  });
}
