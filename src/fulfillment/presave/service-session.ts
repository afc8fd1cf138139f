import type { AppContext } from '../../context.js';
import type { GrantRow } from '../../grants/repo.js';
import { ProviderError, type ProviderAdapter } from '../../providers/types.js';
import { accessTokenFor } from '../access-token.js';
import type { RateGovernor } from '../../delivery/governor.js';
import { GOVERNOR_TUNING } from '../../delivery/governor-tuning.js';
import type { WorkerLoaders } from '../loaders.js';

/**
 * A pre-save's calls, by urgency, as the governor's priority ranks (lower first): when the
 * budget is short, fans' album saves go first, then their verifications, then follows.
 */
export const PRESAVE_PRIORITY = { save: 0, verify: 1, follow: 2 } as const;
export type PresaveCall = keyof typeof PRESAVE_PRIORITY;

/** Raised when the governor says not now: the pre-save (or its follow) is parked until `until`. */
export class Deferred extends Error {
  constructor(
    readonly until: number,
    readonly why: string,
    /** Only the rate budget was short (no pause, no breaker). */
    readonly budget = false,
  ) {
    super(why);
  }
}

/** How long a pre-save waits when its service's quota breaker is open (governor-tuning.ts). */
export const BREAKER_PARK_MS = GOVERNOR_TUNING.breakerParkMs;

/**
 * One pre-save's conversation with its service: every request asks the rate governor first, and
 * carries a valid access token — refreshed once if the service rejects it, and then the grant is
 * dead. Errors are thrown for the error classifier (classify.ts).
 */
export class ServiceSession {
  private token: string | null = null;
  /** Whether anything was sent to the service in this session (this attempt). */
  sent = false;

  constructor(
    private readonly p: {
      ctx: AppContext;
      governor: RateGovernor;
      loaders: WorkerLoaders;
      owner: string;
      adapter: ProviderAdapter;
      grant: GrantRow;
      service: string;
      name: string;
    },
  ) {}

  get adapter(): ProviderAdapter {
    return this.p.adapter;
  }

  /** A request to the service, once the governor allows it: in line by priority (saves first) while the budget is short. */
  readonly governed = async <T>(call: () => Promise<T>, priority: PresaveCall = 'save'): Promise<T> => {
    const { governor, ctx, service, name } = this.p;
    const permit = await governor.acquire(service, PRESAVE_PRIORITY[priority], { maxWaitMs: GOVERNOR_TUNING.rateWaitMs });
    if (!permit.ok) {
      if (permit.reason === 'breaker')
        throw new Deferred(ctx.now() + BREAKER_PARK_MS, `${name} quota exhausted: paused until an operator resumes it`);
      if (permit.reason === 'rate') throw new Deferred(permit.until, `waiting for ${name}'s rate budget`, true);
      throw new Deferred(permit.until, `${name} asked us to wait`);
    }
    this.sent = true;
    return call();
  };

  /** A governed request with the fan's token; one refresh and one more try if the service rejects it. */
  async call<T>(request: (token: string) => Promise<T>, priority: PresaveCall = 'save'): Promise<T> {
    const { ctx, adapter, grant, owner, loaders } = this.p;
    const governed = this.governed;
    this.token ??= await accessTokenFor(ctx, adapter, grant, owner, { governed });
    try {
      return await governed(() => request(this.token!), priority);
    } catch (err) {
      if (!(err instanceof ProviderError && err.kind === 'unauthorized')) throw err;
      const latest = (await loaders.grant.load(grant.id)) ?? grant;
      this.token = await accessTokenFor(ctx, adapter, latest, owner, { force: true, governed });
      try {
        return await governed(() => request(this.token!), priority);
      } catch (again) {
        if (again instanceof ProviderError && again.kind === 'unauthorized') {
          throw new ProviderError('grant_dead', 'the service rejected the authorization even after a refresh');
        }
        throw again;
      }
    }
  }
}
