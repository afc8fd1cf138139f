import { sql } from 'kysely';
import type { Db } from '../../db/index.js';

/**
 * THE ONLY WRITER of `vault_downloads`: one row per download a fan started — an answer beginning
 * at byte 0 (a resume or a seek is a Range further on and is not counted, once a download was
 * started). At most VAULT_DOWNLOADS_PER_FAN per fan and item: the row is written only while the
 * count is under the limit, in one statement, so two downloads started at once cannot both take
 * the last one on SQLite; on PostgreSQL (READ COMMITTED) two exactly concurrent starts may both pass.
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

/** Counts a started download; false when the fan already used the limit (nothing written). */
export async function countDownload(db: Db, itemId: number, presaveId: number, limit: number, now: number): Promise<boolean> {
  const big = (n: number) => sql`cast(${n} as bigint)`;
  const r = await sql`INSERT INTO vault_downloads (item_id, presave_id, at)
    SELECT ${big(itemId)}, ${big(presaveId)}, ${big(now)}
    WHERE (SELECT count(*) FROM vault_downloads WHERE item_id = ${big(itemId)} AND presave_id = ${big(presaveId)}) < ${limit}`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}
