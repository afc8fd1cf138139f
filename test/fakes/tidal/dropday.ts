import { getCampaignBySlug } from '../../../src/campaigns/repo.js';
import { createCampaign } from '../../../src/campaigns/service.js';
import type { AppContext } from '../../../src/context.js';
import type { Dialect } from '../../../src/db/index.js';
import { campaignStatusCounts } from '../../../src/presaves/repo.js';
import { FanBrowser } from '../../helpers/fan.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import type { TidalFake } from './index.js';

/** Test glue between a real Dropday (test/helpers/server.ts) and the fake TIDAL. */

export async function startDropdayWithTidal(
  dialect: Dialect,
  fake: TidalFake,
  env: Record<string, string> = {},
  now?: () => number,
): Promise<TestServer> {
  const server = await startTestServer(dialect, fake.env({ WORKER_RETRY_BASE_MS: '200', ...env }), now);
  fake.state.registerRedirectUri(`${server.url}/callback/tidal`);
  return server;
}

export interface TidalCampaignInput {
  slug: string;
  releaseAt: string;
  artistName?: string;
  title?: string;
  upc?: string | null;
  isrcs?: string[];
  followArtist?: boolean;
  timing?: 'global' | 'local';
}

export function tidalCampaign(ctx: AppContext, input: TidalCampaignInput) {
  return createCampaign(
    { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
    {
      slug: input.slug,
      artistName: input.artistName ?? 'Tide Artist',
      title: input.title ?? 'High Water',
      upc: input.upc === undefined ? '036000291452' : input.upc,
      isrcs: input.isrcs ?? [],
      releaseAt: input.releaseAt,
      timezone: 'UTC',
      timing: input.timing ?? 'global',
      services: ['tidal'],
      followArtist: input.followArtist ?? false,
    },
  );
}

/** A fan's whole round trip through TIDAL's consent page; returns the thank-you page URL. */
export async function presaveOnTidal(base: string, slug: string, username: string, tz = 'UTC', fan = new FanBrowser()): Promise<string> {
  const { consentUrl, requestId } = await fan.startPresave(base, slug, tz, 'tidal');
  const callback = await fan.decide(consentUrl, requestId, username, 'allow');
  const done = await fan.get(callback);
  if (done.status !== 303) throw new Error(`callback answered ${done.status}: ${(await done.text()).slice(0, 500)}`);
  return new URL(done.headers.get('location')!, base).toString();
}

export async function counts(ctx: AppContext, slug: string) {
  const c = await getCampaignBySlug(ctx.db, slug);
  return campaignStatusCounts(ctx.db, c.id, ctx.now());
}
