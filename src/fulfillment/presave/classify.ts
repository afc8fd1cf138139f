import { markGrantDead } from '../../grants/repo.js';
import { ProviderError } from '../../providers/types.js';
import { DecryptError } from '../../util/token-cipher.js';
import { GrantBusy } from '../access-token.js';
import { grantDeadReason, type Job } from './job.js';
import { BREAKER_PARK_MS, Deferred } from './service-session.js';

/** How long to wait for another worker's token refresh before trying again. */
const GRANT_BUSY_WAIT_MS = 2_000;
/** A 429 without a Retry-After waits this long. */
const DEFAULT_RETRY_AFTER_MS = 30_000;

/**
 * What an error thrown while talking to the service means, the same for the album save and the
 * follow. The classifier also does what the error asks of the whole engine (pause the service on
 * a Retry-After, open the quota breaker, mark the grant dead), once; each step then maps the
 * verdict to its own outcome.
 */
export type Verdict =
  /** Not this fan's fault: try again at `at`, nothing counted. */
  | { kind: 'wait'; at: number; error: string }
  /** The attempt reached the service and failed: it counts toward giving up. */
  | { kind: 'retry'; error: string }
  /** Nothing will change by trying again: the fan must pre-save again. */
  | { kind: 'give_up'; error: string }
  /** The service refused what we sent (`refusedId`: a 400/404, an id it does not know): the step decides. */
  | { kind: 'refused'; err: ProviderError; refusedId: boolean };

export async function classify(job: Job, err: unknown, during: string): Promise<Verdict> {
  const { ctx, governor } = job.deps;
  const { name, row } = job;
  if (err instanceof Deferred) return { kind: 'wait', at: err.until, error: err.why };
  if (err instanceof GrantBusy)
    return { kind: 'wait', at: ctx.now() + GRANT_BUSY_WAIT_MS, error: 'waiting for another worker to refresh the authorization' };
  if (err instanceof DecryptError)
    return { kind: 'give_up', error: `the stored ${name} authorization cannot be decrypted (${err.message})` };
  if (!(err instanceof ProviderError)) {
    ctx.log.error({ err, presave: row.id }, `unexpected error during ${during}`);
    return { kind: 'retry', error: `unexpected error: ${(err as Error).message}` };
  }
  switch (err.kind) {
    case 'retry_after': {
      const at = err.details.retryAt ?? ctx.now() + DEFAULT_RETRY_AFTER_MS;
      await governor.onRetryAfter(row.service, at);
      return { kind: 'wait', at, error: `${name} rate limit: waiting until ${new Date(at).toISOString()}` };
    }
    case 'quota':
      await governor.openBreaker(row.service, err.message);
      ctx.log.error(
        { service: row.service },
        `${name} reports the app's quota is exhausted; saves are paused until \`dropday fulfillment resume\``,
      );
      return { kind: 'wait', at: ctx.now() + BREAKER_PARK_MS, error: `${name} quota exhausted: paused until an operator resumes it` };
    case 'grant_dead':
      await markGrantDead(ctx.db, job.grant.id, err.message, ctx.now());
      return { kind: 'give_up', error: grantDeadReason(name, err.message) };
    case 'bad_config':
      return { kind: 'refused', err, refusedId: err.details.status === 400 || err.details.status === 404 };
    case 'unauthorized':
    case 'transient':
      return { kind: 'retry', error: err.message };
  }
}
