import type { FastifyRequest } from 'fastify';
import { PLATFORM_NAMES, PLATFORMS } from '../../../conversions/platforms.js';
import type { FailedEvents } from '../../../conversions/report.js';
import type { ConversionSettingsView } from '../../../conversions/settings.js';
import { ID_FIELD, SECRET_FIELD } from '../../../conversions/validate.js';
import type { ConversionPlatform } from '../../../db/schema-conversions.js';
import { csrfField } from '../../csrf.js';
import { html, type SafeHtml } from '../../html.js';
import { fieldError } from '../auth/shell.js';

/**
 * The editor's "Conversion tracking" panel (docs/conversions.md): per platform the id, and the
 * token or secret as "set — replace / remove" (never shown back); a refused token in words with
 * its date. Fans are asked before anything is measured; the panel says so.
 */
export interface ConversionsPanelData {
  settings: ConversionSettingsView;
  /** Events given up on, per platform (conversions/report.ts failedEvents). */
  failed: Partial<Record<ConversionPlatform, FailedEvents>>;
  errors?: Record<string, string>;
  /** The ids as typed in a refused form (tokens are never typed back). */
  typed?: Record<string, string>;
}

const LABELS: Record<ConversionPlatform, { id: string; secret: string; hint: string }> = {
  meta: {
    id: 'Meta pixel id',
    secret: 'Conversions API access token',
    hint: 'Events Manager → your pixel → Settings → Conversions API → Generate access token.',
  },
  tiktok: {
    id: 'TikTok pixel code',
    secret: 'Events API access token',
    hint: 'TikTok Events Manager → your pixel → Settings → Generate access token.',
  },
  ga4: {
    id: 'GA4 measurement id',
    secret: 'Measurement Protocol API secret',
    hint: 'Admin → Data streams → your web stream → Measurement Protocol API secrets. GA4 never reports errors: check its reports.',
  },
};

const date = (at: number) => new Date(at).toISOString().slice(0, 10);

function platformBlock(d: ConversionsPanelData, p: ConversionPlatform, editable: boolean): SafeHtml {
  const view = d.settings[p];
  const l = LABELS[p];
  const idField = ID_FIELD[p];
  const secretField = SECRET_FIELD[p];
  const idValue = d.typed?.[idField] ?? view?.id ?? '';
  const invalid = (f: string) => (d.errors?.[f] ? html`aria-invalid="true" aria-describedby="${f}-error"` : '');
  return html`<fieldset class="conv" data-platform="${p}" ${editable ? '' : 'disabled'}>
    <legend>${PLATFORM_NAMES[p]}</legend>
    ${view?.refused ? html`<p class="warn" role="alert" data-refused="${p}">${PLATFORM_NAMES[p]} refused the access token on ${date(view.refused.at)} (${view.refused.words}). Nothing is sent to ${PLATFORM_NAMES[p]} until you paste a new one.</p>` : ''}
    <label for="f-${idField}">${l.id}</label>
    <input id="f-${idField}" name="${idField}" type="text" maxlength="40" autocomplete="off" value="${idValue}" ${invalid(idField)} />
    ${fieldError(d.errors, idField)}
    <label for="f-${secretField}">${l.secret}</label>
    ${view?.secretSet ? html`<p class="hint" data-secret-set="${p}">Set — paste a new one to replace it, or remove ${PLATFORM_NAMES[p]} below.</p>` : ''}
    <input id="f-${secretField}" name="${secretField}" type="password" maxlength="1024" autocomplete="off" value="" ${invalid(secretField)} />
    ${fieldError(d.errors, secretField)}
    <p class="hint">${l.hint}</p>
    ${view ? html`<label class="inline"><input type="checkbox" name="${p}_remove" /> Remove ${PLATFORM_NAMES[p]} from this campaign</label>` : ''}
  </fieldset>`;
}

export function conversionsPanel(req: FastifyRequest, d: ConversionsPanelData & { action: string; editable: boolean }): SafeHtml {
  return html`<section class="panel" id="conversions">
    <h2>Conversion tracking</h2>
    <p class="hint">
      Optional. With a platform set, the campaign page asks each fan first; only fans who allow it are measured: their page
      view, pre-save and confirmed address are sent from this server with hashed identifiers, and the pixels load in their browser.
    </p>
    <form method="post" action="${d.action}" novalidate>
      ${csrfField(req)} ${PLATFORMS.map((p) => platformBlock(d, p, d.editable))}
      ${d.editable ? html`<p><button class="btn small" type="submit">Save conversion tracking</button></p>` : ''}
    </form>
    ${failedSection(req, d)}
  </section>`;
}

/**
 * Events that could not be sent, per platform, with the way back: once the cause is fixed (a new
 * token, the right pixel id), "Send them again" re-queues those still inside the platform's window
 * (events/redrive.ts). Its own form: forms cannot nest.
 */
function failedSection(req: FastifyRequest, d: ConversionsPanelData & { action: string; editable: boolean }): SafeHtml | '' {
  const rows = PLATFORMS.flatMap((p) => (d.failed[p] ? [[p, d.failed[p]] as const] : []));
  if (!rows.length) return '';
  const sendable = rows.filter(([p, f]) => f.resendable > 0 && d.settings[p]?.secretSet && !d.settings[p]?.refused);
  return html`<div class="failed-events" data-failed-events>
    <h3>Events that could not be sent</h3>
    <ul>
      ${rows.map(
        ([p, f]) =>
          html`<li data-failed="${p}">${PLATFORM_NAMES[p]}: ${f.count} ${f.count === 1 ? 'event' : 'events'}${f.lastError ? html` (last: ${f.lastError})` : ''};
          ${f.resendable === f.count ? 'all recent enough to send again' : html`${f.resendable} recent enough to send again (${PLATFORM_NAMES[p]} refuses older ones)`}.</li>`,
      )}
    </ul>
    ${
      !d.editable
        ? ''
        : sendable.length
          ? html`<form method="post" action="${d.action}/retry">
              ${csrfField(req)}
              <p class="hint">Fix the cause first (a new token, the right id), then send them again. Each goes once more under its own event id: Meta and TikTok count an event they already had once; GA4 counts one that had in fact arrived twice.</p>
              <button class="btn small" type="submit">Send them again</button>
            </form>`
          : rows.every(([, f]) => f.resendable === 0)
            ? html`<p class="hint">None of them is recent enough to send again.</p>`
            : html`<p class="hint">To send them again, fix the cause first: the platform needs its id and a token that was not refused.</p>`
    }
  </div>`;
}
