import { buildApp } from '../../../src/app.js';
import { createContext } from '../../../src/bootstrap.js';
import { createCampaign } from '../../../src/campaigns/service.js';
import { loadConfig } from '../../../src/config.js';
import type { AppContext } from '../../../src/context.js';
import type { Dialect } from '../../../src/db/index.js';
import { FulfillmentWorker } from '../../../src/fulfillment/worker.js';
import { appleMusicRoutes } from '../../../src/web/routes/apple-music.js';
import { createTestDb } from '../../helpers/db.js';
import type { FanBrowser } from '../../helpers/fan.js';
import { freePort, type TestServer } from '../../helpers/server.js';
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

/**
 * Like test/helpers/server.ts's startTestServer, with the Apple Music routes registered when
 * src/app.ts does not (yet) register them itself.
 */
export async function startDropday(dialect: Dialect, env: Record<string, string>, now?: () => number): Promise<TestServer> {
  const port = await freePort();
  const testDb = await createTestDb(dialect, { PORT: String(port), WORKER_POLL_MS: '100', ...env });
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    DATA_DIR: testDb.config.dataDir,
    ENCRYPTION_KEYS: `test:${testDb.config.encryptionKeys![0]!.key.toString('base64')}`,
    DEMO: 'false',
    WORKER_POLL_MS: '100',
    ...(testDb.config.database.kind === 'postgres'
      ? { DATABASE_URL: testDb.config.database.url, DATABASE_SCHEMA: testDb.config.database.schema! }
      : { DATABASE_URL: `sqlite:${testDb.config.database.file}` }),
    ...env,
  });
  await testDb.close();
  const ctx = await createContext(config, now ? { now } : {});
  const worker = new FulfillmentWorker(ctx);
  const hooks = { onPresave: () => worker.nudge() };
  const app = await buildApp(ctx, hooks);
  if (!app.hasRoute({ method: 'POST', url: '/callback/apple-music' })) appleMusicRoutes(app, ctx, hooks);
  await app.listen({ host: '127.0.0.1', port });
  return {
    ctx,
    app,
    url: `http://127.0.0.1:${port}`,
    testDb,
    worker,
    async close() {
      await worker.stop();
      await app.close();
      await ctx.close();
      await testDb.drop();
    },
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
