import type { FastifyRequest } from 'fastify';
import type { Campaign } from '../../../campaigns/repo.js';
import { ROLE_LABELS, canEdit, canManageMembers, type Role } from '../../../accounts/roles.js';
import type { Workspace } from '../../../accounts/workspaces.js';
import type { OverviewRow, WorkspaceOverview } from '../../../analytics/index.js';
import { html, type SafeHtml } from '../../html.js';
import { campaignBase, figureHelp } from './campaign.js';
import { describeRelease } from '../../../campaigns/timing.js';
import { num, pct } from './format.js';
import { dashStyle } from './style.js';
import { attentionPanel, type AttentionData } from './attention.js';

export interface OverviewData {
  workspace: Workspace;
  role: Role;
  operator: boolean;
  campaigns: Campaign[];
  overview: WorkspaceOverview;
  now: number;
  /** What stopped working and needs someone to act (attention.ts). */
  attention: Pick<AttentionData, 'webhooks' | 'conversions'>;
}

function cells(o: Omit<OverviewRow, 'campaignId'>): SafeHtml {
  return html`<td class="n" data-col="views">${num(o.views)}</td>
    <td class="n" data-col="presaves">${num(o.presaves)}</td>
    <td class="n" data-col="saved">${num(o.saved)}</td>
    <td class="n" data-col="conversion">${pct(o.conversion)}</td>
    <td class="n" data-col="clickToSave">${pct(o.clickToSave)}</td>`;
}

/** The workspace overview (viewer+): every campaign with its numbers, and the totals. */
export function overviewPage(req: FastifyRequest, d: OverviewData): SafeHtml {
  const ws = d.workspace;
  const rows = new Map(d.overview.campaigns.map((r) => [r.campaignId, r]));
  return html`${dashStyle(req.cspNonce)}
    <section class="panel">
      <div class="dash-head">
        <div>
          <h1>${ws.name}</h1>
          <p class="muted">
            ${ws.kind === 'label' ? 'Label' : 'Artist'} workspace · you are ${d.operator ? 'an operator (read-only)' : ROLE_LABELS[d.role]}
          </p>
        </div>
        <nav class="actions" aria-label="Workspace">
          ${canEdit(d.role) && !d.operator ? html`<a href="/w/${ws.slug}/campaigns/new">New campaign</a>` : ''}
          <a href="/w/${ws.slug}/members">Members</a>
          ${canManageMembers(d.role) && !d.operator ? html`<a href="/w/${ws.slug}/members#integrations">API keys and webhooks</a>` : ''}
          ${canEdit(d.role) && !d.operator ? html`<a href="/w/${ws.slug}/contacts.csv" download data-export="news">Export news contacts (CSV)</a>` : ''}
        </nav>
      </div>
    </section>
    ${attentionPanel({ workspace: ws, campaigns: d.campaigns, ...d.attention })}
    <section class="panel overview" aria-labelledby="campaigns-h">
      <h2 id="campaigns-h">Campaigns</h2>
      ${
        d.campaigns.length
          ? html`<div class="scroll"><table id="campaigns">
              <thead>
                <tr>
                  <th>Campaign</th>
                  <th>Release</th>
                  <th class="n">Views</th>
                  <th class="n">Pre-saves</th>
                  <th class="n">Saved</th>
                  <th class="n" title="share of visitors who pre-saved (at most 100 %)">Conversion</th>
                  <th class="n">Click-to-save</th>
                </tr>
              </thead>
              <tbody>
                ${d.campaigns.map((c) => {
                  const o = rows.get(c.id);
                  const released = d.now >= c.first_release_at;
                  return html`<tr data-campaign="${c.slug}">
                    <td>
                      <a href="${campaignBase(ws.slug, c.slug)}">${c.title}</a><br /><span class="muted">${c.artist_name}</span>
                      ${c.status === 'archived' ? html`<span class="tag">archived</span>` : ''}
                    </td>
                    <td>${describeRelease(c)} <span class="tag">${released ? 'released' : 'upcoming'}</span></td>
                    ${o ? cells(o) : html`<td class="n" colspan="5">—</td>`}
                  </tr>`;
                })}
              </tbody>
              <tfoot>
                <tr>
                  <td colspan="2">All campaigns</td>
                  ${cells(d.overview.totals)}
                </tr>
              </tfoot>
            </table></div>
            ${figureHelp()}`
          : html`<p class="empty">No campaigns in this workspace yet. When one is created here, its numbers appear on this page.</p>`
      }
    </section>`;
}
