import type { Campaign } from '../../campaigns/repo.js';
import { isolate, matchLang, t, type Lang, type MessageKey } from '../../i18n/index.js';
import { serviceName } from '../../providers/services.js';
import { html, raw, type SafeHtml } from '../html.js';
import { INAPP_APP_NAMES, type InAppKind, type InAppVerdict } from '../inapp/detect.js';
import type { EscapeLinks } from '../inapp/escape.js';
import type { RescueOptions } from '../inapp/page-variant.js';
import { layout } from './layout.js';

/**
 * The in-app browser rescue's fan-facing parts: the notice on the campaign page inside an app, the
 * "Open in your browser" step (/{slug}/escape/{service}), and the same help on the MusicKit page
 * when authorize() hangs. Words come from the `inapp` catalog; the script's words reach it through
 * data attributes.
 */

/** Where each app keeps "open in browser" on iOS (Android gets the intent:// hop, LINE its own switch). */
const IOS_MENU: Record<InAppKind, MessageKey> = {
  instagram: 'inapp.ios_dots_external',
  facebook: 'inapp.ios_dots_external',
  messenger: 'inapp.ios_dots_external',
  threads: 'inapp.ios_dots_browser',
  tiktok: 'inapp.ios_dots_browser',
  snapchat: 'inapp.ios_dots_browser',
  line: 'inapp.ios_dots_browser',
  twitter: 'inapp.ios_share_safari',
};

/**
 * The campaign page's lines for the rescue: inside an app (part of its cached in-app variant), and
 * after the hop with a service chosen. Nothing at all otherwise, so ordinary pages keep their bytes.
 */
export function rescueNotices(o: { lang: string } & Partial<Pick<RescueOptions, 'inapp' | 'chosen'>>): SafeHtml | '' {
  if (!o.inapp && !o.chosen) return '';
  const lang = matchLang(o.lang) ?? 'en';
  return html`${o.inapp ? html`<p class="muted" data-inapp="${o.inapp.kind}">${t(lang, 'inapp.notice', { app: isolate(lang, INAPP_APP_NAMES[o.inapp.kind]) })}</p>` : ''}${
    o.chosen
      ? html`<p role="status" data-chosen="${o.chosen}">${t(lang, 'inapp.chosen', { service: isolate(lang, serviceName(o.chosen)) })}</p>`
      : ''
  }`;
}

/**
 * How to leave the app: a one-tap hop where the app allows one (Android's intent://, LINE's
 * openExternalBrowser), the app's own menu on iOS, and everywhere the link to copy — with the
 * button, and in a field the fan can select by hand when the app refuses the clipboard. The field
 * is left to right on every page: an address in a right-to-left field shows its tail, not `https://…`.
 */
export function leaveAppHelp(lang: Lang, v: InAppVerdict | null, links: EscapeLinks): SafeHtml {
  const hop = v?.kind === 'line' ? links.line : v?.os === 'android' ? links.intent : null;
  // No one-tap hop and no known menu (an unknown OS, or no app named): the generic words.
  const menu = v?.os === 'ios' && v.kind !== 'line' ? IOS_MENU[v.kind] : hop ? null : 'inapp.ios_generic';
  return html`<div class="escape-help">
    ${hop ? html`<p><a class="btn" id="escape-open" href="${hop}">${t(lang, 'inapp.open_browser')}</a></p>` : ''}
    ${menu ? html`<p id="escape-menu">${t(lang, menu)}</p>` : ''}
    <p>${t(lang, 'inapp.copy_intro')}</p>
    <p><label for="escape-url">${t(lang, 'inapp.link_label')}</label><br /><input id="escape-url" type="text" dir="ltr" readonly value="${links.url}" /></p>
    <button class="btn" type="button" data-copy="escape-url" data-copied="${t(lang, 'inapp.copied')}" data-copy-failed="${t(lang, 'inapp.copy_failed')}">
      ${t(lang, 'inapp.copy')}
    </button>
    <p class="muted" id="escape-copy-status" role="status" aria-live="polite"></p>
  </div>`;
}

