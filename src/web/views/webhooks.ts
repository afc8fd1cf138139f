import type { FastifyRequest } from 'fastify';
import type { Workspace } from '../../accounts/workspaces.js';
import { parseEvents, type EndpointRow } from '../../webhooks/endpoints.js';
import { EVENT_WORDS, WEBHOOK_EVENTS } from '../../webhooks/events.js';
import type { DeliveryLogRow } from '../../webhooks/log.js';
import { csrfField } from '../csrf.js';
import { html, raw, type SafeHtml } from '../html.js';
import { copySecret } from './auth/copy-secret.js';
import { alertBox, fieldError, noticeBox } from './auth/shell.js';

/** The workspace's webhooks page (docs/webhooks.md): endpoints, a new one, the secret shown once. */
export interface WebhooksPageData {
  workspace: Workspace;
  endpoints: EndpointRow[];
  notice: string | null;
  message?: string;
  errors?: Record<string, string>;
  values?: { url: string; description: string; events: string[] };
  /** A secret just made (new endpoint or rotation): shown this once. */
  secret?: { endpointId: string; value: string; rotated: boolean };
  allowPrivate: boolean;
}

const time = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC');

function secretBox(req: FastifyRequest, base: string, s: NonNullable<WebhooksPageData['secret']>): SafeHtml {
  return html`<section class="panel" id="new-secret" aria-labelledby="new-secret-title">
    <h2 id="new-secret-title">${s.rotated ? 'New signing secret' : 'Endpoint added: its signing secret'}</h2>
    <p>
      Copy it now into the program that receives the events: it is shown only this once. That program uses it to check that a
      message really comes from Dropday (Standard Webhooks signatures). Lost it? Rotate the secret for a new one.
    </p>
    ${copySecret(req, 'new-secret-value', s.value, html`data-secret="${s.endpointId}"`)}
    ${s.rotated ? html`<p class="muted">The previous secret keeps signing too for 24 hours, so your receiver can switch without missing a delivery.</p>` : ''}
    <script nonce="${req.cspNonce}">
      // A reload must not post the form again (another endpoint, another secret): make this entry a plain GET.
      history.replaceState(null, '', ${raw(JSON.stringify(`${base}/webhooks`))});
    </script>
  </section>`;
}

function endpointRow(req: FastifyRequest, base: string, e: EndpointRow): SafeHtml {
  const at = `${base}/webhooks/${e.public_id}`;
  const events = parseEvents(e);
  return html`<tr data-endpoint="${e.public_id}">
    <td><code>${e.url}</code>${e.description ? html`<br /><span class="muted">${e.description}</span>` : ''}</td>
    <td>${events.join(', ')}</td>
    <td data-state="${e.enabled ? 'on' : 'off'}">
      ${e.enabled ? 'On' : html`Off: ${e.disabled_reason ?? 'turned off'}.<br /><span class="muted">Nothing is sent while it is off. Fix the receiver, then turn it on.</span>`}
      ${e.failing_since !== null ? html`<br /><span class="muted">failing since ${time(e.failing_since)}</span>` : ''}
    </td>
    <td>
      <a href="${at}">Delivery log</a>
      <form class="inline" method="post" action="${at}/${e.enabled ? 'disable' : 'enable'}">
        ${csrfField(req)}<button class="btn small" type="submit">${e.enabled ? 'Turn off' : 'Turn on'}</button>
      </form>
      <form class="inline" method="post" action="${at}/rotate">
        ${csrfField(req)}<button class="btn small" type="submit">Rotate secret</button>
      </form>
      <a class="btn small danger" href="${at}/delete">Delete…</a>
    </td>
  </tr>`;
}

