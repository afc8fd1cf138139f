import type { AppContext } from '../../../context.js';
import { explainFailure } from '../../../analytics/delivery-words.js';
import type { MessageType } from '../../../db/schema-reach.js';
import { isolate } from '../../../i18n/bidi.js';
import { formatInstant } from '../../../i18n/dates.js';
import type { Lang } from '../../../i18n/languages.js';
import { t, type MessageKey } from '../../../i18n/translate.js';
import { serviceName } from '../../../providers/services.js';
import type { PushPayload } from '../channel.js';
import { reachLinks } from '../../links.js';
import { renderMail, type MailPieces } from './layout.js';
import { senderOf } from './sender.js';

/**
 * What one message says, in its language (i18n area `messages`), for mail (subject, text, HTML)
 * and web push (a notification), from what the kind loaded at send time (load.ts):
 * - `confirm`: the double opt-in link;
 * - `out_now`: a plain reminder with the link to the release on the fan's chosen service (or the
 *   smart link), or a pre-saver's receipt — `verified` ("it's in your Spotify library — verified")
 *   or `failed` (why in plain words, and a link to listen anyway);
 * - `reauth`: the fan's grant ends before release day: pre-save again, with the date;
 * - `forever_notice`: "we'll save <title> on <date> — cancel here".
 */
export type Receipt = { variant: 'verified'; service: string } | { variant: 'failed'; service: string; reason: string };

export interface ComposeInput {
  type: MessageType;
  lang: Lang;
  campaign: { title: string; artist_name: string; slug: string; artwork_url: string | null };
  /** The contact's (mail) or subscription's (push) manage id: preference page and unsubscribe. */
  manageId: string | null;
  /**
   * `issuedAt`: when `choices` were read (the link confirms consents given up to then);
   * `choices`: the exact words of each consent it confirms; `addressConfirmed`: the address is
   * confirmed already, the mail asks only about the new choices.
   */
  confirm?: { contactId: number; expiresAt: number; zone: string; issuedAt?: number; choices?: string[]; addressConfirmed?: boolean };
  outNow?: { service: string | null; receipt: Receipt | null };
  reauth?: { service: string; endsAt: number; zone: string };
  forever?: { service: string; at: number; zone: string; manageId: string };
}

export interface Composed {
  subject: string;
  text: string;
  html: string;
  /** The one-click unsubscribe address (List-Unsubscribe); null on the confirmation. */
  unsubscribe: string | null;
  push: PushPayload;
  /** What the message said of a pre-save: verified | failed | none (the delivery report). */
  variant: string | null;
}

/** The release on the fan's chosen service (the campaign's listen link for it), or the smart link. */
export function releaseLink(ctx: AppContext, slug: string, service: string | null): string {
  const base = `${ctx.config.publicUrl}/${slug}`;
  return service ? `${base}/listen/${encodeURIComponent(service)}` : base;
}

/** The artwork as an absolute http(s) address (mail is read elsewhere), or none. */
function artworkUrl(ctx: AppContext, url: string | null): string | null {
  if (!url) return null;
  if (url.startsWith('/') && !url.startsWith('//')) return `${ctx.config.publicUrl}${url}`;
  return /^https?:\/\//i.test(url) ? url : null;
}

const WHY: Record<string, MessageKey> = { authorization: 'messages.why_authorization', not_found: 'messages.why_not_found' };

