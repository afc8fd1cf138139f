import { campaignPause, FOLLOW_ARTIST_UNKNOWN } from '../../campaigns/pauses.js';
import type { FollowOutcome } from '../../presaves/lifecycle/follow-outcome.js';
import type { ProviderAdapter, ResolvedRelease } from '../../providers/types.js';
import { classify, type Verdict } from './classify.js';
import { followAfterFailedAttempt } from './decision.js';
import { pauseCampaign, type Job } from './job.js';

/**
 * Whether to follow the artist: the pre-save asks for it and this grant has the follow scopes
 * (a fan who later pre-saved a campaign that does not follow authorized without them, and the
 * save must not fail for it).
 */
export function wantsFollow(job: Job): boolean {
  return job.row.follow_artist !== 0 && canFollow(job.session.adapter, job.grant.scopes);
}

function canFollow(adapter: ProviderAdapter, grantScopes: string): boolean {
  if (!adapter.canFollowArtists) return false;
  const base = new Set(adapter.scopesFor({ followArtist: false }));
  const have = new Set(grantScopes.split(' ').filter(Boolean));
  if (have.size === 0) return true; // the service did not report scopes: we asked for what the campaign needs
  return adapter.scopesFor({ followArtist: true }).every((s) => base.has(s) || have.has(s));
}

/**
 * The follow, on its own: a separate call and a separate outcome from the album. Nothing here
 * throws; a service refusing the artist id the artist gave pauses the campaign's follows on this
 * service (`waiting` until an editor fixes it and resumes).
 */
export async function followArtist(job: Job, release: ResolvedRelease | null): Promise<FollowOutcome> {
  const { ctx, loaders, followPaused } = job.deps;
  const { row, campaign, name, session } = job;
  if (followPaused?.(campaign.id, row.service)) {
    // The service's own words, as the follow that caused the pause recorded them: every follow
    // held by one pause then reads (and is counted in the report) alike.
    const p = await campaignPause(ctx.db, campaign.id, row.service);
    if (p) return { status: 'waiting', error: p.detail ?? p.message };
  }
  // Follow the profile the artist named in the editor when there is one: the release's own
  // artist list also holds featured artists, whom the fan did not ask to follow.
  const named = await loaders.artistFor(campaign.id, row.service);
  const artists = named ? [named] : (release?.artistUris ?? []);
  if (!artists.length) return { status: 'failed', error: `no artist to follow on ${name}` };
  const artistsGiven = named !== null || release?.matchedBy === 'override';
  try {
    await session.call((t) => session.adapter.saveToLibrary(t, artists), 'follow');
    if ((await session.call((t) => session.adapter.libraryContains(t, artists), 'follow')).every(Boolean))
      return { status: 'done', error: null };
    return followAfterFailedAttempt(ctx, row, `${name} accepted the follow but the artist is not followed (verification failed)`);
  } catch (err) {
    return followVerdict(job, await classify(job, err, 'following'), artists, artistsGiven);
  }
}

async function followVerdict(job: Job, v: Verdict, artists: string[], artistsGiven: boolean): Promise<FollowOutcome> {
  const { name } = job;
  switch (v.kind) {
    case 'wait':
      return { status: 'queued', error: v.error, at: v.at };
    case 'retry':
      return followAfterFailedAttempt(job.deps.ctx, job.row, v.error);
    case 'give_up':
      return { status: 'failed', error: v.error };
    case 'refused':
      if (v.refusedId && artistsGiven) {
        await pauseCampaign(
          job,
          FOLLOW_ARTIST_UNKNOWN,
          `${name} does not know the artist to follow (${artists.join(', ')}). Correct the ${name} artist in the campaign editor, then resume: every fan's follow is delivered then (their albums are already saved).`,
          v.err,
        );
        return { status: 'waiting', error: v.err.message };
      }
      return { status: 'failed', error: v.err.message };
  }
}