/** The link field as wide as the buttons (a nonce'd style: both pages are rendered per fan). */
function helpStyle(nonce: string): SafeHtml {
  return html`<style nonce="${nonce}">
    .escape-help input {
      width: 100%;
      padding: 0.6rem;
      border: 1px solid #444;
      border-radius: 0.5rem;
      background: #0f0f14;
      color: inherit;
      font: inherit;
    }
  </style>`;
}

export interface EscapeStepOptions {
  campaign: Campaign;
  service: string;
  lang: Lang;
  verdict: InAppVerdict;
  links: EscapeLinks;
  nonce: string;
}

/** The "Open in your browser" step, rendered per fan (it carries their escape id). */
export function escapeStepPage(o: EscapeStepOptions): SafeHtml {
  const c = o.campaign;
  const name = isolate(o.lang, serviceName(o.service));
  return layout({
    title: `${t(o.lang, 'inapp.title')} — ${c.title}`,
    nonce: o.nonce,
    lang: o.lang,
    body: html`<article class="card" data-escape-step="${o.verdict.kind} ${o.verdict.os}">
      <h1>${t(o.lang, 'inapp.title')}</h1>
      <h2><bdi>${c.title}</bdi> · <bdi>${c.artist_name}</bdi></h2>
      <p>${t(o.lang, 'inapp.why', { app: isolate(o.lang, INAPP_APP_NAMES[o.verdict.kind]), service: name })}</p>
      ${helpStyle(o.nonce)} ${leaveAppHelp(o.lang, o.verdict, o.links)}
      <form method="get" action="/connect/${o.service}">
        <input type="hidden" name="campaign" value="${c.slug}" />
        <input type="hidden" name="lang" value="${o.lang}" />
        <input type="hidden" name="tz" value="" data-tz />
        <button class="btn svc-${o.service}" type="submit">${t(o.lang, 'inapp.continue_here')}</button>
      </form>
      <p class="muted">${t(o.lang, 'inapp.continue_note')}</p>
      <p><a href="/${c.slug}">${t(o.lang, 'common.back_to_campaign')}</a></p>
    </article>`,
    script: raw(ESCAPE_SCRIPT),
  });
}

/**
 * Copy-link (navigator.clipboard; when the app refuses it, the field is selected for a manual copy
 * and the fan is told how) and the fan's time zone for "continue here anyway". A constant string:
 * nothing in it comes from the request.
 */
export const ESCAPE_SCRIPT = `(function () {
  var tz = '';
  try { tz = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) {}
  document.querySelectorAll('[data-tz]').forEach(function (i) { i.value = tz; });
  document.querySelectorAll('[data-copy]').forEach(function (button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    var status = document.getElementById('escape-copy-status');
    function manual() {
      field.focus();
      field.select();
      status.textContent = button.getAttribute('data-copy-failed');
    }
    button.addEventListener('click', function () {
      if (!navigator.clipboard || !window.isSecureContext) { manual(); return; }
      navigator.clipboard.writeText(field.value).then(function () {
        status.textContent = button.getAttribute('data-copied');
      }, manual);
    });
    field.addEventListener('focus', function () { field.select(); });
  });
})();`;

/**
 * The MusicKit page's way out when authorize() has not answered in time (hidden until then; the
 * page's script shows it). Its own script (copy-link) runs under the page's nonce.
 */
export function musicKitStuckHelp(lang: Lang, v: InAppVerdict | null, links: EscapeLinks, nonce: string): SafeHtml {
  return html`<div id="mk-stuck" role="alert" hidden>
    <p>${t(lang, 'inapp.musickit_stuck')}</p>
    ${helpStyle(nonce)} ${leaveAppHelp(lang, v, links)}
    <script nonce="${nonce}">
      ${raw(ESCAPE_SCRIPT)}
    </script>
  </div>`;
}