export function composeMessage(ctx: AppContext, m: ComposeInput): Composed {
  const { lang } = m;
  const say = (key: MessageKey, values?: Record<string, string>) => t(lang, key, values);
  const title = isolate(lang, m.campaign.title);
  const artist = isolate(lang, m.campaign.artist_name);
  const smart = releaseLink(ctx, m.campaign.slug, null);
  const art = artworkUrl(ctx, m.campaign.artwork_url);
  const footer: MailPieces['footer'] = {
    artist,
    preferences: m.manageId ? reachLinks.preferences(ctx, m.manageId) : null,
    unsubscribe: m.manageId ? reachLinks.unsubscribe(ctx, m.manageId) : null,
    postalAddress: ctx.config.reach.postalAddress,
    sender: senderOf(ctx).name,
  };
  const base = { lang, artwork: art ? { url: art, alt: say('messages.artwork_alt', { title }) } : null, footer };
  let pieces: MailPieces;
  let push: PushPayload = {
    title: say('messages.push_out_now_title', { title }),
    body: say('messages.push_out_now_body', { artist }),
    url: smart,
  };
  let variant: string | null = null;

  switch (m.type) {
    case 'confirm': {
      const c = m.confirm!;
      const link = reachLinks.confirm(ctx, c.contactId, c.expiresAt, c.issuedAt);
      // What the link confirms, in the words the fan (or whoever typed the address) was shown.
      const choices = (c.choices ?? []).map((words) => `• ${words}`);
      pieces = {
        ...base,
        ...(c.addressConfirmed
          ? {
              subject: say('messages.confirm_choices_subject', { artist }),
              heading: say('messages.confirm_choices_heading'),
              paragraphs: [say('messages.confirm_choices_body', { artist }), ...choices],
              action: { label: say('messages.confirm_choices_button'), url: link },
            }
          : {
              subject: say('messages.confirm_subject', { artist }),
              heading: say('messages.confirm_heading'),
              paragraphs: [say('messages.confirm_body', { artist, title }), ...choices],
              action: { label: say('messages.confirm_button'), url: link },
            }),
        after: [say('messages.confirm_expires', { date: formatInstant(c.expiresAt, c.zone, lang) })],
        footer: { ...footer, preferences: null, unsubscribe: null },
        confirmFooter: c.addressConfirmed ? say('messages.confirm_choices_ignore') : say('messages.confirm_ignore'),
      };
      break;
    }
    case 'out_now': {
      const o = m.outNow ?? { service: null, receipt: null };
      const r = o.receipt;
      if (r) {
        const service = isolate(lang, serviceName(r.service));
        const listen = releaseLink(ctx, m.campaign.slug, r.service);
        variant = r.variant;
        if (r.variant === 'verified') {
          pieces = {
            ...base,
            subject: say('messages.verified_subject', { title, service }),
            heading: say('messages.verified_subject', { title, service }),
            paragraphs: [say('messages.verified_body', { title, artist, service })],
            action: { label: say('messages.listen_on', { service }), url: listen },
          };
          push = {
            title: say('messages.push_out_now_title', { title }),
            body: say('messages.push_verified_body', { service }),
            url: listen,
          };
        } else {
          const why = say(WHY[explainFailure(r.reason).kind] ?? 'messages.why_other', { service });
          pieces = {
            ...base,
            subject: say('messages.out_now_subject', { title, artist }),
            heading: say('messages.out_now_subject', { title, artist }),
            paragraphs: [say('messages.failed_body', { title, artist, service, why })],
            action: { label: say('messages.failed_listen'), url: listen },
          };
          push = { title: say('messages.push_out_now_title', { title }), body: say('messages.push_failed_body', { service }), url: listen };
        }
      } else {
        variant = 'none';
        const link = releaseLink(ctx, m.campaign.slug, o.service);
        pieces = {
          ...base,
          subject: say('messages.out_now_subject', { title, artist }),
          heading: say('messages.out_now_subject', { title, artist }),
          paragraphs: [say('messages.out_now_body', { title, artist })],
          action: {
            label: o.service ? say('messages.listen_on', { service: isolate(lang, serviceName(o.service)) }) : say('messages.listen'),
            url: link,
          },
        };
        push = { title: say('messages.push_out_now_title', { title }), body: say('messages.push_out_now_body', { artist }), url: link };
      }
      break;
    }
    case 'reauth': {
      const r = m.reauth!;
      const service = isolate(lang, serviceName(r.service));
      const date = formatInstant(r.endsAt, r.zone, lang);
      pieces = {
        ...base,
        subject: say('messages.reauth_subject', { title, service }),
        heading: say('messages.reauth_subject', { title, service }),
        paragraphs: [say('messages.reauth_body', { title, artist, service, date })],
        action: { label: say('messages.reauth_button'), url: smart },
      };
      push = { title: say('messages.reauth_button'), body: say('messages.reauth_subject', { title, service }), url: smart };
      break;
    }
    case 'forever_notice': {
      const f = m.forever!;
      const service = isolate(lang, serviceName(f.service));
      const date = formatInstant(f.at, f.zone, lang);
      const stop = reachLinks.forever(ctx, f.manageId);
      pieces = {
        ...base,
        subject: say('messages.forever_subject', { title, date }),
        heading: say('messages.forever_subject', { title, date }),
        paragraphs: [say('messages.forever_body', { title, artist, service, date })],
        action: { label: say('messages.forever_cancel'), url: stop },
      };
      push = { title: say('messages.forever_subject', { title, date }), body: say('messages.forever_cancel'), url: stop };
      break;
    }
  }
  const mail = renderMail(pieces);
  return {
    ...mail,
    unsubscribe: m.type === 'confirm' || !m.manageId ? null : reachLinks.unsubscribe(ctx, m.manageId),
    push: { ...push, ...(art ? { icon: art } : {}), tag: `${m.type}:${m.campaign.slug}` },
    variant,
  };
}
