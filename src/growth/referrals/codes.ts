import { sql } from 'kysely';
import type { Db } from '../../db/index.js';
import { newReferralCode } from './code.js';

/**
 * Every write to `referral_codes` (this folder is its only writer, with review.ts for the
 * artist's "hide this name"): a pre-save's code made with the pre-save, a confirmed contact's made
 * when its preference page first shows it, a visit counted, the name a fan chose to show.
 */

export interface CodeOwnerKeys {
  account: string | null;
  browser: string | null;
  device: string | null;
  network: string | null;
}

export interface ReferralCodeRow {
  code: string;
  campaign_id: number;
  presave_id: number | null;
  contact_id: number | null;
  display_name: string | null;
  name_hidden: number;
  account_key: string | null;
  browser_key: string | null;
  device_key: string | null;
  network_key: string | null;
  visits: number;
  created_at: number;
}

/** A code of this campaign, or undefined (the shape was checked by the caller). */
export async function findCode(db: Db, campaignId: number, code: string): Promise<ReferralCodeRow | undefined> {
  const row = await db
    .selectFrom('referral_codes')
    .selectAll()
    .where('code', '=', code)
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  return row && { ...row, campaign_id: Number(row.campaign_id), visits: Number(row.visits) };
}

/**
 * The referrer's code row, locked until the caller's transaction ends (an UPDATE that changes
 * nothing still takes the row lock on PostgreSQL; SQLite has one writer anyway). Two referrals
 * through one link decided at the same instant take turns: under READ COMMITTED each would
 * otherwise count the referrer's referrals before the other committed, and pass a cap or a burst
 * limit by one. The statement after the lock sees what the other committed.
 */
export async function lockCode(db: Db, campaignId: number, code: string): Promise<ReferralCodeRow | undefined> {
  await db
    .updateTable('referral_codes')
    .set({ visits: sql`visits` })
    .where('code', '=', code)
    .where('campaign_id', '=', campaignId)
    .execute();
  return findCode(db, campaignId, code);
}

export async function codeOfPresave(db: Db, presaveId: number): Promise<ReferralCodeRow | undefined> {
  const row = await db.selectFrom('referral_codes').selectAll().where('presave_id', '=', presaveId).executeTakeFirst();
  return row && { ...row, campaign_id: Number(row.campaign_id), visits: Number(row.visits) };
}

/**
 * The pre-save's code, made with the owner's keys (a referral matching them is the owner's own);
 * a pre-save that already has one keeps it (and the keys taken when it was made). Runs in the
 * pre-save's transaction (web/routes/connect.ts storePresave).
 */
export async function ensurePresaveCode(
  db: Db,
  p: { campaignId: number; presaveId: number; keys: CodeOwnerKeys },
  now: number,
): Promise<string> {
  const existing = await db.selectFrom('referral_codes').select('code').where('presave_id', '=', p.presaveId).executeTakeFirst();
  if (existing) return existing.code;
  const code = newReferralCode();
  await db
    .insertInto('referral_codes')
    .values({
      code,
      campaign_id: p.campaignId,
      presave_id: p.presaveId,
      contact_id: null,
      display_name: null,
      account_key: p.keys.account,
      browser_key: p.keys.browser,
      device_key: p.keys.device,
      network_key: p.keys.network,
      created_at: now,
    })
    // Two receipt views at once making a missing code (web/growth/referral-receipt.ts): one wins.
    .onConflict((oc) => oc.column('presave_id').doNothing())
    .execute();
  const made = await db.selectFrom('referral_codes').select('code').where('presave_id', '=', p.presaveId).executeTakeFirstOrThrow();
  return made.code;
}

/**
 * A confirmed contact's code for the campaign it was given on, made the first time its preference
 * page shows it. Two tabs at once: the unique (campaign, contact) keeps one, both read it back.
 */
export async function ensureContactCode(db: Db, p: { campaignId: number; contactId: number }, now: number): Promise<string> {
  const read = () =>
    db
      .selectFrom('referral_codes')
      .select('code')
      .where('campaign_id', '=', p.campaignId)
      .where('contact_id', '=', p.contactId)
      .executeTakeFirst();
  const existing = await read();
  if (existing) return existing.code;
  await db
    .insertInto('referral_codes')
    .values({
      code: newReferralCode(),
      campaign_id: p.campaignId,
      presave_id: null,
      contact_id: p.contactId,
      display_name: null,
      account_key: null,
      browser_key: null,
      device_key: null,
      network_key: null,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['campaign_id', 'contact_id']).doNothing())
    .execute();
  return (await read())!.code;
}

/** A first-touch visit through the link (only when the attribution cookie was newly set). */
export async function countVisit(db: Db, code: string): Promise<void> {
  await db
    .updateTable('referral_codes')
    .set({ visits: sql`visits + 1` })
    .where('code', '=', code)
    .execute();
}

/** The name shown on the public leaderboard (validated by the caller: growth/referrals/display-name.ts); null: not shown. */
export async function setDisplayName(db: Db, code: string, name: string | null): Promise<void> {
  await db.updateTable('referral_codes').set({ display_name: name }).where('code', '=', code).execute();
}
