import { pauseAndNotify } from '../../campaigns/pause-notice.js';
import type { Campaign } from '../../campaigns/repo.js';
import type { AppContext } from '../../context.js';
import type { GrantRow } from '../../grants/repo.js';
import type { Mailer } from '../../mail/index.js';
import type { PresaveRow } from '../../presaves/repo.js';
import type { ProviderError } from '../../providers/types.js';
import type { RateGovernor } from '../../delivery/governor.js';
import type { WorkerLoaders } from '../loaders.js';
import type { Settler } from '../settle.js';
import type { ServiceSession } from './service-session.js';

/** What the worker lends every pre-save it runs. */
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

export interface Outcome {
  /**
   * `followed`: a saved pre-save's follow, tried alone from the follow queue (whatever its outcome).
   * `verifying`: the service accepted the album save; its verification waits in the verify queue.
   */
  result: 'saved' | 'followed' | 'verifying' | 'failed' | 'cancelled' | 'retry' | 'fenced';
  detail?: string;
}

/** One claimed pre-save with everything its steps need, once its campaign, grant and service are known. */
export interface Job {
  deps: ProcessDeps;
  row: PresaveRow;
  /** The service's name for people ("Spotify"). */
  name: string;
  campaign: Campaign;
  grant: GrantRow;
  session: ServiceSession;
}

/** Pauses the campaign on this service for a configuration error (see campaigns/pauses.ts). */
export async function pauseCampaign(job: Job, code: string, message: string, err: ProviderError): Promise<void> {
  const { ctx, loaders, mailer } = job.deps;
  loaders.forgetCampaign(job.campaign.id);
  await pauseAndNotify(ctx, mailer, { campaignId: job.campaign.id, service: job.row.service, code, message, detail: err.message });
}

export function grantDeadReason(name: string, why: string): string {
  return `${name} authorization no longer valid: ${why}; the fan needs to pre-save again`;
}
