import type { AppContext } from '../../context.js';
import { truncateWriteAheadLog } from '../../db/index.js';
import type { PresaveRow } from '../repo.js';

/**
 * any → (gone), by the fan: the pre-save is deleted and, when nothing else needs it, the
 * authorization. On SQLite the deleted bytes are zeroed (`secure_delete`) and the write-ahead
 * log, which still holds earlier copies of the rows, is truncated; false when another connection
 * kept it from being truncated now (later writes overwrite it). PostgreSQL: see
 * docs/operations.md, "Fan data and erasure". A worker holding a lease on it settles nothing
 * (no row matches the fence).
 */
export async function erasePresave(ctx: Pick<AppContext, 'db' | 'dialect'>, p: PresaveRow): Promise<boolean> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('presaves').where('id', '=', p.id).execute();
    const others = await trx.selectFrom('presaves').select('id').where('grant_id', '=', p.grant_id).limit(1).execute();
    if (!others.length) await trx.deleteFrom('grants').where('id', '=', p.grant_id).execute();
  });
  return ctx.dialect === 'sqlite' ? truncateWriteAheadLog(ctx.db) : true;
}
