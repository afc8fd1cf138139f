import type { Db } from '../db/index.js';

/**
 * Campaigns paused on one service (table `campaign_pauses`, owned here). The engine pauses a
 * campaign on a service when the service refuses the campaign's configuration; an editor fixes it
 * and resumes, which makes the parked pre-saves due now. Claiming leaves paused pairs alone.
 */
export interface CampaignPause {
  campaignId: number;
  service: string;
  code: string;
  message: string;
  detail: string | null;
  pausedAt: number;
  notifiedAt: number | null;
}

function toPause(r: {
  campaign_id: number;
  service: string;
  code: string;
  message: string;
  detail: string | null;
  paused_at: number;
  notified_at: number | null;
}): CampaignPause {
  return {
    campaignId: Number(r.campaign_id),
    service: r.service,
    code: r.code,
    message: r.message,
    detail: r.detail,
    pausedAt: Number(r.paused_at),
    notifiedAt: r.notified_at == null ? null : Number(r.notified_at),
  };
}

/**
 * Pauses a campaign on a service. Returns true when this call paused it (false when it already
 * was), so exactly one caller sends the notice.
 */
export async function pauseCampaignService(
  db: Db,
  p: { campaignId: number; service: string; code: string; message: string; detail?: string | null },
  now: number,
): Promise<boolean> {
  const res = await db
    .insertInto('campaign_pauses')
    .values({
      campaign_id: p.campaignId,
      service: p.service,
      code: p.code,
      message: p.message,
      detail: p.detail ?? null,
      paused_at: now,
      notified_at: null,
    })
    .onConflict((oc) => oc.columns(['campaign_id', 'service']).doNothing())
    .returning('campaign_id')
    .executeTakeFirst();
  return res !== undefined;
}

export async function markPauseNotified(db: Db, campaignId: number, service: string, now: number): Promise<void> {
  await db
    .updateTable('campaign_pauses')
    .set({ notified_at: now })
    .where('campaign_id', '=', campaignId)
    .where('service', '=', service)
    .execute();
}

export async function listCampaignPauses(db: Db, campaignId: number): Promise<CampaignPause[]> {
  const rows = await db.selectFrom('campaign_pauses').selectAll().where('campaign_id', '=', campaignId).orderBy('service').execute();
  return rows.map(toPause);
}

/** Every paused (campaign, service) pair: what the claim query leaves alone. */
export async function allCampaignPauses(db: Db): Promise<CampaignPause[]> {
  const rows = await db.selectFrom('campaign_pauses').selectAll().execute();
  return rows.map(toPause);
}

/**
 * Lifts the pause (all services when `service` is omitted) and makes the campaign's parked
 * pre-saves on those services due now. One transaction: a resume is never half-applied.
 * Returns the services resumed and how many pre-saves became due.
 */
export async function resumeCampaign(
  db: Db,
  campaignId: number,
  now: number,
  service?: string,
): Promise<{ services: string[]; redriven: number }> {
  return db.transaction().execute(async (trx) => {
    let sel = trx.selectFrom('campaign_pauses').select('service').where('campaign_id', '=', campaignId);
    if (service) sel = sel.where('service', '=', service);
    const services = (await sel.execute()).map((r) => r.service);
    if (!services.length) return { services, redriven: 0 };
    await trx.deleteFrom('campaign_pauses').where('campaign_id', '=', campaignId).where('service', 'in', services).execute();
    const res = await trx
      .updateTable('presaves')
      .set({ next_attempt_at: now, updated_at: now })
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'pending')
      .where('service', 'in', services)
      .where('next_attempt_at', '>', now)
      .where('lease_token', 'is', null)
      .executeTakeFirst();
    return { services, redriven: Number(res.numUpdatedRows) };
  });
}
