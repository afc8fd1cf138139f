import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Campaign } from '../../src/campaigns/repo.js';
import { createCampaign } from '../../src/campaigns/service.js';
import type { AppContext } from '../../src/context.js';
import { saveContest } from '../../src/growth/contests/store.js';
import { setPreviewClip } from '../../src/growth/previews/store.js';
import { setLeaderboardPublic } from '../../src/growth/settings.js';
import { sineWav } from './preview-audio.js';
import { addFile, addLink } from './vault.js';

const DAY = 86_400_000;

/**
 * A campaign with every growth part on, as the Growth page leaves it: a public leaderboard, a
 * running contest, a vault with an item a pre-saver unlocks and one that needs 3 counted referrals,
 * and a preview clip pre-savers may hear from now. Released `days` after `now`.
 */
export async function growthCampaign(
  ctx: AppContext,
  o: { slug: string; now: number; days?: number; title?: string; artistName?: string },
): Promise<Campaign> {
  const campaign = await createCampaign(
    { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
    {
      slug: o.slug,
      artistName: o.artistName ?? 'Nadia Rêve',
      title: o.title ?? 'Night Swim',
      upc: '036000291452',
      releaseAt: new Date(o.now + (o.days ?? 10) * DAY).toISOString().slice(0, 16),
      timezone: 'UTC',
      timing: 'global',
      services: ['sandbox'],
    },
  );
  await setLeaderboardPublic(ctx.db, campaign.id, true, o.now);
  await saveContest(
    ctx.db,
    campaign.id,
    {
      prize: 'A signed test pressing',
      rules: 'No purchase necessary. One entry per fan.',
      startsAt: o.now - DAY,
      endsAt: o.now + 5 * DAY,
      pointsPresave: 1,
      pointsReferral: 3,
      pointsContact: 1,
      method: 'draw',
      winners: 2,
    },
    o.now,
  );
  await addFile(ctx, campaign.id, { title: 'Liner notes', unlock: 'presave' });
  await addLink(ctx, campaign.id, {
    title: 'The making-of film',
    url: 'https://video.example.com/making-of',
    unlock: 'referrals',
    referrals: '3',
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dropday-clip-'));
  const file = path.join(dir, 'clip.wav');
  const wav = sineWav(2);
  fs.writeFileSync(file, wav);
  try {
    await setPreviewClip(ctx, campaign.id, {
      file,
      size: wav.length,
      mime: 'audio/wav',
      source: 'upload',
      seconds: null,
      availableFrom: o.now - DAY,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return campaign;
}
