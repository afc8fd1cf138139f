import type { AppContext } from '../context.js';
import { markGrantDead, type GrantRow } from '../grants/repo.js';
import type { PresaveRow } from '../presaves/repo.js';
import { serviceName } from '../providers/services.js';
import { ProviderError, type ProviderAdapter, type ResolvedRelease } from '../providers/types.js';
import { storeMatch } from '../releases/matches.js';
import { DecryptError } from '../util/token-cipher.js';
import { accessTokenFor, GrantBusy } from './access-token.js';
import { backoffMs, releasePollMs } from './backoff.js';
import type { Priority, RateGovernor } from './governor.js';
import type { WorkerLoaders } from './loaders.js';
import type { FollowOutcome, Settlement, Settler } from './settle.js';
import { pauseAndNotify } from '../campaigns/pause-notice.js';
import { campaignPause, FOLLOW_ARTIST_UNKNOWN, RELEASE_OVERRIDE_UNKNOWN, RELEASE_REFUSED } from '../campaigns/pauses.js';
import type { Mailer } from '../mail/index.js';

/**
 * Fulfils one claimed pre-save: check it is still wanted, get a valid token, find the release,
 * save it, verify the save landed, then follow the artist as a separate call with its own
 * outcome, and settle the row. Every path ends in exactly one fenced settlement; nothing here
 * throws to the caller.
 *
 * The follow never costs a fan the save: once the album is in the library the pre-save is
 * `saved`, and `follow_status` says what became of the follow — `done`; `queued` to be tried
 * again (the worker claims those from the follow queue, see claim.ts); `waiting` when the service
 * refused the artist id the artist gave, which pauses the campaign's follows on that service until
 * an editor fixes the id and resumes; `failed` with `follow_error` when given up.
 *
 * A service answering 400/404 ("no such id") is a configuration error, not a transient one: when
 * it is the artist's own release pick, or before any pre-save of the campaign landed on that
 * service, the campaign is paused on that service (campaigns/pauses.ts): its pre-saves stay
 * pending and unclaimed, the attempt does not count, and the editors are told what to fix.
 *
 * Every call to the service first asks the rate governor; a service that is paused (Retry-After)
 * or whose quota breaker is open parks the pre-save without counting an attempt against it.
 *
 * Saves first: when the service's budget is the bottleneck (`governor.contended`), the album save
 * is sent and its verification left to the verify queue (`awaitVerify`, migration 015), so the
 * budget fills fans' libraries at the full rate the limit allows; the row is claimed again once
 * no save is due, verified, and only then counted saved (a save the service does not show is
 * saved again). Calls ask the governor with a priority — save, then verify, then follow — and a
 * follow waits in the follow queue while the budget is short. With budget to spare, the save is
 * verified and the artist followed in the same pass, as before.
 */
export interface Outcome {
  /** `followed`: a saved pre-save's follow, tried alone from the follow queue (whatever its outcome). */
  /** `verifying`: the service accepted the album save; its verification waits in the verify queue. */
  result: 'saved' | 'followed' | 'verifying' | 'failed' | 'cancelled' | 'retry' | 'fenced';
  detail?: string;
}

export interface ProcessDeps {
  ctx: AppContext;
  owner: string;
  governor: RateGovernor;
  settler: Settler;
  loaders: WorkerLoaders;
  /** Called once the pre-save needs nothing more from the service (just before its outcome is written). */
  servicesDone?: (presaveId: number) => void;
  /** Where pause notices go (the workspace's editors), when mail is configured. */
  mailer?: Mailer;
  /** Whether the campaign's follows on a service were paused when this batch was claimed. */
  followPaused?: (campaignId: number, service: string) => boolean;
}

/** Raised when the governor says not now: the pre-save is parked until `until`. */
class Deferred extends Error {
  constructor(
    readonly until: number,
    readonly why: string,
    /** Only the rate budget was short (no pause, no breaker). */
    readonly budget = false,
  ) {
    super(why);
  }
}

/**
 * How long a request waits in line for its service's rate budget before the pre-save is handed
 * back (its lease released, due again when the budget frees). Claims are sized to about two
 * seconds of budget, so in a steady fan-out nothing waits this long; a wait this long means other
 * workers, or more urgent calls, have the budget.
 */
