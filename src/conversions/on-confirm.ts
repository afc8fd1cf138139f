import { getCampaignById } from '../campaigns/repo.js';
import type { AppContext } from '../context.js';
import { reachKeys } from '../reach/keys.js';
import { browserKey, hashedEmail } from './identifiers.js';
import { recordConversion } from './record.js';

/**
 * A confirmed address as a registration (Meta and TikTok CompleteRegistration, GA4 sign_up), when
 * the confirmation link is opened in a browser whose standing answer for the campaign is "allow"
 * (a link opened elsewhere — another device, a mail app — sends nothing). The address goes only as
 * the SHA-256 of its trimmed, lower-cased form; the event id is a keyed hash of the contact.
 */
export async function conversionsOnConfirm(
  ctx: AppContext,
  p: { campaignId: number; contactId: number; email: string; fan: { browser?: string; ip: string; userAgent?: string } },
): Promise<number> {
  if (!p.fan.browser) return 0;
  const campaign = await getCampaignById(ctx.db, p.campaignId);
  return recordConversion(ctx, {
    campaignId: p.campaignId,
    event: 'registration',
    eventId: `reg_${reachKeys(ctx).hash('account', `conversion-registration:${p.contactId}`).slice(0, 24)}`,
    fan: {
      browserKey: browserKey(ctx, p.fan.browser),
      ip: p.fan.ip,
      userAgent: p.fan.userAgent ?? '',
      url: `${ctx.config.publicUrl}/${campaign.slug}`,
      emailHash: hashedEmail(p.email),
    },
  });
}
