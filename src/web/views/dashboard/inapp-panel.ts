import type { InAppReport } from '../../../analytics/inapp.js';
import { serviceName } from '../../../providers/services.js';
import { html, type SafeHtml } from '../../html.js';
import { INAPP_APP_NAMES, isInAppKind } from '../../inapp/detect.js';
import { empty, table } from './campaign.js';
import { num, pct, ratio } from './format.js';

/**
 * "In-app browsers": visits from inside Instagram, TikTok… (whose browsers break Spotify's and
 * Apple Music's sign-in), and what the "Open in your browser" step did — shown, taken, and
 * completed as a pre-save in the fan's own browser. See docs/fan-pages.md.
 */
export function inAppPanel(r: InAppReport): SafeHtml {
  const appName = (key: string) => (isInAppKind(key) ? INAPP_APP_NAMES[key] : key);
  const steps = [
    { key: 'shown', label: 'Shown the step', n: r.shown, of: null },
    { key: 'taken', label: 'Opened in their browser', n: r.taken, of: r.shown },
    { key: 'completed', label: 'Pre-saved there', n: r.completed, of: r.taken },
  ];
  return html`<section class="panel" id="inapp" aria-labelledby="inapp-h">
    <h2 id="inapp-h">In-app browsers</h2>
    ${
      r.viewsTotal || r.shown
        ? html`${table(
            'inapp-views',
            ['App'],
            ['Views'],
            r.views.map((v) => html`<tr data-app="${v.app}"><td>${appName(v.app)}</td><td class="n">${num(v.n)}</td></tr>`),
          )}
          <h3>“Open in your browser” step</h3>
          ${table(
            'inapp-escape',
            ['Step'],
            ['Count', 'Of the step before'],
            steps.map(
              (s) =>
                html`<tr data-escape="${s.key}">
                  <td>${s.label}</td>
                  <td class="n">${num(s.n)}</td>
                  <td class="n">${s.of === null ? '' : pct(ratio(s.n, s.of))}</td>
                </tr>`,
            ),
          )}
          ${
            r.byService.length > 1
              ? html`<p class="muted">
                  ${r.byService.map((s, i) => html`${i ? ' · ' : ''}${serviceName(s.service)}: ${num(s.shown)} shown, ${num(s.taken)} taken, ${num(s.completed)} completed`)}
                </p>`
              : ''
          }`
        : empty('No visits from in-app browsers yet.')
    }
    <p class="muted">
      Instagram, TikTok and other apps open links in their own browser, where Spotify and Apple Music sign-in often fails. Fans who choose one
      of those there are offered to continue in their own browser; “pre-saved there” counts pre-saves made with that step’s link.
    </p>
  </section>`;
}
