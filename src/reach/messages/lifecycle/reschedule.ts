import type { Db } from '../../../db/index.js';

/**
 * pending → pending at a new time: the campaign's release moment moved (campaigns/service.ts, in
 * the same transaction as the pre-saves' reschedule). Each pending "out now" follows its fan's
 * zone — the zone on the remind consent that planned it, else the campaign's — and its counts
 * start again. A message a worker holds right now keeps its lease: its settle is fenced on the
 * lease and the new time is what the next claim sees (`dueAt`: the campaign's timing for a zone).
 */
export async function rescheduleOutNow(
  db: Db,
  campaignId: number,
  dueAt: (timezone: string | null) => number,
  now: number,
): Promise<number> {
  const rows = await db
    .selectFrom('messages as m')
    .leftJoin('consents as c', (j) =>
      j
        .onRef('c.campaign_id', '=', 'm.campaign_id')
        .on('c.purpose', '=', 'remind')
        .on((eb) => eb.or([eb('c.contact_id', '=', eb.ref('m.contact_id')), eb('c.push_id', '=', eb.ref('m.push_id'))])),
    )
    .select(['m.id', 'c.timezone'])
    .where('m.campaign_id', '=', campaignId)
    .where('m.type', '=', 'out_now')
    .where('m.status', '=', 'pending')
    .orderBy('c.id', 'desc')
    .execute();
  // The latest consent's zone wins for a message with several.
  const zoneOf = new Map<number, string | null>();
  for (const r of rows) if (!zoneOf.has(Number(r.id))) zoneOf.set(Number(r.id), r.timezone ?? null);
  const byZone = new Map<string | null, number[]>();
  for (const [id, zone] of zoneOf) {
    const ids = byZone.get(zone) ?? [];
    ids.push(id);
    byZone.set(zone, ids);
  }
  let moved = 0;
  for (const [zone, ids] of byZone) {
    const at = Math.max(dueAt(zone), now);
    for (let i = 0; i < ids.length; i += 500) {
      const r = await db
        .updateTable('messages')
        .set({ next_attempt_at: at, attempts: 0, failures: 0, updated_at: now })
        .where('id', 'in', ids.slice(i, i + 500))
        .where('status', '=', 'pending')
        .executeTakeFirst();
      moved += Number(r.numUpdatedRows);
    }
  }
  return moved;
}
