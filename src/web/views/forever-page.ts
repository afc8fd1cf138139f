import { formatInstant, isolate, translator, type Lang } from '../../i18n/index.js';
import { serviceName } from '../../providers/services.js';
import type { ForeverSaveRow } from '../../reach/forever/store.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from './layout.js';

/**
 * `/f/<manage id>`: what forever save does, since when, for which artist and service; the button
 * that stops it; and the pre-saves it (or the fan) made, each with its receipt, where it can be
 * cancelled — stopping forever save leaves those as they are.
 */
export function foreverPage(o: {
  nonce: string;
  lang: Lang;
  row: ForeverSaveRow;
  artist: string;
  csrf: SafeHtml;
  keepLang: string;
  receipts: { publicId: string; title: string }[];
}): SafeHtml {
  const say = translator(o.lang);
  const artist = isolate(o.lang, o.artist);
  const service = isolate(o.lang, serviceName(o.row.service));
  const on = o.row.stopped_at === null;
  return layout({
    title: say('forever.page_title', { artist }),
    nonce: o.nonce,
    lang: o.lang,
    body: html`<article class="card" data-forever="${on ? 'on' : 'stopped'}">
      <h1>${say('forever.page_title', { artist })}</h1>
      ${
        on
          ? html`<p>${say('forever.on', { date: formatInstant(o.row.created_at, o.row.timezone, o.lang), artist, service })}</p>
            <p class="muted">${say('forever.explain', { artist, service })}</p>
            <form method="post" action="/f/${o.row.manage_id}/stop${o.keepLang}">${o.csrf}<button class="btn" type="submit">${say('forever.stop')}</button></form>`
          : html`<p role="status">${say('forever.stopped')}</p>`
      }
      ${o.receipts.length ? html`<ul>${o.receipts.map((r) => html`<li><a href="/p/${r.publicId}"><bdi>${r.title}</bdi></a></li>`)}</ul>` : ''}
    </article>`,
  });
}
