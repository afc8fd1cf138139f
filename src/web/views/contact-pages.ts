import type { Lang } from '../../i18n/index.js';
import { formatInstant, isolate, translator } from '../../i18n/index.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from './layout.js';
import { remindSection, type RemindFormOptions } from './remind-form.js';

/**
 * The fan's pages about their address (web/routes/contacts.ts): the reminder form again after a
 * problem, "check your inbox", the confirmation, the preference page, unsubscribe and erasure.
 * All in the fan's language; the address is shown only to the holder of its link.
 */
function page(o: { nonce: string; lang: Lang; title: string; body: SafeHtml; status?: string }): SafeHtml {
  return layout({
    title: `${o.title} — Dropday`,
    nonce: o.nonce,
    lang: o.lang,
    body: html`<article class="card" data-status="${o.status ?? ''}">${o.body}</article>`,
  });
}

/** The form on its own page, with the problems named and what the fan typed kept. */
export function remindProblemPage(o: { nonce: string; form: RemindFormOptions; heading: string }): SafeHtml {
  const say = translator(o.form.lang);
  return page({
    nonce: o.nonce,
    lang: o.form.lang,
    title: say('contact.problem_title'),
    status: 'problem',
    body: html`<h1>${o.heading}</h1>
      <h2><bdi>${o.form.campaign.title}</bdi> · <bdi>${o.form.campaign.artist_name}</bdi></h2>
      ${remindSection(o.form)}
      <p><a href="/${o.form.campaign.slug}">${say('common.back_to_campaign')}</a></p>`,
  });
}

export function confirmSentPage(o: {
  nonce: string;
  lang: Lang;
  email: string;
  hours: number;
  slug: string;
  /** Instead of "a link is on its way": why no new mail was sent (the address's daily limit). */
  notice?: string;
}): SafeHtml {
  const say = translator(o.lang);
  const email = isolate(o.lang, o.email);
  // One page whether or not the address had anything left to confirm (all its choices already
  // confirmed: no mail): a visitor must not learn from it whether someone's address is signed up.
  const text = o.notice ?? say('contact.sent_text', { email, hours: o.hours });
  return page({
    nonce: o.nonce,
    lang: o.lang,
    title: say('contact.sent_title'),
    status: o.notice ? 'limited' : 'sent',
    body: html`<h1>${say('contact.sent_title')}</h1>
      <p>${text}</p>
      <p><a href="/${o.slug}">${say('common.back_to_campaign')}</a></p>`,
  });
}

export interface ConsentView {
  id: number;
  purpose: string;
  text: string;
  page: string;
  given_at: number;
  /** Null: waiting for the owner's click on the mailed link (it stands for nothing until then). */
  confirmed_at: number | null;
  withdrawn_at: number | null;
  campaign_id: number;
  title: string;
}

function purposeName(lang: Lang, purpose: string): string {
  const say = translator(lang);
  return purpose === 'news'
    ? say('contact.purpose_news')
    : purpose === 'forever'
      ? say('contact.purpose_forever')
      : say('contact.purpose_remind');
}

/** What the fan agreed to: the recorded words, when, on which campaign; withdraw forms when given. */
function consentList(o: { lang: Lang; consents: ConsentView[]; manageId?: string; csrf?: SafeHtml; zone: string }): SafeHtml {
  const say = translator(o.lang);
  const when = (at: number) => formatInstant(at, o.zone, o.lang);
  return html`<ul class="consents">
    ${o.consents.map(
      (c) =>
        html`<li
          data-consent-id="${c.id}"
          data-purpose="${c.purpose}"
          data-standing="${c.withdrawn_at === null && c.confirmed_at !== null ? 'yes' : 'no'}"
          data-confirmed="${c.confirmed_at !== null ? 'yes' : 'no'}"
        >
          <strong>${purposeName(o.lang, c.purpose)}</strong>
          <blockquote>${c.text}</blockquote>
          <p class="muted">${say('contact.given', { date: when(c.given_at), page: c.page === 'receipt' ? 'receipt' : 'campaign', title: isolate(o.lang, c.title) })}
          ${c.withdrawn_at !== null ? say('contact.withdrawn_at', { date: when(c.withdrawn_at) }) : ''}</p>
          ${c.withdrawn_at === null && c.confirmed_at === null ? html`<p class="muted" data-pending>${say('contact.pending_consent')}</p>` : ''}
          ${
            c.withdrawn_at === null && o.manageId
              ? html`<form method="post" action="/c/${o.manageId}/withdraw?lang=${o.lang}">
                  ${o.csrf ?? ''}<input type="hidden" name="purpose" value="${c.purpose}" /><input type="hidden" name="campaign" value="${c.campaign_id}" />
                  <button class="btn" type="submit" data-withdraw="${c.purpose}">${say('contact.withdraw')} — ${purposeName(o.lang, c.purpose)}</button>
                </form>`
              : ''
          }
        </li>`,
    )}
  </ul>`;
}

