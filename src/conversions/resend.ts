import type { Db } from '../db/index.js';
import type { ConversionPlatform } from '../db/schema-conversions.js';
import { redriveFailedConversions } from './events/index.js';
import { PLATFORMS } from './platforms.js';
import { conversionSettings } from './settings.js';

/**
 * "Send them again" (the editor panel, `dropday fulfillment retry-conversions`): the campaign's
 * failed events of the platforms it sends to now — an id and a token that was not refused — still
 * inside each platform's window (events/redrive.ts). The count, and which platforms could take them.
 */
export async function resendFailedConversions(
  db: Db,
  campaignId: number,
  now: number,
): Promise<{ requeued: number; platforms: ConversionPlatform[] }> {
  const settings = await conversionSettings(db, campaignId);
  const platforms = PLATFORMS.filter((p) => settings[p]?.secretSet && !settings[p]?.refused);
  return { requeued: await redriveFailedConversions(db, { campaignId, platforms, now }), platforms };
}
