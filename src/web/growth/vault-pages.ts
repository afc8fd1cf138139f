import { t, type Lang, type MessageKey } from '../../i18n/index.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from '../views/layout.js';

/**
 * A vault link that cannot be served, in the fan's words: expired (the receipt makes a fresh one),
 * not theirs, still locked, over the download limit, removed — always with the way back to their
 * own receipt. No file, title or address of the item is on the page.
 */
export function vaultRefusalPage(o: {
  nonce: string;
  lang: Lang;
  title: MessageKey;
  message: SafeHtml | string;
  receipt: string;
}): SafeHtml {
  return layout({
    title: `${t(o.lang, o.title)} — Dropday`,
    nonce: o.nonce,
    lang: o.lang,
    body: html`<div class="card" role="alert" data-vault-refusal>
      <h1>${t(o.lang, o.title)}</h1>
      <p>${o.message}</p>
      <p><a class="btn" href="${o.receipt}#vault">${t(o.lang, 'vault.back_to_receipt')}</a></p>
    </div>`,
  });
}
