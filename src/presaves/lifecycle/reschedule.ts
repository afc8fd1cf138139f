import { sql } from 'kysely';
import type { Db } from '../../db/index.js';

/**
 * pending → pending with a new due time: the campaign's release moved. Each pending pre-save's
 * due time follows its fan's zone (`dueAt`); counts start again. One statement for every zone.
 */
export async function reschedulePending(db: Db, campaignId: number, dueAt: (timezone: string) => number, now: number): Promise<number> {
  const zones = (
    await db
      .selectFrom('presaves')
      .select('timezone')
      .distinct()
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'pending')
      .execute()
  ).map((z) => z.timezone);
  if (!zones.length) return 0;
  const due = sql<number>`CASE timezone ${sql.join(
    zones.map((z) => sql`WHEN ${z} THEN CAST(${dueAt(z)} AS bigint)`),
    sql` `,
  )} END`;
  const res = await db
    .updateTable('presaves')
    .set({ due_at: due, next_attempt_at: due, attempts: 0, failures: 0, updated_at: now })
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'pending')
    .where('timezone', 'in', zones)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
