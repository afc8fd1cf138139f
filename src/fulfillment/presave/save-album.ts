import { RELEASE_OVERRIDE_UNKNOWN, RELEASE_REFUSED } from '../../campaigns/pauses.js';
import type { AppContext } from '../../context.js';
import type { ResolvedRelease } from '../../providers/types.js';
import { storeMatch } from '../../releases/matches.js';
import { releasePollMs } from '../release-poll.js';
import { classify, type Verdict } from './classify.js';
import { afterFailedAttempt, decide, type Decision } from './decision.js';
import { pauseCampaign, type Job } from './job.js';
import { Deferred } from './service-session.js';

/**
 * The album, on its own: find the release on the service, take a last look that the pre-save is
 * still wanted, save it and verify it landed. Resolves to the release once the album is in the
 * fan's library; otherwise to what to write instead.
 *
 * Saves first: when the service's budget is the bottleneck (`governor.contended`), the save is
 * sent and its verification left to the verify queue (await-verify), so the budget fills fans'
 * libraries at the full rate the limit allows. A row from the verify queue (`save_accepted_at`)
 * is only verified here: counted saved once the album shows, saved again if it does not.
 */
export async function saveAlbum(job: Job): Promise<{ release: ResolvedRelease } | Decision> {
  const { ctx, loaders } = job.deps;
  const { row, name, session } = job;
  let release: ResolvedRelease | null = null;
  let accepted = false;
  try {
    release = await findRelease(job);
    if (!release) return releaseNotOut(ctx, job);

    // The last look before writing to a fan's library: a pre-save cancelled or erased since it
    // was claimed is never saved.
    if (!(await loaders.stillPending.load(row.id))) return decide.fenced('no longer pending');

    const album = [release.albumUri];
    const verified = async () => (await session.call((t) => session.adapter.libraryContains(t, album), 'verify')).every(Boolean);
    const notThere = `${name} accepted the save but it is not in the library (verification failed)`;
    if (row.save_accepted_at !== null) {
      // From the verify queue: the service accepted this save earlier; it counts once it shows.
      if (!(await verified())) return afterFailedAttempt(ctx, row, notThere, 'verifyMissed');
      return { release };
    }
    // A pre-save tried before may have been saved by an attempt that never got to record it (a
    // crash, a lost connection, an answer lost on the way back): look before writing again.
    const triedBefore = row.attempts > 1 || row.last_error !== null;
    const already = triedBefore && (await session.call((t) => session.adapter.libraryContains(t, album))).every(Boolean);
    if (!already) {
      await session.call((t) => session.adapter.saveToLibrary(t, album));
      accepted = true;
      // Saves first: with the budget short, the verification waits its turn in the verify queue.
      if (job.deps.governor.contended(row.service)) return decide.awaitVerify();
      if (!(await verified())) return afterFailedAttempt(ctx, row, notThere);
    }
    return { release };
  } catch (err) {
    const v = await classify(job, err, 'fulfillment');
    // The save went through and only its verification has to wait: it waits in the verify queue.
    if (accepted && v.kind === 'wait') return decide.awaitVerify(v.at);
    // Waited in line for the budget and sent nothing: back as it was (it is not marked as tried,
    // so its next claim does not spend a call looking before it writes).
    if (err instanceof Deferred && err.budget && !session.sent) return decide.unclaim(err.why);
    return albumVerdict(job, v, release);
  }
}

/** The release as matched for this market, or searched for once per campaign, service and market. */
async function findRelease(job: Job): Promise<ResolvedRelease | null> {
  const { ctx, loaders } = job.deps;
  const { row, campaign, session } = job;
  const known = await loaders.match(campaign.id, row.service, row.market);
  if (known) return known;
  return loaders.searchOnce(campaign.id, row.service, row.market, async () => {
    const found = await session.call((t) =>
      session.adapter.resolveRelease(t, {
        upc: campaign.upc,
        isrcs: campaign.isrcs,
        artistName: campaign.artist_name,
        title: campaign.title,
        ...(row.market ? { market: row.market } : {}),
      }),
    );
    if (found) {
      await storeMatch(ctx.db, campaign.id, row.service, row.market, found, ctx.now());
      loaders.forgetMatch(campaign.id, row.service, row.market);
    }
    return found;
  });
}

/** Not out on the service yet: looked for again on the release polling cadence, until WORKER_RELEASE_SEARCH_HOURS. */
function releaseNotOut(ctx: AppContext, job: Job): Decision {
  const waited = ctx.now() - job.row.due_at;
  if (waited >= ctx.config.worker.releaseSearchHours * 3_600_000) return decide.failed(`release not found on ${job.name}`);
  return decide.awaitRelease(`release not yet found on ${job.name}`, ctx.now() + releasePollMs(waited));
}

async function albumVerdict(job: Job, v: Verdict, release: ResolvedRelease | null): Promise<Decision> {
  const { ctx } = job.deps;
  const { name } = job;
  switch (v.kind) {
    case 'wait':
      return decide.defer(v.error, v.at);
    case 'retry':
      return afterFailedAttempt(ctx, job.row, v.error);
    case 'give_up':
      return decide.failed(v.error);
    case 'refused': {
      if (!v.refusedId) return afterFailedAttempt(ctx, job.row, v.err.message);
      // The service refused the release itself: the same answer awaits every fan of the
      // campaign, so pause it here (when the artist set the release, or before any fan's save
      // landed) instead of failing them one by one; otherwise this fan alone is refused.
      const override = release?.matchedBy === 'override';
      if (!override && (await anySaved(ctx, job))) return decide.failed(`${name} refused the save: ${v.err.message}`);
      await pauseCampaign(
        job,
        override ? RELEASE_OVERRIDE_UNKNOWN : RELEASE_REFUSED,
        override
          ? `${name} does not know the release you set for it (${release!.albumUri}). Correct the ${name} release in the campaign editor (or with \`dropday campaign match\`), then resume.`
          : `${name} refused to save the release found for this campaign. Check the UPC and ISRCs, or set the ${name} release by hand in the campaign editor, then resume.`,
        v.err,
      );
      return decide.defer(`paused: ${name} refused the campaign's configuration`, ctx.now());
    }
  }
}

async function anySaved(ctx: AppContext, job: Job): Promise<boolean> {
  const r = await ctx.db
    .selectFrom('presaves')
    .select('id')
    .where('campaign_id', '=', job.campaign.id)
    .where('service', '=', job.row.service)
    .where('status', '=', 'saved')
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}
