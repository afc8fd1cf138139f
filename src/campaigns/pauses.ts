import type { Selectable } from 'kysely';
import type { Db } from '../db/index.js';
import type { CampaignPauseTable } from '../db/schema.js';
import { requeueFollows } from '../presaves/lifecycle/requeue-follows.js';
import { wakeParked } from '../presaves/lifecycle/wake-parked.js';

/**
 * Campaigns paused on one service (table `campaign_pauses`, owned here). The engine pauses a
 * campaign on a service when the service refuses the campaign's configuration; an editor fixes it
 * and resumes, which makes the parked pre-saves due now. Claiming leaves paused pairs alone.
 *
 * Two kinds of pause, by code:
 * - `follow_artist_unknown` pauses the FOLLOWS only. Albums are still saved for every fan (the
 *   pre-save is `saved`, its `follow_status` is `waiting`): a wrong artist id never costs a fan
 *   the save. Nothing is tried for the follow while paused.
 * - every other code (`release_override_unknown`, `release_refused`) pauses the whole pair: the
 *   campaign's pre-saves on that service stay `pending` and unclaimed, and no attempt counts.
 *
 * State rules for a resume (never moves a `saved` pre-save back, so a fan's receipt never lies):
 * - `pending` pre-saves of the resumed services become due now;
 * - saved pre-saves whose follow is `waiting` or `failed` get `follow_status = 'queued'` (due now,
 *   attempts reset): the worker claims them from the follow queue and tries the follow alone.
 *   Their status stays `saved` throughout; only `follow_status`/`follow_error` change.
 */
export const FOLLOW_ARTIST_UNKNOWN = 'follow_artist_unknown';
export const RELEASE_OVERRIDE_UNKNOWN = 'release_override_unknown';
export const RELEASE_REFUSED = 'release_refused';

/** Whether a pause stops only the follows (albums are still saved). */
export function pausesFollowsOnly(code: string): boolean {
  return code === FOLLOW_ARTIST_UNKNOWN;
}

export interface CampaignPause {
  campaignId: number;
  service: string;
  code: string;
  message: string;
  detail: string | null;
  pausedAt: number;
  notifiedAt: number | null;
}

function toPause(r: Selectable<CampaignPauseTable>): CampaignPause {
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
 * was), so exactly one caller sends the notice. A follow-only pause is widened to the whole pair
 * when the albums are refused too (then true again: the artist has something new to fix).
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
    // A pause of the whole pair replaces a follow-only one (the album saves are now refused too:
    // without it they would be retried for ever behind the follow pause); otherwise the first stays.
    .onConflict((oc) =>
      pausesFollowsOnly(p.code)
        ? oc.columns(['campaign_id', 'service']).doNothing()
        : oc
            .columns(['campaign_id', 'service'])
            .doUpdateSet({ code: p.code, message: p.message, detail: p.detail ?? null, paused_at: now, notified_at: null })
            .where('campaign_pauses.code', '=', FOLLOW_ARTIST_UNKNOWN),
    )
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

type Pair = { campaignId: number; service: string };

/** The paused pairs as the claim query wants them: whole pauses, and pauses of the follows only. */
export async function pausedPairs(db: Db): Promise<{ excludePairs: Pair[]; followPairs: Pair[] }> {
  const all = await db.selectFrom('campaign_pauses').select(['campaign_id', 'service', 'code']).execute();
  const pair = (r: (typeof all)[number]) => ({ campaignId: Number(r.campaign_id), service: r.service });
  return {
    excludePairs: all.filter((r) => !pausesFollowsOnly(r.code)).map(pair),
    followPairs: all.filter((r) => pausesFollowsOnly(r.code)).map(pair),
  };
}

/** The pause of one pair, if any. */
export async function campaignPause(db: Db, campaignId: number, service: string): Promise<CampaignPause | null> {
  const r = await db
    .selectFrom('campaign_pauses')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('service', '=', service)
    .executeTakeFirst();
  return r ? toPause(r) : null;
}

/**
 * Lifts the pause (all services when `service` is omitted) and makes the campaign's parked
 * pre-saves on those services due now, and queues again the follows that were held back or
 * failed (see the state rules above). One transaction: a resume is never half-applied.
 * Returns the services resumed, how many pre-saves became due and how many follows were queued.
 */
export async function resumeCampaign(
  db: Db,
  campaignId: number,
  now: number,
  service?: string,
): Promise<{ services: string[]; redriven: number; follows: number }> {
  return db.transaction().execute(async (trx) => {
    let sel = trx.selectFrom('campaign_pauses').select('service').where('campaign_id', '=', campaignId);
    if (service) sel = sel.where('service', '=', service);
    const services = (await sel.execute()).map((r) => r.service);
    if (!services.length) return { services, redriven: 0, follows: 0 };
    await trx.deleteFrom('campaign_pauses').where('campaign_id', '=', campaignId).where('service', 'in', services).execute();
    const redriven = await wakeParked(trx, { services, campaignId }, now);
    const follows = await requeueFollows(trx, { campaignId, from: ['waiting', 'failed'], services }, now);
    return { services, redriven, follows };
  });
}
