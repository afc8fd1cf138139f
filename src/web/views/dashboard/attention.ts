import type { Workspace } from '../../../accounts/workspaces.js';
import type { Campaign } from '../../../campaigns/repo.js';
import { PLATFORM_NAMES } from '../../../conversions/platforms.js';
import type { ConversionProblem } from '../../../conversions/report.js';
import type { troubledEndpoints } from '../../../webhooks/endpoints.js';
import { html, type SafeHtml } from '../../html.js';
import { num, utcTime } from './format.js';

export type TroubledEndpoint = Awaited<ReturnType<typeof troubledEndpoints>>[number];

export interface AttentionData {
  workspace: Workspace;
  campaigns: Campaign[];
  /** Off, or failing since the owners' mail notice; admins and owners only (the Webhooks page is theirs); null: not shown. */
  webhooks: TroubledEndpoint[] | null;
  /** Editors and up (the editor's conversion panel fixes them); null: not shown to this member. */
  conversions: ConversionProblem[] | null;
}

/**
 * "Needs attention" on the workspace overview: what stopped working outside the fan pages and will
 * not mend itself — a webhook endpoint turned off or failing, a conversion platform that refused
 * its token or events given up on — each with where to fix it. The owners get a mail about a
 * failing endpoint too; this is where anyone who can fix it sees it without one. Nothing to show:
 * no panel.
 */
export function attentionPanel(d: AttentionData): SafeHtml | '' {
  const ws = encodeURIComponent(d.workspace.slug);
  const items: SafeHtml[] = [];
  for (const e of d.webhooks ?? []) {
    items.push(
      e.enabled
        ? html`<li data-attention="webhook">Webhook deliveries to ${e.endpoint} have failed ${num(e.failures_in_a_row)} ${e.failures_in_a_row === 1 ? 'time' : 'times'} in a row; they are being retried. <a href="/w/${ws}/webhooks">See the delivery log</a></li>`
        : html`<li data-attention="webhook">The webhook endpoint ${e.endpoint} is off: ${e.disabled_reason ?? 'turned off'}. Nothing is sent to it until it is turned on again. <a href="/w/${ws}/webhooks">Webhooks</a></li>`,
    );
  }
  const bySlug = new Map(d.campaigns.map((c) => [c.id, c]));
  for (const p of d.conversions ?? []) {
    const c = bySlug.get(p.campaignId);
    if (!c) continue;
    const name = PLATFORM_NAMES[p.platform];
    const fix = html`<a href="/w/${ws}/campaigns/${encodeURIComponent(c.slug)}/edit#conversions">Conversion tracking of ${c.title}</a>`;
    items.push(
      p.kind === 'refused'
        ? html`<li data-attention="conversions">${name} refused the access token of <strong>${c.title}</strong> on ${utcTime(p.at)} (${p.words}). Nothing is sent to ${name} until a new one is pasted. ${fix}</li>`
        : html`<li data-attention="conversions">${num(p.count)} conversion ${p.count === 1 ? 'event' : 'events'} of <strong>${c.title}</strong> could not be sent to ${name} (the last on ${utcTime(p.at)}${p.words ? html`: ${p.words}` : ''}). ${p.count === 1 ? 'It is' : 'They are'} recent enough to send again once the cause is fixed: ${fix}</li>`,
    );
  }
  if (!items.length) return '';
  return html`<section class="panel attention" aria-labelledby="attention-h">
    <h2 id="attention-h">Needs attention</h2>
    <ul>
      ${items}
    </ul>
  </section>`;
}
