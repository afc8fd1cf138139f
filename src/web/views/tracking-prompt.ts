import type { ConversionPlatform } from '../../db/schema-conversions.js';
import { isolate, t, type Lang } from '../../i18n/index.js';
import { html, raw, type SafeHtml } from '../html.js';

/**
 * The tracking prompt on a campaign page whose artist set ad pixels (docs/conversions.md). Until
 * the fan answers, no tracker loads and nothing is sent: the prompt is hidden in the page's bytes
 * and TRACKING_SCRIPT shows it only when this browser has not answered yet (the answer is kept in
 * the first-party cookie `dropday_tracking_<campaign id>`, and recorded server-side by
 * `POST /<slug>/tracking`: web/routes/conversions.ts).
 *
 * After "Allow" (now, or on a later visit), the script makes an event id, loads the pixels (Meta's
 * fbevents.js, TikTok's events.js) and tracks the page view with that id, and posts the same id,
 * so the server-side event and the browser's are de-duplicated by the platforms.
 *
 * A fan who answered keeps a small "Change your choice" button on the page (taking consent back
 * must be as easy as giving it): it asks again; "No thanks" after "Allow" reloads the page, so the
 * trackers loaded on it stop with it.
 *
 * One constant script (its CSP hash is the same for every page and language); the page gives it
 * the pixel ids, where to post and the words in data attributes.
 */
export const TRACKING_SCRIPT = `(function () {
  var box = document.querySelector('[data-tracking]');
  if (!box) return;
  var pixels = JSON.parse(box.getAttribute('data-pixels'));
  var name = 'dropday_tracking_' + box.getAttribute('data-campaign');
  var status = box.querySelector('[data-tracking-status]');
  var ask = box.querySelector('[data-tracking-ask]');
  var again = box.querySelector('[data-tracking-again]');
  var loaded = false;
  function answered(yes) { ask.hidden = yes; again.hidden = !yes; box.classList.toggle('answered', yes); }
  function answer() { var m = document.cookie.match(new RegExp('(?:^|; )' + name + '=(allow|deny)')); return m ? m[1] : null; }
  function newId() {
    var id = window.crypto && crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
    return id.replace(/[^A-Za-z0-9_-]/g, '');
  }
  function script(src) { var s = document.createElement('script'); s.async = true; s.src = src; document.head.appendChild(s); }
  function loadPixels(eventId) {
    loaded = true;
    if (pixels.meta) {
      var f = window.fbq = function () { f.callMethod ? f.callMethod.apply(f, arguments) : f.queue.push(arguments); };
      if (!window._fbq) window._fbq = f;
      f.push = f; f.loaded = true; f.version = '2.0'; f.queue = [];
      script('https://connect.facebook.net/en_US/fbevents.js');
      f('init', pixels.meta);
      f('track', 'PageView', {}, { eventID: eventId });
    }
    if (pixels.tiktok) {
      var q = window.ttq = window.ttq || [];
      ['page', 'track', 'identify', 'instances', 'debug', 'on', 'off', 'once', 'ready', 'alias', 'group', 'enableCookie', 'disableCookie'].forEach(function (m) {
        q[m] = function () { q.push([m].concat(Array.prototype.slice.call(arguments, 0))); };
      });
      script('https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=' + encodeURIComponent(pixels.tiktok) + '&lib=ttq');
      q.track('ViewContent', {}, { event_id: eventId });
    }
  }
  function post(body) {
    body.lang = box.getAttribute('data-lang');
    return fetch(box.getAttribute('data-action'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body)
    }).then(function (res) { if (!res.ok) throw new Error(String(res.status)); });
  }
  var given = answer();
  box.hidden = false;
  answered(given !== null);
  if (given === 'allow') {
    var id = newId();
    loadPixels(id);
    post({ event_id: id }).catch(function () {});
  }
  again.querySelector('button').addEventListener('click', function () {
    status.textContent = '';
    answered(false);
    ask.querySelector('[data-choice]').focus();
  });
  box.querySelectorAll('[data-choice]').forEach(function (b) {
    b.addEventListener('click', function () {
      var choice = b.getAttribute('data-choice');
      var id = newId();
      box.querySelectorAll('button').forEach(function (x) { x.disabled = true; });
      post({ choice: choice, event_id: id }).then(function () {
        box.querySelectorAll('button').forEach(function (x) { x.disabled = false; });
        if (choice === 'deny' && loaded) return location.reload();
        answered(true);
        again.querySelector('button').focus();
        status.textContent = box.getAttribute('data-say-saved');
        if (choice === 'allow' && !loaded) loadPixels(id);
      }, function () {
        status.textContent = box.getAttribute('data-say-failed');
        box.querySelectorAll('button').forEach(function (x) { x.disabled = false; });
      });
    });
  });
})();`;

export const TRACKING_STYLE = `.tracking{margin-block:1rem;padding:.75rem;border:1px solid currentColor;border-radius:.5rem;text-align:start}
.tracking .row{display:flex;gap:.5rem;flex-wrap:wrap;margin-block-start:.5rem}
.tracking.answered{border-color:transparent;padding-block:0;font-size:.9rem}
.tracking .again{margin:0}.tracking .again button{background:none;border:0;padding:.5rem 0;min-height:44px;color:inherit;font:inherit;text-decoration:underline;cursor:pointer}`;

/** The hosts the pixels load from and report to: allowed by the CSP of such pages only. */
export const PIXEL_SCRIPT_HOSTS = ['https://connect.facebook.net', 'https://analytics.tiktok.com'];
export const PIXEL_CONNECT_HOSTS = ['https://www.facebook.com', 'https://connect.facebook.net', 'https://analytics.tiktok.com'];

export function trackingPrompt(o: {
  slug: string;
  campaignId: number;
  artist: string;
  lang: Lang;
  pixels: Partial<Record<ConversionPlatform, string>>;
  nonce: string | null;
}): SafeHtml {
  const nonce = o.nonce === null ? '' : html` nonce="${o.nonce}"`;
  // Only the browser pixels (GA4 is server-side only here).
  const browser = { ...(o.pixels.meta ? { meta: o.pixels.meta } : {}), ...(o.pixels.tiktok ? { tiktok: o.pixels.tiktok } : {}) };
  return html`<section
    class="tracking"
    data-tracking
    hidden
    data-campaign="${String(o.campaignId)}"
    data-pixels="${JSON.stringify(browser)}"
    data-action="/${o.slug}/tracking"
    data-lang="${o.lang}"
    data-say-failed="${t(o.lang, 'conversions.failed')}"
    data-say-saved="${t(o.lang, 'conversions.saved')}"
  >
    <style${nonce}>${raw(TRACKING_STYLE)}</style>
    <div data-tracking-ask>
      <p>${t(o.lang, 'conversions.prompt', { artist: isolate(o.lang, o.artist) })}</p>
      <div class="row">
        <button class="btn" type="button" data-choice="allow">${t(o.lang, 'conversions.allow')}</button>
        <button class="btn" type="button" data-choice="deny">${t(o.lang, 'conversions.deny')}</button>
      </div>
    </div>
    <p class="again" data-tracking-again hidden><button type="button">${t(o.lang, 'conversions.change')}</button></p>
    <p class="muted" data-tracking-status role="status" aria-live="polite"></p>
    <script${nonce}>${raw(TRACKING_SCRIPT)}</script>
  </section>`;
}
