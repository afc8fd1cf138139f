import type { MessageChannel } from '../../../db/schema-reach.js';
import { MESSAGE_CHANNELS, MESSAGE_TYPES, type MessageCounts, type ReachReport } from '../../../reach/report.js';
import { CHANNEL_LABELS, TYPE_LABELS, explainMessageFailure } from '../../../reach/report-words.js';
import { html, type SafeHtml } from '../../html.js';
import { empty, table } from './campaign.js';
import { num, pct } from './format.js';

/**
 * "Fans you can reach" (docs/reach.md "For the artist"): contacts and push subscribers who agreed
 * on this campaign, the opt-in rate with its denominator named, what each message did per channel
 * and type, unsubscribes, pre-savers' receipts, forever saves, and the news export for those who
 * may download fans' addresses (`exportUrl` null: the viewer is told who can).
 */
export interface ReachPanelData {
  report: ReachReport;
  artistName: string;
  /** The workspace's "agreed to news" CSV, for editors and up; null otherwise. */
  exportUrl: string | null;
}

const CELLS = ['scheduled', 'sending', 'sent', 'notDelivered', 'cancelled'] as const satisfies readonly (keyof MessageCounts)[];

function hasMessages(m: MessageCounts): boolean {
  return CELLS.some((k) => m[k] > 0);
}

function contactsTable(r: ReachReport, artist: string): SafeHtml {
  const rows = [
    { key: 'remind', label: 'Reminder for this release', c: r.contacts.remind },
    { key: 'news', label: `News from ${artist}`, c: r.contacts.news },
    { key: 'any', label: 'Anyone (either purpose)', c: r.contacts.any },
  ];
  return table(
    'reach-contacts',
    ['Agreed to'],
    ['Confirmed email', 'Awaiting confirmation', 'Push subscribers'],
    rows.map(
      (x) => html`<tr data-purpose="${x.key}">
        <td>${x.label}</td>
        <td class="n" data-reach="${x.key}.confirmed">${num(x.c.confirmed)}</td>
        <td class="n" data-reach="${x.key}.awaiting">${num(x.c.awaiting)}</td>
        <td class="n" data-reach="${x.key}.push">${num(x.c.push)}</td>
      </tr>`,
    ),
  );
}

function optInLine(r: ReachReport): SafeHtml {
  const o = r.optIn;
  if (o.rate === null) {
    return html`<p data-optin>
      Opt-in rate: <strong data-reach="optin.rate">—</strong>
      <span class="muted">(no visitors recorded by the page’s analytics yet${o.optedIn ? html`; ${num(o.optedIn)} opted in` : ''})</span>
    </p>`;
  }
  return html`<p data-optin>
    Opt-in rate: <strong data-reach="optin.rate">${pct(o.rate)}</strong>
    <span class="muted"
      >— <span data-reach="optin.optedIn">${num(o.optedIn)}</span> who left an address or allowed notifications on this campaign ÷
      <span data-reach="optin.visitors">${num(o.visitors)}</span> unique visitors of its pages (from the page’s analytics, a visitor
      counted once a day).</span
    >
  </p>`;
}

function messagesTable(r: ReachReport): SafeHtml {
  const rows: SafeHtml[] = [];
  for (const ch of MESSAGE_CHANNELS) {
    for (const t of MESSAGE_TYPES) {
      const m = r.messages[ch][t];
      if (!hasMessages(m)) continue;
      rows.push(html`<tr data-channel="${ch}" data-type="${t}">
        <td>${CHANNEL_LABELS[ch]}</td>
        <td>${TYPE_LABELS[t]}</td>
        ${CELLS.map((k) => html`<td class="n" data-reach="${ch}.${t}.${k}">${num(m[k])}</td>`)}
      </tr>`);
    }
  }
  if (!rows.length) return empty('No messages yet: confirmations go out as fans leave an address, “out now” at the release.');
  return table('reach-messages', ['Channel', 'Message'], ['Scheduled', 'Sending', 'Sent', 'Not delivered', 'Cancelled'], rows);
}

function failures(r: ReachReport): SafeHtml {
  const blocks = MESSAGE_CHANNELS.map((ch: MessageChannel) => {
    const entries = Object.entries(r.channelTotals[ch].reasons).sort((a, b) => b[1] - a[1]);
    if (!entries.length) return html``;
    return html`<h4>${CHANNEL_LABELS[ch]}</h4>
      <ul class="reasons failures">
        ${entries.map(([code, count]) => {
          const w = explainMessageFailure(code);
          return html`<li data-message-failure="${w.kind}" data-channel="${ch}">
            <strong>${num(count)} × ${w.what}</strong>
            ${code ? html`<details><summary>Details</summary><code>${code}</code></details>` : ''}
          </li>`;
        })}
      </ul>`;
  });
  const any = MESSAGE_CHANNELS.some((ch) => r.channelTotals[ch].notDelivered > 0);
  return any ? html`<h3>Why messages were not delivered</h3>${blocks}` : html``;
}

