import { getCampaignBySlug } from '../../../src/campaigns/repo.js';
import { createCampaign } from '../../../src/campaigns/service.js';
import type { AppContext } from '../../../src/context.js';
import type { Dialect } from '../../../src/db/index.js';
import { campaignStatusCounts } from '../../../src/presaves/repo.js';
import { FanBrowser } from '../../helpers/fan.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { startDeezerFake, type DeezerFake, type DeezerFakeOptions } from './index.js';

/**
 * Glue for integration tests: a real Dropday pointed at the Deezer fake (with its redirect URI
 * registered there), campaigns offering Deezer, and fans pre-saving through the consent page.
 */
export interface DeezerWorld {
  server: TestServer;
  fake: DeezerFake;
  close(): Promise<void>;
}

export async function startDeezerWorld(
  dialect: Dialect,
  opts: { env?: Record<string, string>; now?: () => number; fake?: DeezerFakeOptions } = {},
): Promise<DeezerWorld> {
  const fake = await startDeezerFake({ ...(opts.now ? { now: opts.now } : {}), ...opts.fake });
  let server: TestServer;
  try {
    server = await startTestServer(dialect, { ...fake.env(), ...opts.env }, opts.now);
  } catch (err) {
    await fake.close();
    throw err;
  }
  fake.state.addRedirectUri(`${server.url}/callback/deezer`);
  return {
    server,
    fake,
    async close() {
      await server.close();
      await fake.close();
    },
  };
}

export function deezerCampaign(
  ctx: AppContext,
  c: { slug: string; artistName: string; title: string; upc?: string | null; isrcs?: string[]; releaseAt: number; followArtist?: boolean },
) {
  return createCampaign(
    { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
    {
      slug: c.slug,
      artistName: c.artistName,
      title: c.title,
      upc: c.upc ?? null,
      isrcs: c.isrcs ?? [],
      releaseAt: new Date(c.releaseAt).toISOString(),
      timezone: 'UTC',
      timing: 'global',
      services: ['deezer'],
      followArtist: c.followArtist ?? false,
    },
  );
}

/** A fan's whole round trip through Deezer's consent page; returns the thank-you page URL. */
export async function presaveOnDeezer(base: string, slug: string, username: string, tz = 'UTC'): Promise<string> {
  const fan = new FanBrowser();
  const { consentUrl, requestId } = await fan.startPresave(base, slug, tz, 'deezer');
  const callback = await fan.decide(consentUrl, requestId, username, 'allow');
  const done = await fan.get(callback);
  if (done.status !== 303) throw new Error(`callback answered ${done.status}: ${(await done.text()).slice(0, 500)}`);
  return new URL(done.headers.get('location')!, base).toString();
}

export async function counts(ctx: AppContext, slug: string) {
  const c = await getCampaignBySlug(ctx.db, slug);
  return campaignStatusCounts(ctx.db, c.id, ctx.now());
}
