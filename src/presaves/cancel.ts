import type { AppContext } from '../context.js';
import { truncateWriteAheadLog, type Db } from '../db/index.js';
import { releaseIdleGrants } from '../fulfillment/settle.js';
import { forgetIdleGrants } from '../grants/repo.js';
import type { PresaveRow } from './repo.js';

/**
 * A fan's own controls. Either way the worker's last check before saving sees the row is no
 * longer pending and saves nothing.
 *
 * Cancelling keeps a record that a pre-save was cancelled (for the artist's counts), but not who
 * cancelled it: the row's account id becomes a placeholder unique to the row (the unique index on
 * campaign, service and account still holds), and the grant's tokens, account id and display
 * name go once no pending pre-save needs them. A fan who pre-saves again later starts a new row.
 */
export async function cancelPresave(db: Db, p: PresaveRow, now: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('presaves')
      .set({ status: 'cancelled', failure_reason: 'cancelled by the fan', account_id: `forgotten:${p.public_id}`, updated_at: now })
      .where('id', '=', p.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    await releaseIdleGrants(trx, [p.grant_id], now);
    await forgetIdleGrants(trx, [p.grant_id], now);
    return Number(res.numUpdatedRows) === 1;
  });
}

/**
 * Erasing deletes the pre-save and, when nothing else needs it, the authorization. On SQLite the
 * deleted bytes are zeroed (`secure_delete`) and the write-ahead log, which still holds earlier
 * copies of the rows, is truncated; false when another connection kept it from being truncated
 * now (later writes overwrite it). PostgreSQL: see docs/operations.md, "Fan data and erasure".
 */
export async function erasePresave(ctx: Pick<AppContext, 'db' | 'dialect'>, p: PresaveRow): Promise<boolean> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('presaves').where('id', '=', p.id).execute();
    const others = await trx.selectFrom('presaves').select('id').where('grant_id', '=', p.grant_id).limit(1).execute();
    if (!others.length) await trx.deleteFrom('grants').where('id', '=', p.grant_id).execute();
  });
  return ctx.dialect === 'sqlite' ? truncateWriteAheadLog(ctx.db) : true;
}
