import { createHash } from 'node:crypto';
import type { Campaign } from '../../campaigns/repo.js';
import type { AppContext } from '../../context.js';
import { isolate, t, type Lang } from '../../i18n/index.js';
import { recordConsents, type ConsentGiven } from '../consents.js';
import { reachLinks } from '../links.js';
import { planReleaseMessages } from '../messages/plan.js';
import type { PushSubscriptionJson } from './subscription-input.js';
import { audienceOfCampaign } from '../audience.js';
import { storeSubscription } from './subscriptions.js';

/**
 * A fan allowed this browser to be notified: the subscription is stored (one row per browser and
 * audience), each purpose ticked is recorded as a consent with the exact words the fan read in
 * their language, and a "remind me" schedules the release-day push at the fan's release moment
 * (reach/messages/plan.ts; the governor key is the push service's host). One transaction: a
 * subscription is never left without the consent it was given for.
 */
export type PushPurpose = 'remind' | 'news';

/** The words beside the checkbox, as the page showed them, and which version of them. */
export function pushConsentWords(
  lang: Lang,
  purpose: PushPurpose,
  c: Pick<Campaign, 'title' | 'artist_name'>,
): { text: string; textVersion: string } {
  const text =
    purpose === 'remind'
      ? t(lang, 'push.remind', { title: isolate(lang, c.title) })
      : t(lang, 'push.news', { artist: isolate(lang, c.artist_name) });
  return { text, textVersion: `push.${purpose}@${createHash('sha256').update(text).digest('base64url').slice(0, 10)}` };
}

export interface PushOptIn {
  campaign: Campaign;
  subscription: PushSubscriptionJson;
  host: string;
  purposes: PushPurpose[];
  lang: Lang;
  /** The fan's IANA zone; null: the campaign's. */
  timezone: string | null;
  /** Given on a receipt page: the pre-save (its release-day push is the receipt). */
  presaveId: number | null;
  /** The service the reminder links to (the reach form's choice); null: the smart link. */
  service?: string | null;
}

export async function optInPush(
  ctx: AppContext,
  o: PushOptIn,
  now: number,
): Promise<{ pushId: number; manage: string; added: boolean; outNow: number | null }> {
  return ctx.db.transaction().execute(async (trx) => {
    const stored = await storeSubscription(
      ctx,
      trx,
      {
        audience: await audienceOfCampaign(trx, o.campaign.id),
        subscription: o.subscription,
        host: o.host,
        lang: o.lang,
        campaignId: o.campaign.id,
      },
      now,
    );
    const given: ConsentGiven[] = o.purposes.map((purpose) => ({
      purpose,
      ...pushConsentWords(o.lang, purpose, o.campaign),
      lang: o.lang,
      page: o.presaveId === null ? 'campaign' : 'receipt',
      campaignId: o.campaign.id,
      presaveId: o.presaveId,
      timezone: o.timezone,
      service: purpose === 'remind' ? (o.service ?? null) : null,
    }));
    await recordConsents(trx, { pushId: stored.id }, given, now);
    let outNow: number | null = null;
    if (o.purposes.includes('remind')) {
      const planned = await planReleaseMessages(
        { ...ctx, db: trx },
        {
          campaign: o.campaign,
          channel: 'push',
          to: { pushId: stored.id },
          channelKey: `push:${stored.host}`,
          presaveId: o.presaveId,
          timezone: o.timezone,
          lang: o.lang,
        },
        now,
      );
      outNow = planned.outNow;
    }
    return { pushId: stored.id, manage: reachLinks.push(ctx, stored.manageId), added: stored.added, outNow };
  });
}
