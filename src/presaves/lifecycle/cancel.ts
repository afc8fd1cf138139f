import type { Db } from '../../db/index.js';
import { forgetIdleGrants, releaseIdleGrants } from '../../grants/repo.js';
import type { PresaveRow } from '../repo.js';

/**
 * pending → cancelled, by the fan. The worker's last check before saving sees the row is no
 * longer pending and saves nothing; a settle after it is fenced out (status).
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
