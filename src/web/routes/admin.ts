import type { FastifyInstance } from 'fastify';
import { redeemLoginToken } from '../../admin/sessions.js';
import { listCampaigns } from '../../campaigns/repo.js';
import { describeRelease } from '../../campaigns/timing.js';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { campaignStatusCounts } from '../../presaves/repo.js';
import { requireInstanceAdmin, startSession } from '../auth-hooks.js';
import { html } from '../html.js';
import { sendPage } from '../views/auth/shell.js';
import { workspaceHome } from '../views/auth/workspaces.js';

/**
 * The instance operators' overview: every campaign (those made from the CLI have no workspace and
 * are seen only here) and every workspace. Only signed-in instance admins get in; operators are
 * made with `dropday admin create`, and `dropday admin login-link` prints a one-time sign-in link.
 */
export function adminRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: { token?: string } }>('/admin/login', { logLevel: 'warn' }, async (req, reply) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const userId = token ? await redeemLoginToken(ctx.db, token, ctx.now()) : null;
    if (userId === null) {
      throw new DropdayError(
        'UNAUTHORIZED',
        'This sign-in link is not valid, was already used, or has expired. Run `npx dropday admin login-link` for a new one, or sign in at /login.',
      );
    }
    await startSession(req, reply, userId);
    return reply.header('Referrer-Policy', 'no-referrer').redirect('/admin', 303);
  });

  app.get('/admin', { preHandler: requireInstanceAdmin }, async (req, reply) => {
    const now = ctx.now();
    const workspaces = await ctx.db
      .selectFrom('workspaces')
      .leftJoin('workspace_members', 'workspace_members.workspace_id', 'workspaces.id')
      .select(['workspaces.id', 'workspaces.slug', 'workspaces.name', 'workspaces.kind'])
      .select((eb) => eb.fn.count<number | string>('workspace_members.user_id').as('members'))
      .groupBy(['workspaces.id', 'workspaces.slug', 'workspaces.name', 'workspaces.kind'])
      .orderBy('workspaces.name')
      .execute();
    const wsName = new Map(workspaces.map((w) => [Number(w.id), w]));
    const wsOfCampaign = new Map(
      (await ctx.db.selectFrom('campaigns').select(['id', 'workspace_id']).execute()).map((r) => [
        Number(r.id),
        r.workspace_id === null ? null : Number(r.workspace_id),
      ]),
    );
    const rows = [];
    for (const c of await listCampaigns(ctx.db)) {
      const s = await campaignStatusCounts(ctx.db, c.id, now);
      const wsId = wsOfCampaign.get(c.id) ?? null;
      const ws = wsId === null ? null : wsName.get(wsId);
      rows.push(
        html`<tr>
          <td><a href="/${c.slug}">${c.slug}</a>${c.is_demo ? ' (demo)' : ''}</td>
          <td>${ws ? html`<a href="${workspaceHome(ws.slug)}">${ws.name}</a>` : html`<span class="muted">operators</span>`}</td>
          <td>${c.artist_name} — ${c.title}</td>
          <td>${describeRelease(c)}</td>
          <td>${s.total}</td>
          <td>${s.pending}</td>
          <td>${s.saved}</td>
          <td>${s.failed}</td>
        </tr>`,
      );
    }
    return sendPage(req, reply, {
      title: 'Operator overview',
      body: html`<section class="panel">
          <h1>Campaigns</h1>
          <table>
            <thead>
              <tr>
                <th>Link</th>
                <th>Workspace</th>
                <th>Release</th>
                <th>Out</th>
                <th>Pre-saves</th>
                <th>Pending</th>
                <th>Saved</th>
                <th>Failed</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>
        </section>
        <section class="panel">
          <h2>Workspaces</h2>
          ${
            workspaces.length
              ? html`<table>
                <tbody>
                  ${workspaces.map(
                    (w) => html`<tr>
                      <td><a href="${workspaceHome(w.slug)}">${w.name}</a></td>
                      <td>${w.kind}</td>
                      <td>${Number(w.members)} member${Number(w.members) === 1 ? '' : 's'}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>`
              : html`<p class="muted">No workspaces yet.</p>`
          }
        </section>`,
    });
  });
}
