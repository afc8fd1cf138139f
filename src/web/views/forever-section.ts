import type { Campaign } from '../../campaigns/repo.js';
import { formatInstant, isolate, translator, type Lang } from '../../i18n/index.js';
import type { PresaveRow } from '../../presaves/repo.js';
import { serviceName } from '../../providers/services.js';
import { foreverConsentText, type ForeverState } from '../../reach/forever/state.js';
import { html, type SafeHtml } from '../html.js';

/**
 * The receipt page's forever save (reach/forever): the separate, unticked consent to save the
 * artist's future releases, or — when on — since when, and the button that stops it.
 */
export function foreverSection(o: {
  state: ForeverState | null;
  campaign: Campaign;
  presave: PresaveRow;
  lang: Lang;
  csrf: SafeHtml;
  keepLang: string;
}): SafeHtml | '' {
  const { state, lang } = o;
  if (!state) return '';
  const say = translator(lang);
  const artist = isolate(lang, o.campaign.artist_name);
  const service = isolate(lang, serviceName(o.presave.service));
  if (state.kind === 'on') {
    return html`<section class="forever" id="forever" data-forever="on" aria-labelledby="forever-heading">
      <h2 id="forever-heading">${say('forever.heading')}</h2>
      <p>${say('forever.on', { date: formatInstant(state.row.created_at, o.presave.timezone, lang), artist, service })}</p>
      <form method="post" action="/f/${state.row.manage_id}/stop${o.keepLang}">${o.csrf}<button class="btn" type="submit">${say('forever.stop')}</button></form>
    </section>`;
  }
  if (state.kind === 'stopped') {
    return html`<section class="forever" id="forever" data-forever="stopped" aria-labelledby="forever-heading">
      <h2 id="forever-heading">${say('forever.heading')}</h2>
      <p>${say('forever.stopped')}</p>
    </section>`;
  }
  return html`<section class="forever" id="forever" data-forever="offer" aria-labelledby="forever-heading">
    <h2 id="forever-heading">${say('forever.heading')}</h2>
    <form method="post" action="/p/${o.presave.public_id}/forever${o.keepLang}">
      ${o.csrf}
      <p><label><input type="checkbox" name="forever" value="yes" /> ${foreverConsentText(lang, o.campaign.artist_name, o.presave.service)}</label></p>
      <p class="muted">${say('forever.explain', { artist, service })}</p>
      <button class="btn" type="submit">${say('forever.submit')}</button>
    </form>
  </section>`;
}
