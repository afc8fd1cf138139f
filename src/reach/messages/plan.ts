import type { AppContext } from '../../context.js';
import type { Campaign } from '../../campaigns/repo.js';
import { dueAtFor } from '../../campaigns/timing.js';
import type { MessageChannel } from '../../db/schema-reach.js';
import { getGrant } from '../../grants/repo.js';
import type { ServiceId } from '../../providers/services.js';
import { MAIL_KEY } from './channel.js';
import { enqueueMessage } from './lifecycle/enqueue.js';

/**
 * What a standing "remind me" consent schedules, once its holder can be written to (an address
 * confirmed, a push subscription stored): the release-day message at the fan's release moment
 * (their midnight for local timing, the one instant for global), and — for a pre-saver whose grant
 * ends before release day — the re-authorization message in time. Both deduplicated per
 * recipient and campaign: planning twice schedules nothing more.
 */
export interface PlanInput {
  campaign: Pick<Campaign, 'id' | 'timing' | 'release_local' | 'release_timezone'>;
  channel: MessageChannel;
  /** The contact (email) or push subscription written to. */
  to: { contactId: number } | { pushId: number };
  /** `mail:smtp` or `push:<host>`. */
  channelKey: string;
  /** The pre-save the consent was given for (the message is its receipt), if any. */
  presaveId: number | null;
  timezone: string | null;
  lang: string;
}

export function recipientTag(to: PlanInput['to']): string {
  return 'contactId' in to ? `c${to.contactId}` : `p${to.pushId}`;
}

export async function planReleaseMessages(
  ctx: AppContext,
  p: PlanInput,
  now: number,
): Promise<{ outNow: number | null; reauth: number | null }> {
  const zone = p.timezone ?? p.campaign.release_timezone;
  const releaseAt = dueAtFor(p.campaign, zone);
  const base = {
    campaignId: p.campaign.id,
    channel: p.channel,
    ...('contactId' in p.to ? { contactId: p.to.contactId } : { pushId: p.to.pushId }),
    presaveId: p.presaveId,
    channelKey: p.channelKey,
    lang: p.lang,
  };
  const tag = recipientTag(p.to);
  const outNow = await enqueueMessage(
    ctx.db,
    { ...base, type: 'out_now', dedupe: `out_now:${tag}:${p.campaign.id}`, dueAt: Math.max(releaseAt, now) },
    now,
  );
  let reauth: number | null = null;
  if (p.presaveId !== null && p.channel === 'email') {
    const presave = await ctx.db
      .selectFrom('presaves')
      .select(['grant_id', 'service', 'due_at', 'status'])
      .where('id', '=', p.presaveId)
      .executeTakeFirst();
    const lifetime =
      presave && ctx.providers.enabled().includes(presave.service as ServiceId) ? ctx.providers.get(presave.service).grantLifetimeMs : null;
    const grant = presave && lifetime ? await getGrant(ctx.db, presave.grant_id) : undefined;
    if (presave && presave.status === 'pending' && grant && lifetime && grant.authorized_at + lifetime < presave.due_at) {
      const at = Math.max(now, grant.authorized_at + lifetime - ctx.config.reach.messages.reauthLeadMs);
      reauth = await enqueueMessage(
        ctx.db,
        { ...base, type: 'reauth', dedupe: `reauth:${tag}:${p.presaveId}:${grant.authorized_at}`, dueAt: at },
        now,
      );
    }
  }
  return { outNow, reauth };
}

/** {@link planReleaseMessages} to a contact's address: fan mail shares the SMTP relay's one budget. */
export function planMailMessages(
  ctx: AppContext,
  p: Omit<PlanInput, 'channel' | 'to' | 'channelKey'> & { contactId: number },
  now: number,
): ReturnType<typeof planReleaseMessages> {
  const { contactId, ...rest } = p;
  return planReleaseMessages(ctx, { ...rest, channel: 'email', to: { contactId }, channelKey: MAIL_KEY }, now);
}
