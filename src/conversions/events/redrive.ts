import { sql } from 'kysely';
import type { Db } from '../../db/index.js';
import type { ConversionPlatform } from '../../db/schema-conversions.js';
import { redriveFailed } from '../../delivery/redrive.js';
import { CONVERSION_QUEUE } from './queue.js';

const HOUR = 3_600_000;

/**
 * How old a failed event may be to be sent again, less an hour for the queue. Meta and TikTok
 * de-duplicate a server event by its event id only within 48 hours: an event that timed out here
 * but did arrive would count twice if sent later (Meta also refuses an `event_time` more than 7
 * days back). GA4's Measurement Protocol takes timestamps up to 72 hours back and de-duplicates
 * nothing (docs/conversions.md says so next to the button). An older event is left failed.
 */
export const RESEND_WINDOW_MS: Record<ConversionPlatform, number> = { meta: 47 * HOUR, tiktok: 47 * HOUR, ga4: 71 * HOUR };

/**
 * failed → pending, due now, fresh counts (delivery/redrive.ts): the artist fixed what made them
 * fail (pasted a new token, fixed the pixel id). Only for `platforms` (those the campaign sends to
 * now: set, token not refused) and only events still inside the platform's window. Events that
 * were cancelled (the platform removed, or its token refused while they waited) stay cancelled.
 */
export async function redriveFailedConversions(
  db: Db,
  p: { campaignId: number; platforms: readonly ConversionPlatform[]; now: number },
): Promise<number> {
  let n = 0;
  for (const platform of p.platforms) {
    n += await redriveFailed(db, CONVERSION_QUEUE, {
      which: sql`campaign_id = ${p.campaignId} AND platform = ${platform} AND created_at >= ${p.now - RESEND_WINDOW_MS[platform]}`,
      set: { last_error: null },
      now: p.now,
    });
  }
  return n;
}
