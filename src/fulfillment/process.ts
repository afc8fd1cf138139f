import type { AppContext } from '../context.js';
import { markGrantDead, type GrantRow } from '../grants/repo.js';
import type { PresaveRow } from '../presaves/repo.js';
import { serviceName } from '../providers/services.js';
import { ProviderError, type ProviderAdapter, type ResolvedRelease } from '../providers/types.js';
import { storeMatch } from '../releases/matches.js';
import { DecryptError } from '../util/token-cipher.js';
import { accessTokenFor, GrantBusy } from './access-token.js';
import { backoffMs, releasePollMs } from './backoff.js';
import type { RateGovernor } from './governor.js';
import type { WorkerLoaders } from './loaders.js';
import type { Settlement, Settler } from './settle.js';

/**
 * Fulfils one claimed pre-save: check it is still wanted, get a valid token, find the release,
 * save it, verify the save landed, and settle the row with the outcome. Every path ends in
 * exactly one fenced settlement; nothing here throws to the caller.
 *
 * Every call to the service first asks the rate governor; a service that is paused (Retry-After)
 * or whose quota breaker is open parks the pre-save without counting an attempt against it.
 */
export interface Outcome {
  result: 'saved' | 'failed' | 'cancelled' | 'retry' | 'fenced';
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
}