function withdrawnTable(r: ReachReport): SafeHtml {
  const rows = [
    { key: 'unsubscribe', label: 'Unsubscribed (one click, from a message)' },
    { key: 'preferences', label: 'Withdrew on their preference page' },
    { key: 'erase', label: 'Erased their data' },
    { key: 'bounce', label: 'Address bounced (suppressed)' },
  ] as const;
  const shown = rows.filter((x) => r.withdrawn[x.key].email + r.withdrawn[x.key].push > 0);
  if (!shown.length) return html`<p class="muted" data-reach="withdrawn.none">Nobody has unsubscribed.</p>`;
  return table(
    'reach-withdrawn',
    ['Stopped'],
    ['Email', 'Push'],
    shown.map(
      (x) => html`<tr data-withdrawn="${x.key}">
        <td>${x.label}</td>
        <td class="n" data-reach="withdrawn.${x.key}.email">${num(r.withdrawn[x.key].email)}</td>
        <td class="n" data-reach="withdrawn.${x.key}.push">${num(r.withdrawn[x.key].push)}</td>
      </tr>`,
    ),
  );
}

export function reachPanel(d: ReachPanelData): SafeHtml {
  const r = d.report;
  const rc = r.receipts;
  const f = r.forever;
  return html`<section class="panel" id="reach" aria-labelledby="reach-h">
    <h2 id="reach-h">Fans you can reach</h2>
    <p class="kpis">
      <span>Confirmed addresses <strong data-reach="kpi.confirmed">${num(r.contacts.any.confirmed)}</strong></span>
      <span>Awaiting confirmation <strong data-reach="kpi.awaiting">${num(r.contacts.any.awaiting)}</strong></span>
      <span>Push subscribers <strong data-reach="kpi.push">${num(r.contacts.any.push)}</strong></span>
    </p>
    ${
      r.optIn.optedIn
        ? contactsTable(r, d.artistName)
        : empty(
            'Nobody has left an address or allowed notifications on this campaign yet. Fans can on the campaign page and after pre-saving.',
          )
    }
    ${optInLine(r)}
    ${
      r.contacts.expiredUnconfirmed
        ? html`<p class="muted">${num(r.contacts.expiredUnconfirmed)} never confirmed their address in time; they will receive nothing.</p>`
        : ''
    }
    <h3>Messages</h3>
    ${messagesTable(r)} ${failures(r)}
    <h3>Unsubscribes</h3>
    ${withdrawnTable(r)}
    <h3>Receipts to pre-savers</h3>
    <p class="kpis" data-receipts>
      <span>In their library — verified <strong data-reach="receipts.verified">${num(rc.verified)}</strong></span>
      <span>Save failed, told why <strong data-reach="receipts.failed">${num(rc.failed)}</strong></span>
      <span>Plain “out now” <strong data-reach="receipts.plain">${num(rc.plain)}</strong></span>
    </p>
    <h3>Forever save</h3>
    <p class="kpis" data-forever>
      <span>Saving ${d.artistName}’s future releases <strong data-reach="forever.standing">${num(f.standing)}</strong></span>
      <span>Stopped <strong data-reach="forever.stopped">${num(f.stopped)}</strong></span>
      <span>Asked on this campaign <strong data-reach="forever.askedHere">${num(f.askedHere)}</strong></span>
    </p>
    ${
      d.exportUrl
        ? html`<p>
            <a href="${d.exportUrl}" download data-export="news">Export contacts who agreed to news (CSV for Mailchimp or Klaviyo)</a>
            <span class="muted">— confirmed addresses of the whole workspace, with when, where and the words they agreed to.</span>
          </p>`
        : html`<p class="muted">Editors of this workspace can export the contacts who agreed to news.</p>`
    }
    <details class="help">
      <summary>How these numbers are counted</summary>
      <dl>
        <dt>Contacts</dt>
        <dd>
          People who agreed on this campaign and have not withdrawn. An address counts once it is confirmed (double opt-in); until
          then it receives nothing but the confirmation mail, and it is deleted if never confirmed.
        </dd>
        <dt>Opt-in rate</dt>
        <dd>
          Email contacts and push subscribers who agreed to anything on this campaign (even if they withdrew since) ÷ unique visitors
          of the campaign page (a visitor counted once a day, bots left out). Someone who left an address and allowed notifications
          counts twice. Shown as “—” until the page has a visitor.
        </dd>
        <dt>Messages</dt>
        <dd>
          Scheduled: waiting for their moment. Sending: due now, or retried after a temporary failure. Not delivered: bounced, gone,
          given up after retries, or not sent because no mail server is configured.
        </dd>
      </dl>
    </details>
  </section>`;
}
