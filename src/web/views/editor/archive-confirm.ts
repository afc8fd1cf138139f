import type { FastifyRequest } from 'fastify';
import type { Workspace } from '../../../accounts/workspaces.js';
import type { Campaign } from '../../../campaigns/repo.js';
import { csrfField } from '../../csrf.js';
import { html, type SafeHtml } from '../../html.js';
import { noticeBox } from '../auth/shell.js';

/** "12 pending pre-saves" / "1 pending pre-save". */
export function pendingPresaves(n: number): string {
  return `${n} pending pre-save${n === 1 ? '' : 's'}`;
}

/**
 * The step before archiving (a page, so it works without JavaScript): what archiving does to this
 * campaign, with the number of fans' pre-saves it cancels. The count goes back with the form; if
 * more fans pre-saved meanwhile, the artist is asked again with the new number.
 */
export function archiveConfirmPage(
  req: FastifyRequest,
  d: { workspace: Workspace; campaign: Campaign; pending: number; changed: boolean },
): SafeHtml {
  const base = `/w/${d.workspace.slug}/campaigns/${d.campaign.slug}`;
  const what = d.pending
    ? `${pendingPresaves(d.pending)} will be cancelled and the public page will say the campaign has ended.`
    : 'No pre-saves are pending. The public page will say the campaign has ended.';
  return html`<section class="panel" id="archive-confirm">
    <h1>Archive “${d.campaign.title}”?</h1>
    ${noticeBox(d.changed ? 'More fans pre-saved since you asked: the number below is the new one.' : null)}
    <p class="warn" role="alert" data-pending="${d.pending}">Archive? ${what}</p>
    <p class="hint">Numbers stay on the dashboard. An editor can restore the campaign later, but cancelled pre-saves stay cancelled.</p>
    <form method="post" action="${base}/archive">
      ${csrfField(req)}<input type="hidden" name="confirm" value="yes" /><input type="hidden" name="pending" value="${d.pending}" />
      <button class="btn small danger" type="submit">${d.pending ? `Archive and cancel ${pendingPresaves(d.pending)}` : 'Archive'}</button>
      <a href="${base}/edit">Keep the campaign</a>
    </form>
  </section>`;
}
