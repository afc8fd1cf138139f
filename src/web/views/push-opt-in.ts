import { isolate, t, type Lang } from '../../i18n/index.js';
import { html, raw, type SafeHtml } from '../html.js';

/**
 * "Notify me in this browser" (web push) on the campaign page and the receipt page. Hidden until
 * PUSH_SCRIPT finds the browser can do it (service worker, PushManager, Notification, a secure
 * context): where push is not supported the fan never sees a button that cannot work.
 *
 * The script is one constant (its CSP hash is the same for every page and language); the page
 * gives it everything else in data attributes: the VAPID public key, where to post, the page's
 * language, the receipt's pre-save, and the words of each outcome. It registers /sw.js, asks for
 * permission, subscribes with the key, and posts the subscription with the purposes ticked
 * (`remind`, `news`: the checkboxes of the reach form around it — `#remind` — or, alone, its own)
 * to `/<slug>/push`. The outcome is said in words in an aria-live status.
 */
export const PUSH_SCRIPT = `(function () {
  var box = document.querySelector('[data-push]');
  if (!box) return;
  if (!window.isSecureContext || !('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return;
  var button = box.querySelector('[data-push-button]');
  var status = box.querySelector('[data-push-status]');
  var manage = box.querySelector('[data-push-manage]');
  box.hidden = false;
  function say(key) { status.textContent = box.getAttribute('data-say-' + key) || ''; }
  function keyBytes(s) {
    var b = atob((s + '===='.slice(s.length % 4 || 4)).replace(/-/g, '+').replace(/_/g, '/'));
    var out = new Uint8Array(b.length);
    for (var i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
    return out;
  }
  function purposes() {
    var scope = box.closest('#remind') || box;
    var out = [];
    ['remind', 'news'].forEach(function (p) {
      var input = scope.querySelector('input[name="' + p + '"]');
      if (input && input.checked) out.push(p);
    });
    return out;
  }
  button.addEventListener('click', function () {
    var ticked = purposes();
    if (!ticked.length) { say('choose'); return; }
    button.disabled = true;
    manage.hidden = true;
    say('asking');
    Promise.resolve(Notification.requestPermission()).then(function (permission) {
      if (permission !== 'granted') throw { denied: true };
      return navigator.serviceWorker.register('/sw.js', { scope: '/' });
    }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.getAttribute('data-key')) });
    }).then(function (subscription) {
      var tz = '';
      try { tz = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) {}
      var body = { subscription: subscription.toJSON ? subscription.toJSON() : subscription, purposes: ticked, tz: tz, lang: box.getAttribute('data-lang') };
      if (box.getAttribute('data-presave')) body.presave = box.getAttribute('data-presave');
      return fetch(box.getAttribute('data-action'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body)
      });
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (j) {
        if (!res.ok) throw { server: j && j.error && j.error.message };
        return j;
      });
    }).then(function (j) {
      say('done');
      if (j.manage) { manage.href = j.manage; manage.hidden = false; }
    }, function (err) {
      if (err && err.denied) say('denied');
      else if (err && typeof err.server === 'string' && err.server) status.textContent = err.server;
      else say('failed');
    }).then(function () { button.disabled = false; });
  });
})();`;

/** The block's own look (fieldset and labels), allowed by hash on the cached page like the script. */
export const PUSH_STYLE = `.reach-push{margin-block-start:1.5rem;text-align:start}.push-purposes{border:0;padding:0;margin:0 0 .5rem}
.push-purposes legend{font-weight:600;margin-block-end:.25rem}.push-purposes label{display:block;margin-block:.35rem}`;

export interface PushOptInOptions {
  slug: string;
  title: string;
  artist: string;
  lang: Lang;
  /** The VAPID public key (reach/push/vapid.ts). */
  vapidKey: string;
  /** On the receipt page: the pre-save the consent is given for (its message is a receipt). */
  presave?: string;
  /**
   * Render the two purpose checkboxes here. False once the block sits inside the reach form
   * (`<section id="remind">`), whose own checkboxes the script then reads.
   */
  ownPurposes?: boolean;
  /** null on the cached campaign page (allowed by hash: PUSH_SCRIPT). */
  nonce: string | null;
}

export function pushOptIn(o: PushOptInOptions): SafeHtml {
  const lang = o.lang;
  const nonce = o.nonce === null ? '' : html` nonce="${o.nonce}"`;
  const purposes =
    o.ownPurposes === false
      ? ''
      : html`<fieldset class="push-purposes">
          <legend>${t(lang, 'push.heading')}</legend>
          <label><input type="checkbox" name="remind" value="1" /> ${t(lang, 'push.remind', { title: isolate(lang, o.title) })}</label>
          <label><input type="checkbox" name="news" value="1" /> ${t(lang, 'push.news', { artist: isolate(lang, o.artist) })}</label>
        </fieldset>`;
  return html`<div
    class="reach-push"
    data-push
    hidden
    data-key="${o.vapidKey}"
    data-action="/${o.slug}/push"
    data-lang="${lang}"
    ${o.presave ? html`data-presave="${o.presave}"` : ''}
    data-say-choose="${t(lang, 'push.choose')}"
    data-say-asking="${t(lang, 'push.asking')}"
    data-say-done="${t(lang, 'push.done')}"
    data-say-denied="${t(lang, 'push.denied')}"
    data-say-failed="${t(lang, 'push.failed')}"
  >
    <style${nonce}>${raw(PUSH_STYLE)}</style>
    ${purposes}
    <button class="btn" type="button" data-push-button>${t(lang, 'push.button')}</button>
    <p class="muted" data-push-status role="status" aria-live="polite"></p>
    <a data-push-manage hidden href="#">${t(lang, 'push.manage')}</a>
    <script${nonce}>${raw(PUSH_SCRIPT)}</script>
  </div>`;
}
