import type { Db } from '../db/index.js';
import { inTransaction } from '../db/transaction.js';
import { DropdayError } from '../errors.js';
import { reschedulePending } from '../presaves/lifecycle/reschedule.js';
import { rescheduleOutNow } from '../reach/messages/lifecycle/reschedule.js';
import { registerSandboxRelease } from '../providers/sandbox/catalog.js';
import { isUniqueViolation } from '../util/db-errors.js';
import { getCampaignBySlug, insertCampaign, updateCampaignRow, type Campaign } from './repo.js';
import { dueAtFor } from './timing.js';
import { validateCampaign, type CampaignInput } from './validate.js';

export interface CampaignDeps {
  db: Db;
  now(): number;
  enabledServices: readonly string[];
  /** MAX_RELEASE_LEAD_DAYS (default two years). */
  maxLeadDays?: number;
}

const lead = (deps: CampaignDeps) => (deps.maxLeadDays !== undefined ? { maxLeadDays: deps.maxLeadDays } : {});

/** Creates a campaign and, when it offers the Sandbox, delivers the release to the Sandbox catalog. */
export async function createCampaign(deps: CampaignDeps, input: CampaignInput, opts: { demo?: boolean } = {}): Promise<Campaign> {
  const now = deps.now();
  const fields = validateCampaign(input, { now, enabledServices: deps.enabledServices, ...lead(deps) });
  try {
    return await inTransaction(deps.db, async (trx) => {
      const campaign = await insertCampaign(trx, fields, now, opts.demo);
      if (campaign.services.includes('sandbox')) await registerSandboxRelease(trx, campaign, now);
      return campaign;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DropdayError('SLUG_TAKEN', `The slug "${fields.slug}" is already used by another campaign.`);
    throw err;
  }
}

/**
 * Changes a campaign. A new release time moves every pending pre-save's due time — and every
 * pending "out now" message — with it, in the same transaction, so the worker never acts on a stale time.
 */
export async function updateCampaign(deps: CampaignDeps, slug: string, input: CampaignInput): Promise<Campaign> {
  const current = await getCampaignBySlug(deps.db, slug);
  const now = deps.now();
  const fields = validateCampaign(input, { now, current, enabledServices: deps.enabledServices, ...lead(deps) });
  try {
    return await inTransaction(deps.db, async (trx) => {
      const campaign = await updateCampaignRow(trx, current.id, fields, now);
      if (campaign.services.includes('sandbox')) await registerSandboxRelease(trx, campaign, now);
      if (
        campaign.release_local !== current.release_local ||
        campaign.release_timezone !== current.release_timezone ||
        campaign.timing !== current.timing
      ) {
        await rescheduleCampaign(trx, campaign, now);
      }
      return campaign;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DropdayError('SLUG_TAKEN', `The slug "${fields.slug}" is already used by another campaign.`);
    throw err;
  }
}

async function rescheduleCampaign(db: Db, campaign: Campaign, now: number): Promise<void> {
  await reschedulePending(db, campaign.id, (timezone) => dueAtFor(campaign, timezone), now);
  // Fans' "out now" messages move with the release too (each at its fan's moment).
  await rescheduleOutNow(db, campaign.id, (timezone) => dueAtFor(campaign, timezone ?? campaign.release_timezone), now);
}
