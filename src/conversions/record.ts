import type { AppContext } from '../context.js';
import type { Db } from '../db/index.js';
import type { ConversionEvent, ConversionPlatform } from '../db/schema-conversions.js';
import { trackingAllowed } from './consent.js';
import { enqueueConversions } from './events/index.js';
import { externalId } from './identifiers.js';
import { PLATFORMS } from './platforms.js';
import { conversionSettings } from './settings.js';

/** The fan's side of an event: only ever read from a request of a browser that allowed tracking. */
export interface FanSignals {
  browserKey: string;
  ip: string;
  userAgent: string;
  url: string;
  /** SHA-256 of the normalized address (identifiers.ts), when the event has one. */
  emailHash?: string;
}

/** Platforms with an id and a token that has not been refused. */
async function activePlatforms(db: Db, campaignId: number): Promise<ConversionPlatform[]> {
  const v = await conversionSettings(db, campaignId);
  return PLATFORMS.filter((p) => v[p]?.secretSet && !v[p].refused);
}

/**
 * Queues one event for each of the campaign's platforms — only when this browser's standing answer
 * for the campaign is "allow" (consent.ts). Returns how many were queued (0: no consent, no
 * platform, or already queued under this event id).
 */
export async function recordConversion(
  ctx: Pick<AppContext, 'db' | 'now'>,
  e: { campaignId: number; event: ConversionEvent; eventId: string; fan: FanSignals },
): Promise<number> {
  const platforms = await activePlatforms(ctx.db, e.campaignId);
  if (!platforms.length) return 0;
  if (!(await trackingAllowed(ctx.db, e.campaignId, e.fan.browserKey))) return 0;
  const now = ctx.now();
  return enqueueConversions(
    ctx.db,
    {
      campaignId: e.campaignId,
      platforms,
      event: e.event,
      eventId: e.eventId,
      payload: {
        time: Math.floor(now / 1000),
        url: e.fan.url,
        ip: e.fan.ip,
        userAgent: e.fan.userAgent.slice(0, 500),
        externalId: externalId(e.fan.browserKey),
        ...(e.fan.emailHash ? { email: e.fan.emailHash } : {}),
      },
    },
    now,
  );
}
