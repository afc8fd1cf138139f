import type { Campaign } from '../../campaigns/repo.js';
import type { PresaveRow } from '../../presaves/repo.js';
import { serviceName } from '../../providers/services.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from './layout.js';
import { formatInstant, isolate, translator, type Lang } from '../../i18n/index.js';
import { shareSection } from './share-buttons.js';
import { explainFailure } from '../../analytics/delivery-words.js';

export function thanksPage(o: {
  campaign: Campaign;
  presave: PresaveRow;
  nonce: string;
  now: number;
  lang: Lang;
  /**
   * Set when the fan's authorization ends before the release (Spotify ends them 6 months after
   * consent, whatever refreshes happen): from when a new pre-save would last until release day.
   */
  reauthorizeAfter?: number | null;
  /** The CSRF field for the cancel and erase forms. */
  csrf?: SafeHtml;
  /** PUBLIC_URL: the share buttons link to the campaign page there (never to this page). */
  publicUrl?: string;
  /** The `?lang=` this view was asked in: the cancel and erase forms keep it, so the answer reads in it too. */
  askedLang?: Lang;
  /** Forever save's section (web/views/forever-section.ts), right before the cancel form. */
  forever?: SafeHtml | '';
  /** "Put it in your calendar" (web/views/calendar-links.ts), before release. */
  calendar?: SafeHtml | '';
  /** The reminder form (web/views/remind-form.ts), while the pre-save waits for its release. */
  remind?: SafeHtml;
  /**
   * Growth (web/growth/receipt.ts): the player and the vault near the top, the referral link and contest by the share buttons
   * (a referral section carries the share buttons itself, sharing the fan's personal link).
   */
  growth?: { referral: SafeHtml | ''; contest: SafeHtml | ''; vault: SafeHtml | ''; preview: SafeHtml | '' };
}): SafeHtml {
  const { campaign: c, presave: p, lang } = o;
  const say = translator(lang);
  const service = isolate(lang, serviceName(p.service));
  const title = isolate(lang, c.title);
  const artist = isolate(lang, c.artist_name);
  const follow = p.follow_artist ? 'yes' : 'no';
  const when = (at: number) => formatInstant(at, p.timezone, lang);
  const keepLang = o.askedLang ? `?lang=${o.askedLang}` : '';
  let status: SafeHtml;
  if (p.status === 'saved') {
    const dated = p.saved_at ? { dated: 'yes', date: when(p.saved_at) } : { dated: 'no', date: '' };
    status = html`<p data-status="saved">${say('receipt.saved', { service, ...dated })}</p>`;
  } else if (p.status === 'failed') {
    // The service's own answer is for the artist's dashboard; the fan reads what it means for them.
    const withdrawn = explainFailure(p.failure_reason ?? '').kind === 'authorization';
    status = html`<p data-status="failed">${say(withdrawn ? 'receipt.failed_authorization' : 'receipt.failed_other', { service })}</p>`;
  } else if (p.status === 'cancelled') {
    status = html`<p data-status="cancelled">${say('receipt.cancelled')}</p>`;
  } else if (p.due_at <= o.now) {
    status = html`<p data-status="pending">${say('receipt.saving_now', { title, service, artist, follow })}</p>`;
  } else {
    status = html`<p data-status="pending">${say('receipt.scheduled', { date: when(p.due_at), title, artist, service, follow })}</p>`;
  }
  const reauth =
    p.status === 'pending' && o.reauthorizeAfter
      ? html`<p class="badge" data-reauth>${say('receipt.action_needed')}</p>
          <p>${say('receipt.reauthorize', { service, date: when(o.reauthorizeAfter) })}</p>`
      : '';
  return layout({
    title: say('receipt.title', { title }),
    nonce: o.nonce,
    lang,
    body: html`<article class="card">
      ${c.artwork_url ? html`<img class="art" src="${c.artwork_url}" alt="${say('campaign.artwork_alt', { title })}" />` : ''}
      <h1>${say('receipt.heading')}</h1>
      <h2><bdi>${c.title}</bdi> · <bdi>${c.artist_name}</bdi></h2>
      ${status} ${reauth}
      <p class="muted">${say('receipt.keep_address')}</p>
      ${o.growth?.preview ?? ''} ${o.growth?.vault ?? ''}
      ${o.remind ?? ''} ${o.calendar ?? ''} ${o.forever ?? ''}
      ${o.growth?.referral ?? ''} ${o.growth?.contest ?? ''}
      ${o.publicUrl && !o.growth?.referral ? shareSection({ campaign: c, publicUrl: o.publicUrl, lang, now: o.now, nonce: o.nonce }) : ''}
  ${
    // Cancel and erase end the page, after sharing: the referral link and contest belong with the
    // share buttons, not below the buttons that end the pre-save.
    p.status === 'pending'
      ? html`<form method="post" action="/p/${p.public_id}/cancel${keepLang}">${o.csrf ?? ''}<button class="btn" type="submit">${say('receipt.cancel')}</button></form>`
      : ''
  }
  <form method="post" action="/p/${p.public_id}/erase${keepLang}">${o.csrf ?? ''}<button class="btn" type="submit">${say('receipt.erase')}</button></form>
  <p class="muted">${say('receipt.erase_note', { service })}</p>
      <p><a href="/${c.slug}">${say('common.back_to_campaign')}</a></p>
    </article>`,
  });
}

export function erasedPage(o: {
  nonce: string;
  slug: string;
  lang: Lang;
  /** What became of an address left on the receipt (reach/contacts/erase.ts): erased, or kept for other choices. */
  contact?: 'erased' | 'kept' | null;
}): SafeHtml {
  const say = translator(o.lang);
  return layout({
    title: say('receipt.erased_title'),
    nonce: o.nonce,
    lang: o.lang,
    body: html`<article class="card" data-status="erased">
      <h1>${say('receipt.erased_heading')}</h1>
      <p>${say('receipt.erased_text')}</p>
      ${o.contact === 'erased' ? html`<p data-contact="erased">${say('contact.receipt_contact_erased')}</p>` : ''}
      ${o.contact === 'kept' ? html`<p data-contact="kept">${say('contact.receipt_contact_kept')}</p>` : ''}
      <p><a href="/${o.slug}">${say('common.back_to_campaign')}</a></p>
    </article>`,
  });
}