export function confirmedPage(o: {
  nonce: string;
  lang: Lang;
  email: string;
  already: boolean;
  /** The address was confirmed before this click: only new choices were confirmed. */
  addressWasConfirmed: boolean;
  /** The consents this click confirmed. */
  confirmedIds: number[];
  consents: ConsentView[];
  manageId: string;
  zone: string;
}): SafeHtml {
  const say = translator(o.lang);
  const email = isolate(o.lang, o.email);
  // What this click confirmed; a second click (nothing new) shows what stands.
  const confirmedNow = o.consents.filter((c) => o.confirmedIds.includes(c.id));
  const shown = o.already ? o.consents.filter((c) => c.withdrawn_at === null && c.confirmed_at !== null) : confirmedNow;
  const text = o.already
    ? say('contact.already_confirmed_text')
    : o.addressWasConfirmed
      ? say('contact.choices_confirmed_text')
      : say('contact.confirmed_text', { email });
  const waiting = o.consents.filter((c) => c.withdrawn_at === null && c.confirmed_at === null);
  return page({
    nonce: o.nonce,
    lang: o.lang,
    title: say('contact.confirmed_title'),
    status: o.already ? 'already-confirmed' : 'confirmed',
    body: html`<h1>${say('contact.confirmed_title')}</h1>
      <p>${text}</p>
      ${shown.length ? consentList({ lang: o.lang, consents: shown, zone: o.zone }) : html`<p>${say('contact.nothing_stands')}</p>`}
      ${waiting.length ? html`<p class="muted" data-pending>${say('contact.pending_consent')}</p>` : ''}
      <p><a class="btn" href="/c/${o.manageId}?lang=${o.lang}">${say('contact.prefs_link')}</a></p>`,
  });
}

export function linkProblemPage(o: { nonce: string; lang: Lang; error: 'invalid' | 'expired'; slug: string | null }): SafeHtml {
  const say = translator(o.lang);
  return page({
    nonce: o.nonce,
    lang: o.lang,
    title: say('contact.link_invalid_title'),
    status: `link-${o.error}`,
    body: html`<h1>${say('contact.link_invalid_title')}</h1>
      <p>${o.error === 'invalid' ? say('contact.link_invalid_text') : say('contact.link_expired_text')}</p>
      ${o.slug ? html`<p><a class="btn" href="/${o.slug}?lang=${o.lang}#remind">${say('contact.leave_again')}</a></p>` : ''}`,
  });
}

export function preferencesPage(o: {
  nonce: string;
  lang: Lang;
  email: string;
  confirmed: boolean;
  consents: ConsentView[];
  manageId: string;
  csrf: SafeHtml;
  zone: string;
  notice?: 'withdrawn';
  /** A confirmed contact's personal share link for the campaign it was given on (growth/referrals). */
  referralLink?: string | null;
}): SafeHtml {
  const say = translator(o.lang);
  const standing = o.consents.filter((c) => c.withdrawn_at === null && c.confirmed_at !== null);
  return page({
    nonce: o.nonce,
    lang: o.lang,
    title: say('contact.prefs_title'),
    status: 'preferences',
    body: html`<h1>${say('contact.prefs_title')}</h1>
      ${o.notice === 'withdrawn' ? html`<p role="status" data-notice="withdrawn">${say('contact.withdrawn_done')}</p>` : ''}
      <p>${say('contact.prefs_intro', { email: isolate(o.lang, o.email) })}</p>
      ${o.confirmed ? '' : html`<p class="muted">${say('contact.unconfirmed_note')}</p>`}
      ${standing.length ? '' : html`<p data-nothing-stands>${say('contact.nothing_stands')}</p>`}
      ${consentList({ lang: o.lang, consents: o.consents, manageId: o.manageId, csrf: o.csrf, zone: o.zone })}
      ${
        o.referralLink
          ? html`<section data-referral aria-labelledby="referral-heading">
              <h2 id="referral-heading">${say('referral.heading')}</h2>
              <p>${say('referral.intro')}</p>
              <label for="referral-link">${say('referral.link_label')}</label>
              <input id="referral-link" type="text" dir="ltr" readonly value="${o.referralLink}" />
              <p class="muted">${say('referral.how_counted')}</p>
            </section>`
          : ''
      }
      <h2>${say('contact.erase_heading')}</h2>
      <p>${say('contact.erase_text')}</p>
      <form method="post" action="/c/${o.manageId}/erase?lang=${o.lang}">${o.csrf}<button class="btn" type="submit" data-erase>${say('contact.erase')}</button></form>`,
  });
}

export function contactErasedPage(o: { nonce: string; lang: Lang }): SafeHtml {
  const say = translator(o.lang);
  return page({
    nonce: o.nonce,
    lang: o.lang,
    title: say('contact.erased_title'),
    status: 'erased',
    body: html`<h1>${say('contact.erased_title')}</h1>
      <p>${say('contact.erased_text')}</p>`,
  });
}

/** GET: one button; after the POST: done, with the preference page a click away. */
export function unsubscribePage(o: { nonce: string; lang: Lang; email: string; manageId: string; done: boolean }): SafeHtml {
  const say = translator(o.lang);
  const email = isolate(o.lang, o.email);
  return page({
    nonce: o.nonce,
    lang: o.lang,
    title: say('contact.unsubscribe_title'),
    status: o.done ? 'unsubscribed' : 'unsubscribe',
    body: html`<h1>${say('contact.unsubscribe_title')}</h1>
      ${
        o.done
          ? html`<p>${say('contact.unsubscribed_text', { email })}</p>`
          : html`<p>${say('contact.unsubscribe_text', { email })}</p>
              <form method="post" action="/c/${o.manageId}/unsubscribe?lang=${o.lang}"><button class="btn" type="submit" data-unsubscribe>${say('contact.unsubscribe')}</button></form>`
      }
      <p><a href="/c/${o.manageId}?lang=${o.lang}">${say('contact.prefs_link')}</a></p>`,
  });
}
