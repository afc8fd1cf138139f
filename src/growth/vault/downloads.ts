import { sql } from 'kysely';
import type { Db } from '../../db/index.js';

/**
 * THE ONLY WRITER of `vault_downloads`: one row per download a fan started — an answer beginning
 * at byte 0 (a resume or a seek is a Range further on and is not counted, once a download was
 * started). At most VAULT_DOWNLOADS_PER_FAN per fan and item, exactly, on both databases: each row
 * takes the fan's next download number (`slot`, unique per fan and item) only while that number is
 * within the limit, in one statement. Under READ COMMITTED two downloads started at once may both
 * read the same count; the unique slot lets only one of them write it, and the other tries again
 * with the next number (refused once that is past the limit).
 */
export async function downloadsOf(db: Db, itemId: number, presaveId: number): Promise<number> {
  const row = await db
    .selectFrom('vault_downloads')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('item_id', '=', itemId)
    .where('presave_id', '=', presaveId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Downloads started by one fan, per item (for the receipt's "downloads left"). */
export async function downloadsByItem(db: Db, presaveId: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('vault_downloads')
    .select(['item_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('presave_id', '=', presaveId)
    .groupBy('item_id')
    .execute();
  return new Map(rows.map((r) => [Number(r.item_id), Number(r.n)]));
}

/** Tries beyond the first when another download took the number at the same moment. */
const SLOT_TRIES = 8;

/** Counts a started download; false when the fan already used the limit (nothing written). */
export async function countDownload(db: Db, itemId: number, presaveId: number, limit: number, now: number): Promise<boolean> {
  const big = (n: number) => sql`cast(${n} as bigint)`;
  for (let i = 0; i < SLOT_TRIES; i++) {
    const r = await sql`INSERT INTO vault_downloads (item_id, presave_id, at, slot)
      SELECT ${big(itemId)}, ${big(presaveId)}, ${big(now)}, n.used + 1
      FROM (SELECT count(*) AS used FROM vault_downloads WHERE item_id = ${big(itemId)} AND presave_id = ${big(presaveId)}) n
      WHERE n.used < ${big(limit)}
      ON CONFLICT (item_id, presave_id, slot) DO NOTHING`.execute(db);
    if (Number(r.numAffectedRows ?? 0) > 0) return true;
    // Nothing written: the limit is used, or a concurrent download took this number (then try the next).
    if ((await downloadsOf(db, itemId, presaveId)) >= limit) return false;
  }
  return false;
}
