import { html, type SafeHtml } from '../html.js';
import { layout } from './layout.js';
import { t, type Lang } from '../../i18n/index.js';

/** An error page. `code` (the error code and HTTP status) is only for the app's own users, never for fans. */
export function errorPage(o: {
  nonce: string;
  /** The fan's language (English on the app's own pages). */
  lang: Lang;
  title: string;
  message: string;
  code?: { code: string; status: number };
  back?: string;
}): SafeHtml {
  return layout({
    title: `${o.title} — Dropday`,
    nonce: o.nonce,
    lang: o.lang,
    body: html`<div class="card" role="alert">
      <h1>${o.title}</h1>
      <p>${o.message}</p>
      ${o.back ? html`<p><a class="btn" href="${o.back}">${t(o.lang, 'common.back_to_campaign')}</a></p>` : ''}
      ${o.code ? html`<p class="muted">Error code: <code>${o.code.code}</code> (HTTP ${o.code.status})</p>` : ''}
    </div>`,
  });
}
