import type { Db } from '../db/index.js';

/**
 * THE ONLY WRITER of `conversion_consents`: a browser's answer to "measure this visit?" for one
 * campaign, with the exact words shown. Not `consents` (reach/consents.ts): those belong to a
 * contact, a push subscription or a forever save and stand once their owner confirms them; this
 * one belongs to a browser (a keyed hash of its `dropday_fan` cookie), is given by a click and
 * needs no confirmation. Never edited: a new answer is a new row, and the latest one stands.
 */
export interface TrackingChoice {
  campaignId: number;
  browserKey: string;
  choice: 'allow' | 'deny';
  text: string;
  textVersion: string;
  lang: string;
}

export async function recordTrackingChoice(db: Db, c: TrackingChoice, now: number): Promise<void> {
  await db
    .insertInto('conversion_consents')
    .values({
      campaign_id: c.campaignId,
      browser_key: c.browserKey,
      choice: c.choice,
      text: c.text,
      text_version: c.textVersion,
      lang: c.lang,
      created_at: now,
    })
    .execute();
}

/** Whether this browser's latest answer for the campaign is "allow" (no answer: not allowed). */
export async function trackingAllowed(db: Db, campaignId: number, browserKey: string): Promise<boolean> {
  const row = await db
    .selectFrom('conversion_consents')
    .select('choice')
    .where('campaign_id', '=', campaignId)
    .where('browser_key', '=', browserKey)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.choice === 'allow';
}
