import { html, type SafeHtml } from '../html.js';
import { layout } from './layout.js';

export function errorPage(o: { nonce: string; status: number; title: string; message: string; code?: string; back?: string }): SafeHtml {
  return layout({
    title: `${o.title} — Dropday`,
    nonce: o.nonce,
    body: html`<div class="card" role="alert">
      <h1>${o.title}</h1>
      <p>${o.message}</p>
      ${o.back ? html`<p><a class="btn" href="${o.back}">Back to the campaign</a></p>` : ''}
      ${o.code ? html`<p class="muted">Error code: <code>${o.code}</code> (HTTP ${o.status})</p>` : ''}
    </div>`,
  });
}
