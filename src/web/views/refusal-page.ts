import type { Campaign } from '../../campaigns/repo.js';
import { t, type Lang } from '../../i18n/index.js';
import { html, type SafeHtml } from '../html.js';
import { calendarLinks } from './calendar-links.js';
import { layout } from './layout.js';

/**
 * A sign-in the fan can do nothing about (a Development Mode app's allow-list, an app the service
 * has not approved): what happened in plain words, and instead of a dead end the reminder —
 * `/<slug>?remind=<service>#remind`, the campaign page's "Remind me" form with the service
 * chosen — and the calendar links. Nothing was stored.
 */
export function refusalPage(o: {
  nonce: string;
  lang: Lang;
  campaign: Campaign;
  service: string;
  title: string;
  message: string;
  publicUrl: string;
  zone: string | null;
}): SafeHtml {
  const c = o.campaign;
  const before = c.status === 'active';
  const remindHref = `/${c.slug}?remind=${encodeURIComponent(o.service)}&lang=${encodeURIComponent(o.lang)}#remind`;
  return layout({
    title: `${o.title} — Dropday`,
    nonce: o.nonce,
    lang: o.lang,
    body: html`<div class="card" data-refusal="${o.service}">
      <div role="alert">
        <h1>${o.title}</h1>
        <p>${o.message}</p>
      </div>
      ${
        before
          ? html`<p>${t(o.lang, 'refusals.offer_reminder')}</p>
            <p><a class="btn" href="${remindHref}" data-remind>${t(o.lang, 'refusals.remind_button')}</a></p>
            ${calendarLinks({ campaign: c, lang: o.lang, publicUrl: o.publicUrl, zone: o.zone })}`
          : ''
      }
      <p><a href="/${c.slug}">${t(o.lang, 'common.back_to_campaign')}</a></p>
    </div>`,
  });
}
