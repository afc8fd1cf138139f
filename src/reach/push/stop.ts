import type { Db } from '../../db/index.js';
import { withdrawConsents } from '../consents.js';
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
