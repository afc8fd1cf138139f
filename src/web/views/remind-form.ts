import type { Campaign } from '../../campaigns/repo.js';
import { serviceName } from '../../providers/services.js';
import { isolate, t, type Lang } from '../../i18n/index.js';
import { consentWords } from '../../reach/contacts/words.js';
import { html, raw, type SafeHtml } from '../html.js';

/**
 * The reminder form (docs/reach.md, "Contacts and consent"): an email field, two separate,
 * unticked checkboxes with the exact consent words (reach/contacts/words.ts, the same function the
 * capture records them with), the service the reminder should link to, and the fan's zone and
 * language. On the campaign page, on the receipt page, and on its own page after a problem (with
 * what the fan typed kept). `.reach-push` holds web push's "Notify me in this browser" (views/push-opt-in.ts).
 */
export interface RemindFormValues {
  email: string;
  remind: boolean;
  news: boolean;
  service: string | null;
  tz: string;
}

export interface RemindFormOptions {
  campaign: Pick<Campaign, 'slug' | 'title' | 'artist_name'>;
  lang: Lang;
  /** Where it posts: `/<slug>/remind` or `/p/<publicId>/remind`. */
  action: string;
  page: 'campaign' | 'receipt';
  /** The services a reminder can link to (empty: the smart link only, no choice shown). */
  services: readonly string[];
  values?: Partial<RemindFormValues>;
  /** Problems to show above the form (already in the fan's language). */
  problems?: string[];
  /** The CSRF field (app pages); the cached campaign page has none (the route checks Sec-Fetch-Site / Origin). */
  csrf?: SafeHtml;
  /** Web push's opt-in (views/push-opt-in.ts), beside the address form. */
  push?: SafeHtml | '';
}

export function remindSection(o: RemindFormOptions): SafeHtml {
  const { lang, campaign: c } = o;
  const v = o.values ?? {};
  const checked = (on: boolean | undefined) => (on ? raw(' checked') : '');
  const intro = o.page === 'receipt' ? 'contact.receipt_intro' : 'contact.intro';
  const service = v.service ?? '';
  const serviceField = o.services.length
    ? html`<label for="reach-service">${t(lang, 'contact.service_label')}</label>
        <select id="reach-service" name="service">
          <option value="">${t(lang, 'contact.service_any')}</option>
          ${o.services.map((s) => html`<option value="${s}"${s === service ? raw(' selected') : ''}>${serviceName(s)}</option>`)}
        </select>`
    : html`<input type="hidden" name="service" value="" />`;
  return html`<section id="remind" class="reach" aria-labelledby="remind-heading">
    <h2 id="remind-heading">${t(lang, 'contact.heading')}</h2>
    <p>${t(lang, intro, { title: isolate(lang, c.title) })}</p>
    ${
      o.problems?.length
        ? html`<div role="alert" id="remind-problems">
            <p><strong>${t(lang, 'contact.problem_title')}</strong></p>
            ${o.problems.map((p) => html`<p>${p}</p>`)}
          </div>`
        : ''
    }
    <form id="reach-form" method="post" action="${o.action}">
      ${o.csrf ?? ''}
      <label for="reach-email">${t(lang, 'contact.email_label')}</label>
      <input id="reach-email" type="email" name="email" autocomplete="email" maxlength="254" value="${v.email ?? ''}" />
      <div class="check">
        <input type="checkbox" id="reach-remind" name="remind" value="1"${checked(v.remind)} />
        <label for="reach-remind">${consentWords(c, 'remind', lang).text}</label>
      </div>
      <div class="check">
        <input type="checkbox" id="reach-news" name="news" value="1"${checked(v.news)} />
        <label for="reach-news">${consentWords(c, 'news', lang).text}</label>
      </div>
      ${serviceField}
      <input type="hidden" name="tz" value="${v.tz ?? ''}" data-tz />
      <input type="hidden" name="lang" value="${lang}" />
      <button class="btn" type="submit">${t(lang, 'contact.submit')}</button>
      <p class="muted">${t(lang, 'contact.confirm_note')}</p>
    </form>
    <div class="reach-push">${o.push ?? ''}</div>
  </section>`;
}

/** "Remind me on <service>" for each service without a pre-save API: the form, with that service chosen. */
export function remindOnButtons(o: { slug: string; lang: Lang; services: readonly string[] }): SafeHtml {
  return html`${o.services.map(
    (s) =>
      html`<a class="btn svc-${s}" href="/${o.slug}?remind=${s}${o.lang ? `&lang=${o.lang}` : ''}#remind" data-remind-on="${s}">${t(o.lang, 'contact.remind_on', { service: isolate(o.lang, serviceName(s)) })}</a>`,
  )}`;
}
