import type { Db } from '../db/index.js';
import { releaseIdleGrants } from '../fulfillment/settle.js';
import type { PresaveRow } from './repo.js';

/**
 * A fan's own controls. Cancelling keeps a record that they cancelled (for the artist's counts);
 * erasing deletes the pre-save and, when nothing else needs it, the authorization. Either way the
 * worker's last check before saving sees the row is no longer pending and saves nothing.
 */
export async function cancelPresave(db: Db, p: PresaveRow, now: number): Promise<boolean> {
  const res = await db
    .updateTable('presaves')
    .set({ status: 'cancelled', failure_reason: 'cancelled by the fan', updated_at: now })
    .where('id', '=', p.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  await releaseIdleGrants(db, [p.grant_id], now);
  return Number(res.numUpdatedRows) === 1;
}

export async function erasePresave(db: Db, p: PresaveRow): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('presaves').where('id', '=', p.id).execute();
    const others = await trx.selectFrom('presaves').select('id').where('grant_id', '=', p.grant_id).limit(1).execute();
    if (!others.length) await trx.deleteFrom('grants').where('id', '=', p.grant_id).execute();
  });
}