/** Raised when the governor says not now: the pre-save is parked until `until`. */
class Deferred extends Error {
  constructor(
    readonly until: number,
    readonly why: string,
  ) {
    super(why);
  }
}

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
  const retry = (error: string, at: number, keepAttempts?: number, failed?: boolean) =>
    settle(
      { kind: 'retry', at, error, ...(keepAttempts !== undefined ? { attempts: keepAttempts } : {}), ...(failed ? { failed } : {}) },
      { result: 'retry', detail: error },
    );
  const fail = (reason: string) => settle({ kind: 'failed', reason }, { result: 'failed', detail: reason });
  const cancel = (reason: string) => settle({ kind: 'cancelled', reason }, { result: 'cancelled', detail: reason });
  /**
   * A failure worth retrying: with backoff, until WORKER_MAX_ATTEMPTS attempts have failed.
   * Only attempts that reached the service count: a claim cut short by a crash tells nothing.
   */
  const failures = row.failures + 1;
  const retryOrFail = (error: string) =>
    failures >= ctx.config.worker.maxAttempts
      ? fail(`${error} (gave up after ${failures} attempts)`)
      : retry(error, now() + backoffMs(failures, ctx.config.worker.retryBaseMs, 10 * 60_000), undefined, true);

  // A pre-save whose work keeps being cut short (its worker crashes on it, every time) is given
  // up on too, so one poisonous row cannot take workers down forever.
  const interrupted = row.attempts - 1 - row.failures;
  if (interrupted >= ctx.config.worker.maxAttempts * 3) {
    return fail(`gave up: work on this pre-save was interrupted ${interrupted} times (a worker stopped or lost its lease each time)`);
  }

  const campaign = await loaders.campaign(row.campaign_id);
  if (!campaign) return cancel('the campaign was deleted');
  if (campaign.status !== 'active') return cancel('the campaign was archived before release');
  const grant = await (grantLoad ?? loaders.grant.load(row.grant_id));
  if (!grant || grant.status !== 'active') return fail(grantDeadReason(name, grant?.dead_reason ?? 'the authorization was removed'));

  let adapter: ProviderAdapter;
  try {
    adapter = ctx.providers.get(row.service);
  } catch {
    return retryOrFail(`${name} is not configured on this server`);
  }

  /** Every request to the service goes through the governor. */
  const governed = async <T>(call: () => Promise<T>): Promise<T> => {
    for (;;) {
      const permit = await governor.acquire(row.service);
      if (permit.ok) break;
      if (permit.reason === 'rate' && permit.until - now() <= 2_000) {
        await new Promise((r) => setTimeout(r, Math.max(5, permit.until - now())));
        continue;
      }
      if (permit.reason === 'breaker')
        throw new Deferred(now() + BREAKER_PARK_MS, `${name} quota exhausted: paused until an operator resumes it`);
      throw new Deferred(permit.until, `${name} asked us to wait`);
    }
    return call();
  };

  try {
    let token = await accessTokenFor(ctx, adapter, grant, deps.owner, { governed });
    const withFreshToken = async <T>(call: (t: string) => Promise<T>): Promise<T> => {
      try {
        return await governed(() => call(token));
      } catch (err) {
        if (!(err instanceof ProviderError && err.kind === 'unauthorized')) throw err;
        const latest = (await loaders.grant.load(grant.id)) ?? grant;
        token = await accessTokenFor(ctx, adapter, latest, deps.owner, { force: true, governed });
        try {
          return await governed(() => call(token));
        } catch (again) {
          if (again instanceof ProviderError && again.kind === 'unauthorized') {
            throw new ProviderError('grant_dead', 'the service rejected the authorization even after a refresh');
          }
          throw again;
        }
      }
    };

    let release: ResolvedRelease | null = await loaders.match(campaign.id, row.service, row.market);
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
      return retry(`release not yet found on ${name}`, now() + releasePollMs(waited), 0);
    }

    // The last look before writing to a fan's library: a pre-save cancelled or erased since it
    // was claimed is never saved.
    if (!(await loaders.stillPending.load(row.id))) return { result: 'fenced', detail: 'no longer pending' };

    // Follow the profile the artist named in the editor when there is one: the release's own
    // artist list also holds featured artists, whom the fan did not ask to follow.
    const follow = row.follow_artist && canFollow(adapter, grant.scopes);
    const named = follow ? await loaders.artistFor(campaign.id, row.service) : null;
    const uris = [release.albumUri, ...(follow ? (named ? [named] : release.artistUris) : [])];
    // A pre-save tried before may have been saved by an attempt that never got to record it (a
    // crash, a lost connection, an answer lost on the way back): look before writing again.
    const triedBefore = row.attempts > 1 || row.last_error !== null;
    if (triedBefore && (await withFreshToken((t) => adapter.libraryContains(t, uris))).every(Boolean)) {
      return settle({ kind: 'saved', uris }, { result: 'saved' });
    }
    await withFreshToken((t) => adapter.saveToLibrary(t, uris));
    const present = await withFreshToken((t) => adapter.libraryContains(t, uris));
    if (present.every(Boolean)) return settle({ kind: 'saved', uris }, { result: 'saved' });
    return retryOrFail(`${name} accepted the save but it is not in the library (verification failed)`);
  } catch (err) {
    if (err instanceof Deferred) return retry(err.why, err.until, row.attempts - 1);
    if (err instanceof GrantBusy) return retry('waiting for another worker to refresh the authorization', now() + 2_000, row.attempts - 1);
    if (err instanceof DecryptError) return fail(`the stored ${name} authorization cannot be decrypted (${err.message})`);
    if (!(err instanceof ProviderError)) {
      ctx.log.error({ err, presave: row.id }, 'unexpected error during fulfillment');
      return retryOrFail(`unexpected error: ${(err as Error).message}`);
    }
    switch (err.kind) {
      case 'retry_after': {
        const at = err.details.retryAt ?? now() + 30_000;
        await governor.onRetryAfter(row.service, at);
        return retry(`${name} rate limit: waiting until ${new Date(at).toISOString()}`, at, row.attempts - 1);
      }
      case 'quota': {
        await governor.openBreaker(row.service, err.message);
        ctx.log.error(
          { service: row.service },
          `${name} reports the app's quota is exhausted; saves are paused until \`dropday fulfillment resume\``,
        );
        return retry(`${name} quota exhausted: paused until an operator resumes it`, now() + BREAKER_PARK_MS, row.attempts - 1);
      }
      case 'grant_dead': {
        await markGrantDead(ctx.db, grant.id, err.message, now());
        return fail(grantDeadReason(name, err.message));
      }
      case 'unauthorized':
      case 'transient':
      case 'bad_config':
        return retryOrFail(err.message);
    }
  }
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
