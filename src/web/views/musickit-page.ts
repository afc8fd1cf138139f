import type { Campaign } from '../../campaigns/repo.js';
import { html, raw, type SafeHtml } from '../html.js';
import { consentText } from './campaign-page.js';
import { layout } from './layout.js';
import { isolate, translator, type Lang } from '../../i18n/index.js';

/**
 * The Apple Music connect page. Apple Music has no OAuth redirect: this page loads MusicKit JS,
 * configures it with Dropday's developer token, and — when the fan clicks (a popup needs a click) —
 * calls `authorize()`. The Music User Token it gets is POSTed with the single-use `state` to
 * /callback/apple-music, which answers with the thank-you page's address. The callback's address
 * carries the page's language, so a refusal before the state is read (expired, already used) is in
 * it too, not in the browser's Accept-Language.
 *
 * Every value reaches the script through escaped data attributes; the script itself is a constant.
 */
export function musicKitPage(o: {
  campaign: Campaign;
  nonce: string;
  lang: Lang;
  musicKitJsUrl: string;
  developerToken: string;
  appName: string;
  state: string;
  /** After this long without an answer from authorize(), `stuckHelp` is shown (the sign-in goes on meanwhile). */
  authorizeTimeoutMs: number;
  /** The way out of an app's browser (views/escape-step.ts musicKitStuckHelp), hidden until then. */
  stuckHelp: SafeHtml;
}): SafeHtml {
  const c = o.campaign;
  const back = `/${c.slug}`;
  const say = translator(o.lang);
  return layout({
    title: say('musickit.title', { title: isolate(o.lang, c.title) }),
    nonce: o.nonce,
    lang: o.lang,
    body: html`<article class="card">
      <h1>${say('musickit.heading')}</h1>
      <h2><bdi>${c.title}</bdi> · <bdi>${c.artist_name}</bdi></h2>
      <div
        id="musickit"
        data-developer-token="${o.developerToken}"
        data-app-name="${o.appName}"
        data-state="${o.state}"
        data-callback="/callback/apple-music?lang=${o.lang}"
        data-words="${scriptWords(o.lang)}"
        data-authorize-timeout-ms="${o.authorizeTimeoutMs}"
      ></div>
      <button class="btn svc-apple-music" id="mk-connect" type="button" disabled>${say('musickit.continue')}</button>
      <p class="muted" id="mk-status" role="status" aria-live="polite">${say('musickit.loading')}</p>
      <div id="mk-problem" role="alert" hidden>
        <p id="mk-problem-text"></p>
        <p><a class="btn" href="${back}">${say('common.back_to_campaign')}</a></p>
      </div>
      ${o.stuckHelp}
      <noscript><p role="alert">${say('musickit.needs_javascript')}</p></noscript>
      <p class="consent">${consentText(c, 'apple-music', o.lang)}</p>
      <p class="consent">${say('musickit.apple_asks', { app: isolate(o.lang, o.appName) })}</p>
      <p><a href="${back}">${say('common.back_to_campaign')}</a></p>
      <script src="${o.musicKitJsUrl}" nonce="${o.nonce}"></script>
    </article>`,
    script: raw(MUSICKIT_SCRIPT),
  });
}

/** What the script says, in the page's language (the script itself is one constant). */
function scriptWords(lang: Lang): string {
  const say = translator(lang);
  return JSON.stringify({
    ready: say('musickit.ready'),
    startFailed: say('musickit.start_failed'),
    loadFailed: say('musickit.load_failed'),
    waiting: say('musickit.waiting'),
    saving: say('musickit.saving'),
    recordFailed: say('musickit.record_failed'),
    unreachable: say('musickit.unreachable'),
    denied: say('musickit.denied'),
  });
}

/** Kept as a plain string so no formatter or escaper can alter the code. */
export const MUSICKIT_SCRIPT = `(function () {
  var root = document.getElementById('musickit');
  var button = document.getElementById('mk-connect');
  var status = document.getElementById('mk-status');
  var problem = document.getElementById('mk-problem');
  var problemText = document.getElementById('mk-problem-text');
  var words = JSON.parse(root.getAttribute('data-words'));
  var music = null;
  var started = false;
  // authorize() can hang for ever in apps' browsers: the way out shows after a while (a late answer still counts).
  var stuck = document.getElementById('mk-stuck');
  var stuckTimer = null;
  function settled() { clearTimeout(stuckTimer); stuck.hidden = true; }
  function say(text) { status.textContent = text; }
  function fail(text) { problemText.textContent = text; problem.hidden = false; say(''); }
  function ready() {
    if (started || !window.MusicKit || typeof window.MusicKit.configure !== 'function') return;
    started = true;
    Promise.resolve()
      .then(function () {
        return window.MusicKit.configure({
          developerToken: root.getAttribute('data-developer-token'),
          app: { name: root.getAttribute('data-app-name'), build: '1.0.0' }
        });
      })
      .then(function (instance) {
        music = instance || window.MusicKit.getInstance();
        button.disabled = false;
        say(words.ready);
      })
      .catch(function () { fail(words.startFailed); });
  }
  document.addEventListener('musickitloaded', ready);
  ready();
  setTimeout(function () {
    if (!started) fail(words.loadFailed);
  }, 15000);
  button.addEventListener('click', function () {
    if (!music) return;
    button.disabled = true;
    problem.hidden = true;
    say(words.waiting);
    stuckTimer = setTimeout(function () { stuck.hidden = false; }, Number(root.getAttribute('data-authorize-timeout-ms')));
    Promise.resolve()
      .then(function () { return music.authorize(); })
      .then(
        function (token) {
          settled();
          if (!token) throw new Error('denied');
          say(words.saving);
          return fetch(root.getAttribute('data-callback'), {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify({
              state: root.getAttribute('data-state'),
              musicUserToken: token,
              storefront: music.storefrontId || ''
            })
          }).then(function (res) {
            return res.json().catch(function () { return {}; }).then(function (body) {
              if (res.ok && body.redirect) { window.location.assign(body.redirect); return; }
              fail((body.error && body.error.message) || words.recordFailed);
            });
          }, function () {
            fail(words.unreachable);
          });
        },
        function () {
          settled();
          button.disabled = false;
          fail(words.denied);
        }
      )
      .catch(function () {
        button.disabled = false;
        fail(words.denied);
      });
  });
})()`;
