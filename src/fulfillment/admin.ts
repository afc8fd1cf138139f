import type { Db } from '../db/index.js';
import { redrivePresaves } from '../presaves/lifecycle/redrive.js';
import { requeueFollows } from '../presaves/lifecycle/requeue-follows.js';
import { wakeParked } from '../presaves/lifecycle/wake-parked.js';

/** Operator actions on fulfillment: `dropday fulfillment retry | resume | status`. */

/**
 * Puts failed pre-saves of a campaign back in the queue (optionally only those whose reason
 * contains `reason`; only on `service`, when given), and queues again the failed follows of saved pre-saves (their status stays
 * `saved`; see campaigns/pauses.ts for the follow states). Idempotent: running it twice re-drives
 * nothing more, since the first run made them pending/queued. Pre-saves whose grant is dead are
 * left alone unless `includeDeadGrants`: the service would refuse them again; those fans must
 * pre-save again. Returns how many pre-saves and follows were put back.
 */
export async function redriveFailed(
  db: Db,
  campaignId: number,
  opts: { reason?: string; service?: string; includeDeadGrants?: boolean },
  now: number,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const presaves = await redrivePresaves(trx, campaignId, opts, now);
    const follows = await requeueFollows(
      trx,
      {
        campaignId,
        from: ['failed'],
        ...(opts.reason ? { errorLike: opts.reason } : {}),
        ...(opts.service ? { services: [opts.service] } : {}),
        liveGrantsOnly: !opts.includeDeadGrants,
        clearError: true,
      },
      now,
    );
    return presaves + follows;
  });
}

/** Closes breakers and lifts pauses, and makes pre-saves parked behind them due now. */
export async function resumeServices(db: Db, now: number, service?: string): Promise<{ services: string[]; redriven: number }> {
  let q = db
    .selectFrom('service_governors')
    .select('service')
    .where((eb) => eb.or([eb('breaker_open', '=', 1), eb('paused_until', '>', now)]));
  if (service) q = q.where('service', '=', service);
  const services = (await q.execute()).map((r) => r.service);
  if (!services.length) return { services, redriven: 0 };
  await db
    .updateTable('service_governors')
    .set({ breaker_open: 0, breaker_reason: null, paused_until: 0, updated_at: now })
    .where('service', 'in', services)
    .execute();
  return { services, redriven: await wakeParked(db, { services }, now) };
}

export async function governorStates(db: Db) {
  return db.selectFrom('service_governors').selectAll().orderBy('service').execute();
}
