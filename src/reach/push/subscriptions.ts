import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { base62Id } from '../../util/random.js';
import { reachKeys } from '../keys.js';
import type { PushSubscriptionJson } from './subscription-input.js';

/**
 * THE ONLY WRITER of `push_subscriptions` (test/reach-owners.test.ts): a browser a fan allowed to
 * be notified, per audience (the artist's workspace, or a CLI campaign). The PushSubscription is
 * stored encrypted (its endpoint is a bearer capability: whoever has it and the keys can notify
 * the fan), with the AAD naming the row by its endpoint hash, so a copied ciphertext does not
 * decrypt in another row. Look-ups use the keyed hash of the endpoint; `endpoint_host` is the
 * push service, the rate governor's key `push:<host>`.
 */
export interface StoredPush {
  id: number;
  manageId: string;
  host: string;
  /** True when this browser was not subscribed for this audience before. */
  added: boolean;
}

/** Whose contact a row is: the campaign's workspace, or the campaign itself when made from the CLI. */
export function audienceOf(campaign: { id: number; workspace_id?: number | null }): string {
  return campaign.workspace_id != null ? `w:${campaign.workspace_id}` : `c:${campaign.id}`;
}

const aad = (endpointHash: string) => `push:${endpointHash}`;

export function endpointHash(ctx: AppContext, endpoint: string): string {
  return reachKeys(ctx).hash('push', endpoint);
}

/** Stores (or refreshes: same endpoint, same audience → the same row) a subscription. */
export async function storeSubscription(
  ctx: AppContext,
  /** ctx.db, or the transaction the subscription is stored in with its consents. */
  db: Db,
  p: { audience: string; subscription: PushSubscriptionJson; host: string; lang: string; campaignId: number },
  now: number,
): Promise<StoredPush> {
  const hash = endpointHash(ctx, p.subscription.endpoint);
  const enc = ctx.cipher.encrypt(JSON.stringify(p.subscription), aad(hash));
  const existing = await db
    .selectFrom('push_subscriptions')
    .select(['id', 'manage_id'])
    .where('audience', '=', p.audience)
    .where('endpoint_hash', '=', hash)
    .executeTakeFirst();
  if (existing) {
    // The browser may have rotated its keys for the same endpoint; the latest language wins.
    await db
      .updateTable('push_subscriptions')
      .set({ subscription_enc: enc, lang: p.lang, updated_at: now })
      .where('id', '=', existing.id)
      .execute();
    return { id: existing.id, manageId: existing.manage_id, host: p.host, added: false };
  }
  const row = await db
    .insertInto('push_subscriptions')
    .values({
      audience: p.audience,
      endpoint_hash: hash,
      subscription_enc: enc,
      endpoint_host: p.host,
      manage_id: base62Id(22),
      lang: p.lang,
      campaign_id: p.campaignId,
      created_at: now,
      updated_at: now,
    })
    // Two tabs of one browser subscribing at once: the second finds the first's row.
    .onConflict((oc) => oc.columns(['audience', 'endpoint_hash']).doNothing())
    .returning(['id', 'manage_id'])
    .executeTakeFirst();
  if (!row) return storeSubscription(ctx, db, p, now);
  return { id: row.id, manageId: row.manage_id, host: p.host, added: true };
}

export interface PushRow {
  id: number;
  audience: string;
  manage_id: string;
  endpoint_host: string;
  lang: string;
  campaign_id: number;
  created_at: number;
  subscription_enc: string;
  endpoint_hash: string;
}

export async function findByManageId(db: Db, manageId: string): Promise<PushRow | undefined> {
  if (!/^[0-9A-Za-z]{22}$/.test(manageId)) return undefined;
  return db.selectFrom('push_subscriptions').selectAll().where('manage_id', '=', manageId).executeTakeFirst();
}

export async function findById(db: Db, id: number): Promise<PushRow | undefined> {
  return db.selectFrom('push_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The PushSubscription JSON to send to (what `PushSender.send` takes). */
export function decryptSubscription(ctx: AppContext, row: Pick<PushRow, 'subscription_enc' | 'endpoint_hash'>): string {
  return ctx.cipher.decrypt(row.subscription_enc, aad(row.endpoint_hash));
}

/**
 * Deletes a subscription: the push service answered 404/410 (the browser unsubscribed or the
 * subscription expired), the fan stopped it, or erasure. Its consents and messages go with it
 * (ON DELETE CASCADE in migration 021): nothing is left that could be sent or shown.
 */
export async function deleteSubscription(db: Db, id: number): Promise<boolean> {
  const r = await db.deleteFrom('push_subscriptions').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
