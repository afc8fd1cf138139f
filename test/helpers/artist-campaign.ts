import type { Page } from 'playwright-core';
import { setCampaignWorkspace } from '../../src/accounts/campaigns.js';
import { findWorkspaceBySlug, type Workspace } from '../../src/accounts/workspaces.js';
import type { Campaign } from '../../src/campaigns/repo.js';
import { createCampaign } from '../../src/campaigns/service.js';
import type { AppContext } from '../../src/context.js';
import { createWorkspace, signUp } from './account.js';

/**
 * In Chromium, the artist of the dashboard tests: signs up, makes the workspace "Neon Rain" and
 * gets its campaign "afterglow" (Sandbox, global timing): released at the wall-clock time that
 * `releaseAt` has in UTC, read in `timezone`.
 */
export async function artistWithCampaign(
  page: Page,
  ctx: AppContext,
  base: string,
  releaseAt: number,
  timezone = 'UTC',
): Promise<{ ws: Workspace; campaign: Campaign }> {
  await signUp(page, base);
  await createWorkspace(page, { name: 'Neon Rain', slug: 'neon-rain' });
  const ws = (await findWorkspaceBySlug(ctx.db, 'neon-rain'))!;
  const campaign = await createCampaign(
    { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
    {
      slug: 'afterglow',
      artistName: 'Neon Rain',
      title: 'Afterglow',
      upc: '036000291452',
      releaseAt: new Date(releaseAt).toISOString().slice(0, 16),
      timezone,
      timing: 'global',
      services: ['sandbox'],
    },
  );
  await setCampaignWorkspace(ctx.db, campaign.id, ws.id);
  return { ws, campaign };
}
