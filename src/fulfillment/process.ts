import type { GrantRow } from '../grants/repo.js';
import type { PresaveRow } from '../presaves/repo.js';
import { decide, type Decision } from './presave/decision.js';
import { followArtist, wantsFollow } from './presave/follow-artist.js';
import type { Outcome, ProcessDeps } from './presave/job.js';
import { saveAlbum } from './presave/save-album.js';
import { startJob } from './presave/start.js';

export type { Outcome, ProcessDeps } from './presave/job.js';

/**
 * Fulfils one claimed pre-save, in named steps (presave/): start (still wanted? campaign, grant,
 * service) → save the album (find the release, last look, save, verify) → follow the artist (a
 * separate call with its own outcome) → settle. Every step ends in a Decision — the lifecycle
 * transition to write — and every path ends in exactly one fenced settlement (or none, when the
 * row is no longer ours); nothing here throws to the caller.
 *
 * The follow never costs a fan the save: once the album is in the library the pre-save is
 * `saved`, and `follow_status` says what became of the follow — `done`; `queued` to be tried
 * again (the worker claims those from the follow queue); `waiting` when the service refused the
 * artist id the artist gave, which pauses the campaign's follows on that service until an editor
 * fixes the id and resumes; `failed` with `follow_error` when given up.
 *
 * Errors from the service are classified once (presave/classify.ts) for both the album and the
 * follow. A 400/404 ("no such id") is a configuration error: when it is the artist's own release
 * pick, or before any pre-save of the campaign landed on that service, the campaign is paused on
 * that service (campaigns/pauses.ts): its pre-saves stay pending and unclaimed, the attempt does
 * not count, and the editors are told what to fix. Every call first asks the rate governor; a
 * service that is paused (Retry-After) or whose quota breaker is open defers the pre-save
 * without counting an attempt against it.
 *
 * Saves first (presave/save-album.ts): when the service's budget is the bottleneck, the album
 * save's verification waits in the verify queue and the follow in the follow queue; calls ask the
 * governor by priority (save, then verify, then follow). With budget to spare, the album is saved
 * and verified and the artist followed in one pass.
 */
export interface ProcessOptions {
  /** The row's grant, when the worker loaded it together with the rest of its claim. */
  grant?: Promise<GrantRow | null>;
}

export async function processPresave(deps: ProcessDeps, row: PresaveRow, opts: ProcessOptions = {}): Promise<Outcome> {
  const decision = await decideFor(deps, row, opts);
  if ('fenced' in decision) return { result: 'fenced', detail: decision.fenced };
  deps.servicesDone?.(row.id);
  const lease = { id: row.id, grantId: row.grant_id, leaseToken: row.lease_token! };
  return (await deps.settler.settle(lease, decision.settlement)) ? decision.outcome : { result: 'fenced' };
}

async function decideFor(deps: ProcessDeps, row: PresaveRow, opts: ProcessOptions): Promise<Decision> {
  const job = await startJob(deps, row, opts.grant);
  if (!('session' in job)) return job;
  // A saved pre-save back from the follow queue: only its follow is left to do.
  if (row.status === 'saved')
    return decide.follow(await followArtist(job, await deps.loaders.match(job.campaign.id, row.service, row.market)));
  const album = await saveAlbum(job);
  if (!('release' in album)) return album;
  const uris = [album.release.albumUri];
  if (!wantsFollow(job)) return decide.saved(uris);
  // Follows rank after saves: with the budget short, the follow waits in the follow queue.
  if (deps.governor.contended(row.service)) return decide.saved(uris, { status: 'queued', error: null, at: deps.ctx.now() });
  return decide.saved(uris, await followArtist(job, album.release));
}
