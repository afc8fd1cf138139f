import type { FastifyRequest } from 'fastify';
import { SOURCE_NAMES, type SourceId } from '../../../links/lookup/source.js';
import type { LookupStatus } from '../../../links/lookup/state.js';
import { serviceName } from '../../../providers/services.js';
import type { CampaignLink } from '../../../smartlink/links.js';
import { csrfField } from '../../csrf.js';
import { html, type SafeHtml } from '../../html.js';
import { fieldError } from '../auth/shell.js';

/**
 * The editor's "Store links found for you" panel: each link a look-up found, where it came from
 * and when, with accept, replace (by the artist's own URL) and remove; and what each source said
 * last. Found links are on the public page at once: the panel says so.
 */
export interface FoundLinksData {
  links: CampaignLink[];
  statuses: LookupStatus[];
  /** A refused replacement: the field's error and what was typed. */
  errors?: Record<string, string>;
  typed?: Record<string, string>;
}

const sourceName = (id: string | null) => (id && id in SOURCE_NAMES ? SOURCE_NAMES[id as SourceId] : (id ?? ''));
const when = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export const replaceField = (service: string) => `found_${service}`;

function statusLine(s: LookupStatus): string {
  const last = s.lastResult ?? 'not looked up yet';
  if (s.state === 'done') return `${last} — done`;
  if (s.state === 'stopped') return `${last} — no more look-ups`;
  return `${last}; next look-up ${when(s.nextAt)}`;
}

export function foundLinksPanel(
  req: FastifyRequest,
  d: FoundLinksData & { action: (service: string, what: 'accept' | 'replace' | 'remove') => string; editable: boolean },
): SafeHtml {
  const item = (l: CampaignLink) => {
    const field = replaceField(l.service);
    const name = serviceName(l.service);
    return html`<li data-found="${l.service}">
      <p>
        <strong>${name}</strong> · <a href="${l.url}" rel="noopener noreferrer" target="_blank">${l.url}</a><br />
        <span class="muted" data-provenance>Found by ${sourceName(l.source)} on ${when(l.foundAt ?? 0)} · ${l.acceptedAt ? 'accepted' : 'not reviewed yet'}</span>
      </p>
      ${
        d.editable
          ? html`<div class="found-actions">
            ${
              l.acceptedAt
                ? ''
                : html`<form method="post" action="${d.action(l.service, 'accept')}">
                  ${csrfField(req)}<button class="btn small" type="submit" aria-label="Accept the ${name} link">Accept</button>
                </form>`
            }
            <form method="post" action="${d.action(l.service, 'replace')}" novalidate>
              ${csrfField(req)}
              <label for="f-${field}">Your own ${name} URL</label>
              <input
                id="f-${field}"
                name="url"
                type="url"
                maxlength="2000"
                value="${d.typed?.[field] ?? ''}"
                ${d.errors?.[field] ? html`aria-invalid="true" aria-describedby="${field}-error"` : ''}
              />
              ${fieldError(d.errors, field)}
              <button class="btn small" type="submit" aria-label="Replace the ${name} link">Replace</button>
            </form>
            <form method="post" action="${d.action(l.service, 'remove')}">
              ${csrfField(req)}<button class="btn small danger" type="submit" aria-label="Remove the ${name} link">Remove</button>
            </form>
          </div>`
          : ''
      }
    </li>`;
  };
  return html`<section class="panel" id="found-links">
    <h2>Store links found for you</h2>
    <p class="hint">
      From the UPC (or ISRCs), Dropday looks the release up in public catalogs and fills the “listen on” links itself. Found links are
      used on your public page at once, without waiting for you (its “listen on” buttons show from release). Accept one to keep it as it is, replace it with your own URL, or remove it: a removed link is not
      added again. Links you enter yourself are never changed.
    </p>
    ${d.links.length ? html`<ul class="found">${d.links.map(item)}</ul>` : html`<p class="muted">Nothing found yet.</p>`}
    ${
      d.statuses.length
        ? html`<h3>Look-ups</h3>
          <ul class="lookups">
            ${d.statuses.map((s) => html`<li data-source="${s.source}"><strong>${sourceName(s.source)}</strong>: ${statusLine(s)}</li>`)}
          </ul>`
        : ''
    }
  </section>`;
}
