import { findPreview } from '../../growth/previews/store.js';
import { isOpen } from '../../growth/previews/window.js';
import { signedPath } from '../../growth/signed-links.js';
import { formatInstant, isolate, t, type Lang } from '../../i18n/index.js';
import type { PresaveRow } from '../../presaves/repo.js';
import { csrfToken } from '../csrf.js';
import { html, raw } from '../html.js';
import type { ReceiptInput, Section } from './types.js';

/**
 * The pre-saver's player (docs/early-access.md). Shown to a fan whose pre-save is pending or saved,
 * from the campaign's moment on; before it, the moment in the fan's own zone. The audio's address
 * is signed for this receipt and expires (growth/signed-links.ts): a copied address stops working,
 * and the player reloads the receipt once when its address has expired, to get a fresh one.
 *
 * PREVIEW_SCRIPT (one constant, run with the page's nonce) reports each play stage once per page
 * view — started, reached 30 s (or the clip's end when shorter), completed — with sendBeacon to
 * `/p/<receipt>/preview/event`, carrying the player's signature (only a valid player reports) and
 * the page's CSRF token (an ordinary same-origin form post, checked like every other).
 */
export const PREVIEW_SCRIPT = `(function () {
  var box = document.querySelector('[data-preview-player]');
  if (!box) return;
  var audio = box.querySelector('audio');
  var sent = {};
  function report(stage) {
    if (sent[stage]) return;
    sent[stage] = true;
    var body = new URLSearchParams();
    body.set('_csrf', box.getAttribute('data-csrf'));
    body.set('stage', stage);
    body.set('exp', box.getAttribute('data-exp'));
    body.set('sig', box.getAttribute('data-sig'));
    var url = box.getAttribute('data-event');
    if (navigator.sendBeacon && navigator.sendBeacon(url, body)) return;
    fetch(url, { method: 'POST', body: body, credentials: 'same-origin', keepalive: true }).catch(function () {});
  }
  audio.addEventListener('play', function () { report('start'); });
  audio.addEventListener('timeupdate', function () {
    var d = audio.duration;
    var mark = isFinite(d) && d > 0 && d < 30 ? d - 0.25 : 30;
    if (audio.currentTime >= mark) report('30s');
  });
  audio.addEventListener('ended', function () { report('30s'); report('complete'); });
  audio.addEventListener('error', function () {
    // The signed address has expired (the page stayed open): a fresh receipt carries a fresh one.
    // Once a minute at most, so a clip that cannot play does not reload the page for ever.
    var key = 'dropday-preview-reload', last = 0;
    try { last = Number(sessionStorage.getItem(key)) || 0; } catch (e) {}
    if (Date.now() - last < 60000) return;
    try { sessionStorage.setItem(key, String(Date.now())); } catch (e) {}
    location.reload();
  });
})();`;

/** Pre-savers are fans whose pre-save stands: waiting for release, or saved. */
export function isPresaver(presave: Pick<PresaveRow, 'status'>): boolean {
  return presave.status === 'pending' || presave.status === 'saved';
}

/** Chromium's player is wider than a 320 px phone's card by default: it takes the card's width. */
const PREVIEW_STYLE = '#preview audio{display:block;width:100%}';

/** The moment, in the fan's zone (the campaign's when the fan's is unusable), in the page's language. */
export function momentWords(at: number, fanZone: string, campaignZone: string, lang: Lang): string {
  try {
    return formatInstant(at, fanZone, lang);
  } catch {
    return formatInstant(at, campaignZone, lang);
  }
}

export async function previewReceipt(i: ReceiptInput): Promise<Section> {
  const { ctx, campaign, presave, lang } = i;
  if (!isPresaver(presave)) return '';
  const preview = await findPreview(ctx.db, campaign.id);
  if (!preview) return '';
  const title = isolate(lang, campaign.title);
  const heading = html`<h2 id="preview-h">${t(lang, 'preview.heading')}</h2>`;
  if (!isOpen(preview.availableFrom, i.now)) {
    const date = momentWords(preview.availableFrom, presave.timezone, campaign.release_timezone, lang);
    return html`<section class="preview" id="preview" aria-labelledby="preview-h">
      ${heading}
      <p data-preview-from>${t(lang, 'preview.from', { date: isolate(lang, date) })}</p>
    </section>`;
  }
  const src = signedPath(ctx, 'preview', presave.public_id, String(campaign.id), ctx.config.growth.preview.linkTtlMs);
  const q = new URL(src, 'http://x').searchParams;
  return html`<section class="preview" id="preview" aria-labelledby="preview-h">
    ${heading}
    <p>${t(lang, 'preview.intro', { title })}</p>
    <div
      data-preview-player
      data-event="/p/${presave.public_id}/preview/event"
      data-exp="${q.get('exp') ?? ''}"
      data-sig="${q.get('sig') ?? ''}"
      data-csrf="${csrfToken(i.req)}"
    >
      <audio controls preload="none" src="${src}" aria-label="${t(lang, 'preview.player_label', { title })}">
        ${t(lang, 'preview.no_player')}
      </audio>
    </div>
    <p class="muted" data-preview-private>${t(lang, 'preview.keep_private')}</p>
    <style nonce="${i.nonce}">
      ${raw(PREVIEW_STYLE)}
    </style>
    <script nonce="${i.nonce}">
      ${raw(PREVIEW_SCRIPT)}
    </script>
  </section>`;
}
