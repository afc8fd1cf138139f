import type { Campaign } from '../../campaigns/repo.js';
import { formatInstant, isolate, translator, type Lang } from '../../i18n/index.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from './layout.js';

/**
 * `/n/<manage id>`: one browser's notifications — what it is notified of (the standing consents),
 * since when, and a button that stops them all (the subscription is deleted). The address is the
 * fan's capability: it is shown once the browser is subscribed and is in every push's page link.
 */
export function pushPage(o: {
  campaign: Pick<Campaign, 'slug' | 'title' | 'artist_name' | 'release_timezone'>;
  manageId: string;
  purposes: ('remind' | 'news' | 'forever')[];
  since: number;
  timezone: string | null;
  lang: Lang;
  nonce: string;
  csrf: SafeHtml;
}): SafeHtml {
  const say = translator(o.lang);
  const title = isolate(o.lang, o.campaign.title);
  const artist = isolate(o.lang, o.campaign.artist_name);
  const items = [
    ...(o.purposes.includes('remind') ? [html`<li data-purpose="remind">${say('push.page_remind', { title, artist })}</li>`] : []),
    ...(o.purposes.includes('news') ? [html`<li data-purpose="news">${say('push.page_news', { artist })}</li>`] : []),
  ];
  return layout({
    title: say('push.page_title'),
    nonce: o.nonce,
    lang: o.lang,
    body: html`<article class="card" data-push-page>
      <h1>${say('push.page_title')}</h1>
      <h2><bdi>${o.campaign.title}</bdi> · <bdi>${o.campaign.artist_name}</bdi></h2>
      <p>${say('push.page_intro', { date: formatInstant(o.since, o.timezone ?? o.campaign.release_timezone, o.lang) })}</p>
      ${items.length ? html`<ul>${items}</ul>` : html`<p>${say('push.page_nothing')}</p>`}
      <form method="post" action="/n/${o.manageId}/stop">${o.csrf}<button class="btn" type="submit">${say('push.stop')}</button></form>
      <p class="muted">${say('push.stop_note')}</p>
      <p><a href="/${o.campaign.slug}">${say('common.back_to_campaign')}</a></p>
    </article>`,
  });
}

export function pushStoppedPage(o: { slug: string | null; lang: Lang; nonce: string }): SafeHtml {
  const say = translator(o.lang);
  return layout({
    title: say('push.stopped_title'),
    nonce: o.nonce,
    lang: o.lang,
    body: html`<article class="card" data-status="stopped">
      <h1>${say('push.stopped_title')}</h1>
      <p>${say('push.stopped_text')}</p>
      ${o.slug ? html`<p><a href="/${o.slug}">${say('common.back_to_campaign')}</a></p>` : ''}
    </article>`,
  });
}
