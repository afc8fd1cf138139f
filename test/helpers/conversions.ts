import { createCampaign } from '../../src/campaigns/service.js';
import type { Campaign } from '../../src/campaigns/repo.js';
import type { AppContext } from '../../src/context.js';
import { saveConversionSettings } from '../../src/conversions/settings.js';

/** The pixels the conversion fakes know (ids and tokens of the documented shapes). */
export const META = { id: '123456789012345', token: 'EAAGoodToken1234567890' };
export const TIKTOK = { id: 'C4ABCDEFGHIJKLMNOPQR', token: 'tiktok-good-token-0123456789' };

/** A Sandbox campaign a month out with Meta, TikTok and GA4 set up, as the editor's panel saves them. */
export async function pixelCampaign(ctx: AppContext, slug: string, title: string): Promise<Campaign> {
  const campaign = await createCampaign(
    { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
    {
      slug,
      artistName: 'Pixel Band',
      title,
      upc: '036000291452',
      releaseAt: new Date(ctx.now() + 30 * 86_400_000).toISOString().slice(0, 16),
      timezone: 'UTC',
      timing: 'global',
      services: ['sandbox'],
    },
  );
  await saveConversionSettings(
    ctx,
    campaign.id,
    {
      meta: { id: META.id, secret: META.token, remove: false },
      tiktok: { id: TIKTOK.id, secret: TIKTOK.token, remove: false },
      ga4: { id: 'G-ABC123', secret: 'ga4secret123', remove: false },
    },
    ctx.now(),
  );
  return campaign;
}
