import type { Db } from '../../db/index.js';
import { standingConsents, withdrawConsents } from '../consents.js';
import { cancelMessages } from '../messages/lifecycle/cancel.js';
import { deleteSubscription } from './subscriptions.js';

/**
 * A browser's notifications end: the fan pressed Stop on its page (`preferences`), or erased
 * everything (`erase`). Consents are withdrawn and what was scheduled is cancelled before the row
 * goes, so a worker holding one of its messages right now settles nothing (fenced on `pending`);
 * then the subscription is deleted (its consents and messages cascade).
 */
export async function stopPush(db: Db, pushId: number, via: 'preferences' | 'erase' | 'unsubscribe', now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await withdrawConsents(trx, { pushId }, via, now);
    await cancelMessages(trx, { pushId }, now);
    await deleteSubscription(trx, pushId);
  });
}

/**
 * The push service said 404/410: the browser unsubscribed, or the subscription expired. Nothing
 * can reach it any more: the row and everything hanging on it are deleted. For the message kind's
 * `onGone`.
 */
export async function pushGone(db: Db, pushId: number): Promise<void> {
  await deleteSubscription(db, pushId);
}

/**
 * A pre-saver erased their pre-save (the receipt's "Erase my data"): what a browser was asked to
 * be notified of on that receipt goes with it — its consents for that campaign are withdrawn
 * (`erase`) and its pushes for that campaign cancelled — and a subscription left with no standing
 * consent (nothing asked on another campaign of the same artist) is deleted with everything
 * hanging on it. Returns how many subscriptions were deleted.
 */
export async function erasePushForPresave(db: Db, presave: { id: number; campaign_id: number }, now: number): Promise<number> {
  const rows = await db
    .selectFrom('consents')
    .select('push_id')
    .distinct()
    .where('presave_id', '=', presave.id)
    .where('push_id', 'is not', null)
    .execute();
  let deleted = 0;
  for (const { push_id } of rows) {
    const pushId = Number(push_id);
    const left = await db.transaction().execute(async (trx) => {
      await withdrawConsents(trx, { pushId }, 'erase', now, { campaignId: presave.campaign_id });
      await cancelMessages(trx, { pushId }, now, { campaignId: presave.campaign_id });
      return (await standingConsents(trx, { pushId })).length;
    });
    if (left === 0) {
      await deleteSubscription(db, pushId);
      deleted++;
    }
  }
  return deleted;
}
