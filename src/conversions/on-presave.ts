import type { AppContext } from '../context.js';
import { browserKey, leadEventId } from './identifiers.js';
import { recordConversion } from './record.js';

/**
 * A pre-save as a lead (Meta Lead, TikTok SubmitForm, GA4 generate_lead), in storePresave's
 * transaction, for a browser whose standing answer for the campaign is "allow". Its event id is
 * derived from the pre-save's public id (identifiers.ts), the same one the receipt page can name.
 */
export async function conversionsOnPresave(
  ctx: AppContext,
  p: { campaignId: number; slug: string; publicId: string; fan: { browser?: string; ip: string; userAgent?: string } },
): Promise<void> {
  if (!p.fan.browser) return;
  await recordConversion(ctx, {
    campaignId: p.campaignId,
    event: 'lead',
    eventId: leadEventId(ctx, p.publicId),
    fan: {
      browserKey: browserKey(ctx, p.fan.browser),
      ip: p.fan.ip,
      userAgent: p.fan.userAgent ?? '',
      url: `${ctx.config.publicUrl}/${p.slug}`,
    },
  });
}