export function webhooksPage(req: FastifyRequest, d: WebhooksPageData): SafeHtml {
  const base = `/w/${d.workspace.slug}`;
  const v = d.values ?? { url: '', description: '', events: [] };
  const described = (f: string) => (d.errors?.[f] ? `${f}-error` : undefined);
  return html`<section class="panel">
      <h1>Webhooks</h1>
      <p><a href="${base}/members#integrations">← ${d.workspace.name}: members and settings</a></p>
      <p>
        A webhook tells another program the moment something happens here — a fan pre-saves, a campaign is released — so your CRM,
        mailing tool or a Discord or Slack channel hears about it without anyone copying numbers. Give the address the other
        program gave you and pick the events it should hear about; Dropday sends each event there as a short signed message and
        keeps trying for a while when the program does not answer.
      </p>
      ${noticeBox(d.notice)}${alertBox(d.message)}
    </section>
    ${d.secret ? secretBox(req, base, d.secret) : ''}
    <section class="panel">
      <h2>Endpoints</h2>
      ${
        d.endpoints.length
          ? html`<table>
              <thead>
                <tr>
                  <th>Address</th>
                  <th>Events</th>
                  <th>State</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                ${d.endpoints.map((e) => endpointRow(req, base, e))}
              </tbody>
            </table>`
          : html`<p data-empty>No endpoints yet — add one below with the address your other program or chat channel gave you.</p>`
      }
    </section>
    <section class="panel" id="add-endpoint">
      <h2>Add an endpoint</h2>
      <form method="post" action="${base}/webhooks" novalidate>
        ${csrfField(req)}
        <label for="url">URL</label>
        <input id="url" name="url" type="url" required value="${v.url}" aria-describedby="${described('url')}" />
        ${fieldError(d.errors, 'url')}
        <p class="muted">
          An http(s) address${d.allowPrivate ? '' : ' on the public internet'}. Discord and Slack incoming-webhook URLs get a chat message.
        </p>
        <label for="description">Description (optional)</label>
        <input id="description" name="description" type="text" maxlength="200" value="${v.description}" />
        ${fieldError(d.errors, 'description')}
        <fieldset aria-describedby="${described('events')}">
          <legend>Events</legend>
          ${WEBHOOK_EVENTS.map(
            (e) =>
              html`<label class="check"
                ><input type="checkbox" name="events" value="${e}" ${v.events.includes(e) ? 'checked' : ''} /> <code>${e}</code> — ${EVENT_WORDS[e]}</label
              >`,
          )}
        </fieldset>
        ${fieldError(d.errors, 'events')}
        <button class="btn" type="submit">Add endpoint</button>
      </form>
    </section>`;
}

/** One endpoint's delivery log, newest first, with "Send again". */
export function deliveryLogPage(
  req: FastifyRequest,
  d: { workspace: Workspace; endpoint: EndpointRow; rows: DeliveryLogRow[]; notice: string | null; olderHref: string | null },
): SafeHtml {
  const at = `/w/${d.workspace.slug}/webhooks/${d.endpoint.public_id}`;
  return html`<section class="panel">
    <h1>Delivery log</h1>
    <p><code>${d.endpoint.url}</code> · <a href="/w/${d.workspace.slug}/webhooks">All endpoints</a></p>
    <p class="muted">
      Every event sent to this address, newest first. “Send again” sends that same event once more, with the same id, so a
      receiver that missed it (or failed to handle it) gets it now and one that already has it can tell it is a repeat. Times are UTC.
    </p>
    ${noticeBox(d.notice)}
    ${
      d.rows.length
        ? html`<table>
            <thead>
              <tr>
                <th>Event</th>
                <th>Id</th>
                <th>Time</th>
                <th>Status</th>
                <th>Code</th>
                <th>Attempts</th>
                <th>Error</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              ${d.rows.map(
                (r) => html`<tr data-delivery="${r.public_id}">
                  <td>${r.type}</td>
                  <td><code>${r.msg_id}</code></td>
                  <td>${time(r.last_attempt_at ?? r.created_at)}</td>
                  <td data-status="${r.status}">${r.status === 'pending' && r.attempts > 0 ? html`retrying ${time(r.next_attempt_at)}` : r.status}</td>
                  <td>${r.last_status_code ?? ''}</td>
                  <td>${r.attempts}</td>
                  <td>${r.last_error ?? ''}</td>
                  <td>
                    ${
                      r.status === 'pending'
                        ? ''
                        : html`<form class="inline" method="post" action="${at}/deliveries/${r.public_id}/resend">
                            ${csrfField(req)}<button class="btn small" type="submit">Send again</button>
                          </form>`
                    }
                  </td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p>Nothing sent to this endpoint yet: events appear here as they happen.</p>`
    }
    ${d.olderHref ? html`<p><a href="${d.olderHref}">Older deliveries</a></p>` : ''}
  </section>`;
}

/** The step before deleting an endpoint: what stops, what turning it off would keep, and the button. */
export function deleteEndpointPage(req: FastifyRequest, workspace: Workspace, e: EndpointRow): SafeHtml {
  const at = `/w/${workspace.slug}/webhooks/${e.public_id}`;
  return html`<section class="panel">
    <h1>Delete this endpoint?</h1>
    <p><code>${e.url}</code>${e.description ? html` — ${e.description}` : ''}</p>
    <p>
      Nothing more is sent to it, and its delivery log is deleted with it. This cannot be undone: to send there again you would add
      it again and get a new secret. To pause it instead, turn it off — you can turn it back on at any time.
    </p>
    <form method="post" action="${at}/delete">
      ${csrfField(req)}
      <button class="btn danger" type="submit">Delete endpoint</button>
      <a href="/w/${workspace.slug}/webhooks">Cancel</a>
    </form>
  </section>`;
}
