import { getCampaignById, type Campaign } from '../campaigns/repo.js';
import type { AppContext } from '../context.js';
import { getGrant, markGrantDead, releaseIdleGrant } from '../grants/repo.js';
import type { PresaveRow } from '../presaves/repo.js';
import { serviceName } from '../providers/services.js';
import { ProviderError, type ProviderAdapter, type ResolvedRelease } from '../providers/types.js';
import { DecryptError } from '../util/token-cipher.js';
import { accessTokenFor, GrantBusy } from './access-token.js';
import { backoffMs, releasePollMs } from './backoff.js';
import { findMatch, storeMatch } from '../releases/matches.js';
import { settleCancelled, settleFailed, settleRetry, settleSaved } from './settle.js';

/**
 * Fulfils one claimed pre-save: check it is still wanted, get a valid token, find the release,
 * save it, verify the save landed, and settle the row with the outcome. Every path ends in
 * exactly one fenced settle call; nothing here throws to the caller.
 */
export interface Outcome {
  result: 'saved' | 'failed' | 'cancelled' | 'retry' | 'fenced';
  detail?: string;
}

export interface ProcessDeps {
  ctx: AppContext;
  owner: string;
  /** Service-wide pauses from Retry-After, shared by every pre-save this worker runs. */
  pausedUntil: Map<string, number>;
}

export async function processPresave(deps: ProcessDeps, row: PresaveRow): Promise<Outcome> {
  const { ctx } = deps;
  const lease = { id: row.id, leaseToken: row.lease_token! };
  const name = serviceName(row.service);
  const now = () => ctx.now();
  const settled = (ok: boolean, o: Outcome): Outcome => (ok ? o : { result: 'fenced' });

  const retry = async (error: string, at: number, keepAttempts?: number): Promise<Outcome> =>
    settled(await settleRetry(ctx.db, lease, { at, error, ...(keepAttempts !== undefined ? { attempts: keepAttempts } : {}) }, now()), {
      result: 'retry',
      detail: error,
    });
  const fail = async (reason: string): Promise<Outcome> => {
    const ok = await settleFailed(ctx.db, lease, reason, now());
    if (ok) await releaseIdleGrant(ctx.db, row.grant_id, now());
    return settled(ok, { result: 'failed', detail: reason });
  };
  /** A failure worth retrying: with backoff, until the attempts run out. */
  const retryOrFail = async (error: string): Promise<Outcome> =>
    row.attempts >= ctx.config.worker.maxAttempts
      ? fail(`${error} (gave up after ${row.attempts} attempts)`)
      : retry(error, now() + backoffMs(row.attempts, ctx.config.worker.retryBaseMs, 10 * 60_000));

  const paused = deps.pausedUntil.get(row.service) ?? 0;
  if (paused > now()) return retry(`${name} asked us to wait`, paused, row.attempts - 1);

  let campaign: Campaign;
  try {
    campaign = await getCampaignById(ctx.db, row.campaign_id);
  } catch {
    return settled(await settleCancelled(ctx.db, lease, 'the campaign was deleted', now()), { result: 'cancelled' });
  }
  if (campaign.status !== 'active') {
    return settled(await settleCancelled(ctx.db, lease, 'the campaign was archived before release', now()), { result: 'cancelled' });
  }
  const grant = await getGrant(ctx.db, row.grant_id);
  if (!grant || grant.status !== 'active') {
    return fail(grantDeadReason(name, grant?.dead_reason ?? 'the authorization was removed'));
  }

  let adapter: ProviderAdapter;
  try {
    adapter = ctx.providers.get(row.service);
  } catch {
    return retryOrFail(`${name} is not configured on this server`);
  }

  try {
    let token = await accessTokenFor(ctx, adapter, grant, deps.owner);
    const withFreshToken = async <T>(call: (t: string) => Promise<T>): Promise<T> => {
      try {
        return await call(token);
      } catch (err) {
        if (!(err instanceof ProviderError && err.kind === 'unauthorized')) throw err;
        const latest = (await getGrant(ctx.db, grant.id)) ?? grant;
        token = await accessTokenFor(ctx, adapter, latest, deps.owner, { force: true });
        try {
          return await call(token);
        } catch (again) {
          if (again instanceof ProviderError && again.kind === 'unauthorized') {
            throw new ProviderError('grant_dead', 'the service rejected the authorization even after a refresh');
          }
          throw again;
        }
      }
    };

    let release: ResolvedRelease | null = await findMatch(ctx.db, campaign.id, row.service, row.market);
    if (!release) {
      release = await withFreshToken((t) =>
        adapter.resolveRelease(t, {
          upc: campaign.upc,
          isrcs: campaign.isrcs,
          artistName: campaign.artist_name,
          title: campaign.title,
          ...(row.market ? { market: row.market } : {}),
        }),
      );
      if (!release) {
        const waited = now() - row.due_at;
        const limitMs = ctx.config.worker.releaseSearchHours * 3_600_000;
        if (waited >= limitMs) return fail(`release not found on ${name}`);
        return retry(`release not yet found on ${name}`, now() + releasePollMs(waited), 0);
      }
      await storeMatch(ctx.db, campaign.id, row.service, row.market, release, now());
    }

    const uris = [release.albumUri, ...(row.follow_artist && adapter.canFollowArtists ? release.artistUris : [])];
    await withFreshToken((t) => adapter.saveToLibrary(t, uris));
    const present = await withFreshToken((t) => adapter.libraryContains(t, uris));
    if (present.every(Boolean)) {
      const ok = await settleSaved(ctx.db, lease, uris, now());
      if (ok) await releaseIdleGrant(ctx.db, grant.id, now());
      return settled(ok, { result: 'saved' });
    }
    return retryOrFail(`${name} accepted the save but it is not in the library (verification failed)`);
  } catch (err) {
    if (err instanceof GrantBusy) return retry('waiting for another worker to refresh the authorization', now() + 2_000, row.attempts - 1);
    if (err instanceof DecryptError) return fail(`the stored ${name} authorization cannot be decrypted (${err.message})`);
    if (!(err instanceof ProviderError)) {
      ctx.log.error({ err, presave: row.id }, 'unexpected error during fulfillment');
      return retryOrFail(`unexpected error: ${(err as Error).message}`);
    }
    switch (err.kind) {
      case 'retry_after': {
        const at = err.details.retryAt ?? now() + 30_000;
        deps.pausedUntil.set(row.service, Math.max(at, deps.pausedUntil.get(row.service) ?? 0));
        return retry(`${name} rate limit: waiting until ${new Date(at).toISOString()}`, at, row.attempts - 1);
      }
      case 'quota': {
        const at = now() + 60 * 60_000;
        deps.pausedUntil.set(row.service, at);
        ctx.log.error({ service: row.service }, `${name} reports the app's quota is exhausted; pausing saves for an hour`);
        return retry(`${name} quota exhausted: paused`, at, row.attempts - 1);
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

function grantDeadReason(name: string, why: string): string {
  return `${name} authorization no longer valid: ${why}; the fan needs to pre-save again`;
}
