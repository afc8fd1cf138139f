import type { GrantRow } from '../../grants/repo.js';
import type { PresaveRow } from '../../presaves/repo.js';
import { serviceName } from '../../providers/services.js';
import type { ProviderAdapter } from '../../providers/types.js';
import { afterFailedAttempt, decide, followAfterFailedAttempt, interruptedTooOften, type Decision } from './decision.js';
import { grantDeadReason, type Job, type ProcessDeps } from './job.js';
import { ServiceSession } from './service-session.js';

/**
 * The first step: is there still something to do, and can it be done? A row interrupted too
 * often is given up; a deleted or archived campaign cancels it; a dead grant fails it; a service
 * this server does not configure counts as a failed attempt. A saved pre-save back from the
 * follow queue records each of those as its follow's outcome instead.
 */
export async function startJob(deps: ProcessDeps, row: PresaveRow, grantLoad?: Promise<GrantRow | null>): Promise<Job | Decision> {
  const { ctx, loaders } = deps;
  const name = serviceName(row.service);
  const followOnly = row.status === 'saved';
  if (!followOnly) {
    const poisoned = interruptedTooOften(ctx, row);
    if (poisoned) return poisoned;
  }
  const campaign = await loaders.campaign(row.campaign_id);
  const grant = await (grantLoad ?? loaders.grant.load(row.grant_id));
  if (followOnly) {
    if (!campaign || campaign.status !== 'active') return decide.follow({ status: 'failed', error: 'the campaign was archived' });
    if (!grant || grant.status !== 'active')
      return decide.follow({ status: 'failed', error: `the fan's ${name} authorization is no longer kept (deleted or revoked)` });
  }
  if (!campaign) return decide.cancelled('the campaign was deleted');
  if (campaign.status !== 'active') return decide.cancelled('the campaign was archived before release');
  if (!grant || grant.status !== 'active')
    return decide.failed(grantDeadReason(name, grant?.dead_reason ?? 'the authorization was removed'));

  let adapter: ProviderAdapter;
  try {
    adapter = ctx.providers.get(row.service);
  } catch {
    const error = `${name} is not configured on this server`;
    return followOnly ? decide.follow(followAfterFailedAttempt(ctx, row, error)) : afterFailedAttempt(ctx, row, error);
  }
  const session = new ServiceSession({
    ctx,
    governor: deps.governor,
    loaders,
    owner: deps.owner,
    adapter,
    grant,
    service: row.service,
    name,
  });
  return { deps, row, name, campaign, grant, session };
}
