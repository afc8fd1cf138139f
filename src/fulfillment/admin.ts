import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../db/index.js';
import type { Database } from '../db/schema.js';

/** Operator actions on fulfillment: `dropday fulfillment retry | resume | status`. */

/**
 * Puts failed pre-saves of a campaign back in the queue (optionally only those whose reason
 * contains `reason`), and queues again the failed follows of saved pre-saves (their status stays
 * `saved`; see campaigns/pauses.ts for the follow states). Idempotent: running it twice re-drives
 * nothing more, since the first run made them pending/queued. Pre-saves whose grant is dead are
 * left alone unless `includeDeadGrants`: the service would refuse them again; those fans must
 * pre-save again. Returns how many pre-saves and follows were put back.
 */
export async function redriveFailed(
  db: Db,
  campaignId: number,
  opts: { reason?: string; includeDeadGrants?: boolean },
  now: number,
): Promise<number> {
  const like = opts.reason ? `%${opts.reason.replace(/[%_\\]/g, (c) => `\\${c}`)}%` : null;
  const liveGrant = (eb: ExpressionBuilder<Database, 'presaves'>) =>
    eb.exists(
      eb.selectFrom('grants').select('grants.id').whereRef('grants.id', '=', 'presaves.grant_id').where('grants.status', '=', 'active'),
    );
  return db.transaction().execute(async (trx) => {
    let q = trx
      .updateTable('presaves')
      .set({ status: 'pending', attempts: 0, failures: 0, next_attempt_at: now, failure_reason: null, updated_at: now })
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'failed');
    if (like) q = q.where('failure_reason', 'like', like);
    if (!opts.includeDeadGrants) q = q.where(liveGrant);
    let f = trx
      .updateTable('presaves')
      .set({ follow_status: 'queued', follow_attempts: 0, follow_error: null, next_attempt_at: now, updated_at: now })
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'saved')
      .where('follow_status', '=', 'failed');
    if (like) f = f.where('follow_error', 'like', like);
    if (!opts.includeDeadGrants) f = f.where(liveGrant);
    const [a, b] = [await q.executeTakeFirst(), await f.executeTakeFirst()];
    return Number(a.numUpdatedRows) + Number(b.numUpdatedRows);
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
  const res = await db
    .updateTable('presaves')
    .set({ next_attempt_at: now, updated_at: now })
    .where('status', '=', 'pending')
    .where('service', 'in', services)
    .where('next_attempt_at', '>', now)
    .where('lease_token', 'is', null)
    .executeTakeFirst();
  return { services, redriven: Number(res.numUpdatedRows) };
}

export async function governorStates(db: Db) {
  return db.selectFrom('service_governors').selectAll().orderBy('service').execute();
}
