import type { Db } from '../db/index.js';

/**
 * What became of the follows of a campaign's saved pre-saves (see fulfillment/process.ts): the
 * album and the follow are separate outcomes, so a saved pre-save can carry a follow that is
 * queued, waiting for the artist's fix (the campaign is paused for follows), or failed.
 * For the CLI's `status` and the dashboard alike.
 */
export interface FollowCounts {
  done: number;
  queued: number;
  waiting: number;
  failed: number;
  byService: Record<string, { done: number; queued: number; waiting: number; failed: number }>;
  /** Why follows failed or are waiting, with how many. */
  reasons: { service: string; status: 'failed' | 'waiting'; reason: string; count: number }[];
}

const STATES = ['done', 'queued', 'waiting', 'failed'] as const;
type State = (typeof STATES)[number];

export async function followOutcomes(db: Db, campaignId: number): Promise<FollowCounts> {
  const rows = await db
    .selectFrom('presaves')
    .select(['service', 'follow_status', 'follow_error'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'saved')
    .where('follow_status', 'is not', null)
    .groupBy(['service', 'follow_status', 'follow_error'])
    .execute();
  const out: FollowCounts = { done: 0, queued: 0, waiting: 0, failed: 0, byService: {}, reasons: [] };
  for (const r of rows) {
    const status = r.follow_status as State;
    if (!STATES.includes(status)) continue;
    const n = Number(r.n);
    out[status] += n;
    const s = (out.byService[r.service] ??= { done: 0, queued: 0, waiting: 0, failed: 0 });
    s[status] += n;
    if (status === 'failed' || status === 'waiting') {
      out.reasons.push({ service: r.service, status, reason: r.follow_error ?? 'no reason recorded', count: n });
    }
  }
  out.reasons.sort((a, b) => b.count - a.count);
  return out;
}