const RATE_WAIT_MS = 5_000;

/** How long a pre-save waits when its service's quota breaker is open (an operator resumes sooner). */
const BREAKER_PARK_MS = 6 * 3_600_000;

/** `grant`: the row's grant, when the worker loaded it together with the rest of its claim. */
export async function processPresave(deps: ProcessDeps, row: PresaveRow, grantLoad?: Promise<GrantRow | null>): Promise<Outcome> {
  const { ctx, governor, settler, loaders } = deps;
  const lease = { id: row.id, grantId: row.grant_id, leaseToken: row.lease_token! };
  const name = serviceName(row.service);
  const now = () => ctx.now();
  const settle = async (s: Settlement, o: Outcome): Promise<Outcome> => {
    deps.servicesDone?.(row.id);
    return (await settler.settle(lease, s)) ? o : { result: 'fenced' };
  };
  const later = (kind: 'defer' | 'failedAttempt' | 'awaitRelease', error: string, at: number) =>
    settle({ kind, at, error }, { result: 'retry', detail: error });
  const defer = (error: string, at: number) => later('defer', error, at);
  const fail = (reason: string) => settle({ kind: 'failed', reason }, { result: 'failed', detail: reason });
  const cancel = (reason: string) => settle({ kind: 'cancelled', reason }, { result: 'cancelled', detail: reason });
  /**
   * A failure worth retrying: with backoff, until WORKER_MAX_ATTEMPTS attempts have failed.
   * Only attempts that reached the service count: a claim cut short by a crash tells nothing.
   */
  const failures = row.failures + 1;
  const backoff = () => now() + backoffMs(failures, ctx.config.worker.retryBaseMs, 10 * 60_000);
  const giveUpOr = (error: string, again: () => Promise<Outcome>) =>
    failures >= ctx.config.worker.maxAttempts ? fail(`${error} (gave up after ${failures} attempts)`) : again();
  const retryOrFail = (error: string) => giveUpOr(error, () => later('failedAttempt', error, backoff()));
  /** A save from the verify queue that is not in the library: saved again, as a failed attempt. */
  const verifyMissed = (error: string) =>
    giveUpOr(error, () => settle({ kind: 'verifyMissed', at: backoff(), error }, { result: 'retry', detail: error }));

  // A saved pre-save back from the follow queue: only its follow is left to do, and every way
  // out records the follow's outcome (the row stays `saved`).
  const followOnly = row.status === 'saved';
  const settleFollow = (f: FollowOutcome): Promise<Outcome> =>
    settle({ kind: 'follow', follow: f }, { result: 'followed', ...(f.error ? { detail: `follow ${f.status}: ${f.error}` } : {}) });
  const followAttempts = row.follow_attempts + 1;
  /** A follow that failed for a reason worth retrying: queued again with backoff, until WORKER_MAX_ATTEMPTS. */
  const followAgain = (error: string): FollowOutcome =>
    followAttempts >= ctx.config.worker.maxAttempts
      ? { status: 'failed', error: `${error} (gave up after ${followAttempts} attempts)`, failed: true }
      : { status: 'queued', error, at: now() + backoffMs(followAttempts, ctx.config.worker.retryBaseMs, 10 * 60_000), failed: true };

  // A pre-save whose work keeps being cut short (its worker crashes on it, every time) is given
  // up on too, so one poisonous row cannot take workers down forever.
  const interrupted = row.attempts - 1 - row.failures;
  if (!followOnly && interrupted >= ctx.config.worker.maxAttempts * 3) {
    return fail(`gave up: work on this pre-save was interrupted ${interrupted} times (a worker stopped or lost its lease each time)`);
  }

  const campaign = await loaders.campaign(row.campaign_id);
  const grant = await (grantLoad ?? loaders.grant.load(row.grant_id));
  if (followOnly) {
    if (!campaign || campaign.status !== 'active') return settleFollow({ status: 'failed', error: 'the campaign was archived' });
    if (!grant || grant.status !== 'active')
      return settleFollow({ status: 'failed', error: `the fan's ${name} authorization is no longer kept (deleted or revoked)` });
  }
  if (!campaign) return cancel('the campaign was deleted');
  if (campaign.status !== 'active') return cancel('the campaign was archived before release');
  if (!grant || grant.status !== 'active') return fail(grantDeadReason(name, grant?.dead_reason ?? 'the authorization was removed'));

  let adapter: ProviderAdapter;
  try {
    adapter = ctx.providers.get(row.service);
  } catch {
    if (followOnly) return settleFollow(followAgain(`${name} is not configured on this server`));
    return retryOrFail(`${name} is not configured on this server`);
  }

  /** Whether this attempt has sent anything to the service; and whether the service accepted its album save. */
  let sent = false;
  let accepted = false;
  /** Every request to the service goes through the governor, with its priority (saves first). */
  const governed = async <T>(call: () => Promise<T>, priority: Priority = 'save'): Promise<T> => {
    const permit = await governor.acquire(row.service, priority, { maxWaitMs: RATE_WAIT_MS });
    if (!permit.ok) {
      if (permit.reason === 'breaker')
        throw new Deferred(now() + BREAKER_PARK_MS, `${name} quota exhausted: paused until an operator resumes it`);
      if (permit.reason === 'rate') throw new Deferred(permit.until, `waiting for ${name}'s rate budget`, true);
      throw new Deferred(permit.until, `${name} asked us to wait`);
    }
    sent = true;
    return call();
  };

  let token: string | null = null;
  const withFreshToken = async <T>(call: (t: string) => Promise<T>, priority: Priority = 'save'): Promise<T> => {
    token ??= await accessTokenFor(ctx, adapter, grant, deps.owner, { governed });
    try {
      return await governed(() => call(token!), priority);
    } catch (err) {
      if (!(err instanceof ProviderError && err.kind === 'unauthorized')) throw err;
      const latest = (await loaders.grant.load(grant.id)) ?? grant;
      token = await accessTokenFor(ctx, adapter, latest, deps.owner, { force: true, governed });
      try {
        return await governed(() => call(token!), priority);
      } catch (again) {
        if (again instanceof ProviderError && again.kind === 'unauthorized') {
          throw new ProviderError('grant_dead', 'the service rejected the authorization even after a refresh');
        }
        throw again;
      }
    }
  };

  /** Pauses the campaign on this service for a configuration error (see campaigns/pauses.ts). */
  const pause = async (code: string, message: string, err: ProviderError) => {
    loaders.forgetCampaign(campaign.id);
    await pauseAndNotify(ctx, deps.mailer, { campaignId: campaign.id, service: row.service, code, message, detail: err.message });
  };

  /**
   * The follow, on its own: a separate call and a separate outcome from the album. Nothing here
   * throws; a service refusing the artist id pauses the campaign's follows on this service.
   */
  const followStep = async (release: ResolvedRelease | null): Promise<FollowOutcome> => {
    if (deps.followPaused?.(campaign.id, row.service)) {
      const p = await campaignPause(ctx.db, campaign.id, row.service);
      if (p) return { status: 'waiting', error: p.message };
    }
    // Follow the profile the artist named in the editor when there is one: the release's own
    // artist list also holds featured artists, whom the fan did not ask to follow.
    const named = await loaders.artistFor(campaign.id, row.service);
    const artists = named ? [named] : (release?.artistUris ?? []);
    if (!artists.length) return { status: 'failed', error: `no artist to follow on ${name}` };
    const artistsGiven = named !== null || release?.matchedBy === 'override';
    try {
      await withFreshToken((t) => adapter.saveToLibrary(t, artists), 'follow');
      if ((await withFreshToken((t) => adapter.libraryContains(t, artists), 'follow')).every(Boolean))
        return { status: 'done', error: null };
      return followAgain(`${name} accepted the follow but the artist is not followed (verification failed)`);
    } catch (err) {
      if (err instanceof Deferred) return { status: 'queued', error: err.why, at: err.until };
      if (err instanceof GrantBusy)
        return { status: 'queued', error: 'waiting for another worker to refresh the authorization', at: now() + 2_000 };
      if (err instanceof DecryptError) return { status: 'failed', error: `the stored ${name} authorization cannot be decrypted` };
      if (!(err instanceof ProviderError)) {
        ctx.log.error({ err, presave: row.id }, 'unexpected error while following');
        return followAgain(`unexpected error: ${(err as Error).message}`);
      }
      switch (err.kind) {
        case 'retry_after': {
          const at = err.details.retryAt ?? now() + 30_000;
          await governor.onRetryAfter(row.service, at);
          return { status: 'queued', error: `${name} rate limit`, at };
        }
        case 'quota':
          await governor.openBreaker(row.service, err.message);
          return { status: 'queued', error: `${name} quota exhausted`, at: now() + BREAKER_PARK_MS };
        case 'grant_dead':
          await markGrantDead(ctx.db, grant.id, err.message, now());
          return { status: 'failed', error: grantDeadReason(name, err.message) };
        case 'bad_config':
          if (refusedId(err) && artistsGiven) {
            await pause(
              FOLLOW_ARTIST_UNKNOWN,
              `${name} does not know the artist to follow (${artists.join(', ')}). Correct the ${name} artist in the campaign editor, then resume: every fan's follow is delivered then (their albums are already saved).`,
              err,
            );
            return { status: 'waiting', error: err.message };
          }
          return { status: 'failed', error: err.message };
        case 'unauthorized':
        case 'transient':
          return followAgain(err.message);
      }
    }
  };

  if (followOnly) return settleFollow(await followStep(await loaders.match(campaign.id, row.service, row.market)));

  let release: ResolvedRelease | null = null;
  try {
    release = await loaders.match(campaign.id, row.service, row.market);
    release ??= await loaders.searchOnce(campaign.id, row.service, row.market, async () => {
      const found = await withFreshToken((t) =>
        adapter.resolveRelease(t, {
          upc: campaign.upc,
          isrcs: campaign.isrcs,
          artistName: campaign.artist_name,
          title: campaign.title,
          ...(row.market ? { market: row.market } : {}),
        }),
      );
      if (found) {
        await storeMatch(ctx.db, campaign.id, row.service, row.market, found, now());
        loaders.forgetMatch(campaign.id, row.service, row.market);
      }
      return found;
    });
    if (!release) {
      const waited = now() - row.due_at;
      if (waited >= ctx.config.worker.releaseSearchHours * 3_600_000) return fail(`release not found on ${name}`);
      return later('awaitRelease', `release not yet found on ${name}`, now() + releasePollMs(waited));
    }

    // The last look before writing to a fan's library: a pre-save cancelled or erased since it
    // was claimed is never saved.
    if (!(await loaders.stillPending.load(row.id))) return { result: 'fenced', detail: 'no longer pending' };

    // The album first, on its own: whatever happens to the follow, the fan's save is not lost.
    const album = [release.albumUri];
    const verify = async () => (await withFreshToken((t) => adapter.libraryContains(t, album), 'verify')).every(Boolean);
    const notThere = `${name} accepted the save but it is not in the library (verification failed)`;
    if (row.save_accepted_at !== null) {
      // From the verify queue: the service accepted this save earlier; it counts once it shows.
      if (!(await verify())) return verifyMissed(notThere);
    } else {
      // A pre-save tried before may have been saved by an attempt that never got to record it (a
      // crash, a lost connection, an answer lost on the way back): look before writing again.
      const triedBefore = row.attempts > 1 || row.last_error !== null;
      const already = triedBefore && (await withFreshToken((t) => adapter.libraryContains(t, album))).every(Boolean);
      if (!already) {
        await withFreshToken((t) => adapter.saveToLibrary(t, album));
        accepted = true;
        // Saves first: with the budget short, the verification waits its turn in the verify queue.
        if (governor.contended(row.service)) return settle({ kind: 'awaitVerify' }, { result: 'verifying' });
        if (!(await verify())) return retryOrFail(notThere);
      }
    }
  } catch (err) {
    // The save went through and only its verification has to wait: it waits in the verify queue.
    if (accepted && (err instanceof Deferred || err instanceof GrantBusy))
      return settle({ kind: 'awaitVerify', at: err instanceof Deferred ? err.until : now() + 2_000 }, { result: 'verifying' });
    // Waited in line for the budget and sent nothing: back as it was (due at once; it is not
    // marked as tried, so its next claim does not spend a call looking before it writes).
    if (err instanceof Deferred && err.budget && !sent) return settle({ kind: 'unclaim' }, { result: 'retry', detail: err.why });
    if (err instanceof Deferred) return defer(err.why, err.until);
    if (err instanceof GrantBusy) return defer('waiting for another worker to refresh the authorization', now() + 2_000);
    if (err instanceof DecryptError) return fail(`the stored ${name} authorization cannot be decrypted (${err.message})`);
    if (!(err instanceof ProviderError)) {
      ctx.log.error({ err, presave: row.id }, 'unexpected error during fulfillment');
      return retryOrFail(`unexpected error: ${(err as Error).message}`);
    }
    switch (err.kind) {
      case 'retry_after': {
        const at = err.details.retryAt ?? now() + 30_000;
        await governor.onRetryAfter(row.service, at);
        return defer(`${name} rate limit: waiting until ${new Date(at).toISOString()}`, at);
      }
      case 'quota': {
        await governor.openBreaker(row.service, err.message);
        ctx.log.error(
          { service: row.service },
          `${name} reports the app's quota is exhausted; saves are paused until \`dropday fulfillment resume\``,
        );
        return defer(`${name} quota exhausted: paused until an operator resumes it`, now() + BREAKER_PARK_MS);
      }
      case 'grant_dead': {
        await markGrantDead(ctx.db, grant.id, err.message, now());
        return fail(grantDeadReason(name, err.message));
      }
      case 'bad_config': {
        if (!refusedId(err)) return retryOrFail(err.message);
        // The service refused the release itself: the same answer awaits every fan of the
        // campaign, so pause it here (when the artist set the release, or before any fan's save
        // landed) instead of failing them one by one; otherwise this fan alone is refused.
        const override = release?.matchedBy === 'override';
        if (!override && (await anySaved(ctx, campaign.id, row.service))) return fail(`${name} refused the save: ${err.message}`);
        await pause(
          override ? RELEASE_OVERRIDE_UNKNOWN : RELEASE_REFUSED,
          override
            ? `${name} does not know the release you set for it (${release!.albumUri}). Correct the ${name} release in the campaign editor (or with \`dropday campaign match\`), then resume.`
            : `${name} refused to save the release found for this campaign. Check the UPC and ISRCs, or set the ${name} release by hand in the campaign editor, then resume.`,
          err,
        );
        return defer(`paused: ${name} refused the campaign's configuration`, now());
      }
      case 'unauthorized':
      case 'transient':
        return retryOrFail(err.message);
    }
  }

  const follow = row.follow_artist && canFollow(adapter, grant.scopes);
  if (!follow) return settle({ kind: 'saved', uris: [release.albumUri] }, { result: 'saved' });
  // Follows rank after saves: with the budget short, the follow waits in the follow queue.
  const outcome: FollowOutcome = governor.contended(row.service) ? { status: 'queued', error: null, at: now() } : await followStep(release);
  return settle(
    { kind: 'saved', uris: [release.albumUri], follow: outcome },
    { result: 'saved', ...(outcome.error ? { detail: `album saved; follow ${outcome.status}: ${outcome.error}` } : {}) },
  );
}

/** A 400 or 404: the service does not know an id we sent (configuration, not a passing fault). */
function refusedId(err: ProviderError): boolean {
  return err.details.status === 400 || err.details.status === 404;
}

async function anySaved(ctx: AppContext, campaignId: number, service: string): Promise<boolean> {
  const r = await ctx.db
    .selectFrom('presaves')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('service', '=', service)
    .where('status', '=', 'saved')
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * Following needs the follow scopes on this grant: a fan who later pre-saved a campaign that
 * does not follow authorized without them, and the save must not fail for it.
 */
function canFollow(adapter: ProviderAdapter, grantScopes: string): boolean {
  if (!adapter.canFollowArtists) return false;
  const base = new Set(adapter.scopesFor({ followArtist: false }));
  const have = new Set(grantScopes.split(' ').filter(Boolean));
  if (have.size === 0) return true; // the service did not report scopes: we asked for what the campaign needs
  return adapter.scopesFor({ followArtist: true }).every((s) => base.has(s) || have.has(s));
}

function grantDeadReason(name: string, why: string): string {
  return `${name} authorization no longer valid: ${why}; the fan needs to pre-save again`;
}
