import { withCheckDigit } from './campaigns/identifiers.js';
import { countCampaigns, type Campaign } from './campaigns/repo.js';
import { createCampaign } from './campaigns/service.js';
import type { AppContext } from './context.js';

export const DEMO_LEAD_MS = 10 * 60_000;

/**
 * On an empty database outside production, a clearly labelled demo campaign on the Sandbox,
 * releasing 10 minutes after start, so a newcomer sees the whole loop without any account.
 */
export async function ensureDemoCampaign(ctx: AppContext): Promise<Campaign | null> {
  if (!ctx.config.demo || ctx.config.env === 'production' || !ctx.config.sandbox.enabled) return null;
  if ((await countCampaigns(ctx.db)) > 0) return null;
  const releaseAt = new Date(ctx.now() + DEMO_LEAD_MS).toISOString();
  return createCampaign(
    { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
    {
      slug: 'demo',
      artistName: 'The Sandbox Collective',
      title: 'Demo Release',
      releaseType: 'single',
      artworkUrl: null,
      upc: withCheckDigit(String(ctx.now()).slice(-11).padStart(11, '0')),
      isrcs: [],
      releaseAt,
      timezone: 'UTC',
      timing: 'global',
      services: ['sandbox'],
      followArtist: true,
    },
    { demo: true },
  );
}
