import type { Db } from '../../db/index.js';
import type { ConversionEvent, ConversionPlatform } from '../../db/schema-conversions.js';
import type { EventPayload } from './payload.js';

/**
 * Create: an event for one platform, due now. The same (campaign, platform, event, event id) twice
 * is one row: a page reloaded with the same id, or a pre-save recorded again, sends nothing twice.
 */
export async function enqueueConversions(
  db: Db,
  e: { campaignId: number; platforms: readonly ConversionPlatform[]; event: ConversionEvent; eventId: string; payload: EventPayload },
  now: number,
): Promise<number> {
  if (!e.platforms.length) return 0;
  const r = await db
    .insertInto('conversion_events')
    .values(
      e.platforms.map((platform) => ({
        campaign_id: e.campaignId,
        platform,
        event: e.event,
        event_id: e.eventId,
        payload: JSON.stringify(e.payload),
        status: 'pending' as const,
        next_attempt_at: now,
        lease_owner: null,
        lease_token: null,
        lease_until: null,
        last_error: null,
        sent_at: null,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['campaign_id', 'platform', 'event', 'event_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0);
}
