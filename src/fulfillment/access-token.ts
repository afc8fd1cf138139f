import type { AppContext } from '../context.js';
import {
  decryptGrant,
  getGrant,
  markGrantDead,
  storeRefreshedTokens,
  tryLockGrantForRefresh,
  unlockGrant,
  type GrantRow,
} from '../grants/repo.js';
import type { ProviderAdapter } from '../providers/types.js';
import { ProviderError } from '../providers/types.js';
import { randomToken } from '../util/random.js';

/** Refresh this long before expiry, so a token never expires between check and use. */
const EXPIRY_MARGIN_MS = 60_000;
const REFRESH_LOCK_MS = 30_000;

export class GrantBusy extends Error {
  constructor() {
    super('another worker is refreshing this authorization');
  }
}

/**
 * A usable access token for a grant, refreshing it first when it is (nearly) expired or when
 * `force` says the service just rejected it. Refreshes are serialized per grant across
 * processes by a lock in the grant row; the rotated refresh token is stored before the new
 * access token is used.
 */
export async function accessTokenFor(
  ctx: AppContext,
  adapter: ProviderAdapter,
  grant: GrantRow,
  owner: string,
  opts: { force?: boolean; governed?: <T>(call: () => Promise<T>) => Promise<T> } = {},
): Promise<string> {
  const current = decryptGrant(ctx, grant);
  const fresh = grant.access_expires_at === null || grant.access_expires_at - EXPIRY_MARGIN_MS > ctx.now();
  if (fresh && !opts.force) return current.accessToken;
  if (!current.refreshToken) {
    throw new ProviderError('grant_dead', 'the authorization expired and this service gives no refresh token');
  }
  // One refresh per grant per process: a fan with several pre-saves due together must not
  // spend the same single-use refresh token several times.
  const running = inFlight.get(grant.id);
  if (running) return running;
  const p = refreshGrant(ctx, adapter, grant, `${owner}:${randomToken(6)}`, opts.governed ?? ((call) => call())).finally(() =>
    inFlight.delete(grant.id),
  );
  inFlight.set(grant.id, p);
  return p;
}

const inFlight = new Map<number, Promise<string>>();

async function refreshGrant(
  ctx: AppContext,
  adapter: ProviderAdapter,
  grant: GrantRow,
  lockOwner: string,
  governed: <T>(call: () => Promise<T>) => Promise<T>,
): Promise<string> {
  if (!(await tryLockGrantForRefresh(ctx.db, grant.id, lockOwner, ctx.now(), REFRESH_LOCK_MS))) throw new GrantBusy();
  const latest = await getGrant(ctx.db, grant.id);
  if (!latest || latest.status !== 'active') {
    await unlockGrant(ctx.db, grant.id, lockOwner);
    throw new ProviderError('grant_dead', latest?.dead_reason ?? 'the authorization is no longer valid');
  }
  // Another worker refreshed between our read and our lock: its token is newer than the one we had.
  if (latest.access_token_enc !== grant.access_token_enc) {
    await unlockGrant(ctx.db, grant.id, lockOwner);
    return decryptGrant(ctx, latest).accessToken;
  }
  const refreshToken = decryptGrant(ctx, latest).refreshToken!;
  try {
    const tokens = await governed(() => adapter.refresh(refreshToken));
    // The service has rotated the refresh token: the old one is spent, so the new one must reach
    // the database, or the fan's authorization is lost. A failed write (a failover, a cut
    // connection) is retried for several seconds; the lock is ours until we release it.
    if (!(await storeWithRetries(ctx, () => storeRefreshedTokens(ctx, latest, lockOwner, tokens, ctx.now()), grant.id))) {
      throw new GrantBusy();
    }
    return tokens.accessToken;
  } catch (err) {
    if (err instanceof ProviderError && err.kind === 'grant_dead') {
      await markGrantDead(ctx.db, grant.id, err.message, ctx.now());
    } else {
      await unlockGrant(ctx.db, grant.id, lockOwner);
    }
    throw err;
  }
}

const STORE_RETRY_DELAYS_MS = [200, 500, 1_000, 2_000, 4_000];

async function storeWithRetries(ctx: AppContext, store: () => Promise<boolean>, grantId: number): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await store();
    } catch (err) {
      const delay = STORE_RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        ctx.log.error({ err, grant: grantId }, 'could not store a refreshed authorization; the fan will have to pre-save again');
        throw err;
      }
      ctx.log.warn({ err: (err as Error).message, grant: grantId }, 'storing a refreshed authorization failed; retrying');
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
