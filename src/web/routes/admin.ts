import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { endSession, isValidSession, redeemLoginToken, SESSION_TTL_MS } from '../../admin/sessions.js';
import { listCampaigns } from '../../campaigns/repo.js';
import { describeInstant } from '../../campaigns/timing.js';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { campaignStatusCounts } from '../../presaves/repo.js';
import { html } from '../html.js';
import { layout } from '../views/layout.js';

const SESSION_COOKIE = 'dropday_admin';

/** A read-only operator overview. Full workspaces with accounts and roles come later. */
export function adminRoutes(app: FastifyInstance, ctx: AppContext): void {
  const secure = ctx.config.publicUrl.startsWith('https:');
  const page = (req: FastifyRequest, reply: FastifyReply, title: string, body: ReturnType<typeof html>) =>
    reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .send(layout({ title, nonce: req.cspNonce, body }).value);

  app.get<{ Querystring: { token?: string } }>('/admin/login', async (req, reply) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const session = token ? await redeemLoginToken(ctx.db, token, ctx.now()) : null;
    if (!session)
      throw new DropdayError(
        'UNAUTHORIZED',
        'This sign-in link is not valid, was already used, or has expired. Run `npx dropday admin login-link` for a new one.',
      );
    reply.setCookie(SESSION_COOKIE, session, { path: '/admin', httpOnly: true, sameSite: 'strict', secure, maxAge: SESSION_TTL_MS / 1000 });
    return reply.redirect('/admin', 303);
  });

  app.post('/admin/logout', async (req, reply) => {
    const origin = req.headers.origin;
    if (origin && origin !== new URL(ctx.config.publicUrl).origin) throw new DropdayError('CSRF');
    await endSession(ctx.db, req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/admin' });
    return reply.redirect('/admin', 303);
  });

  app.get('/admin', async (req, reply) => {
    const now = ctx.now();
    if (!(await isValidSession(ctx.db, req.cookies[SESSION_COOKIE], now))) {
      return page(
        req,
        reply.code(401),
        'Sign in — Dropday',
        html`<div class="card">
          <h1>Sign in</h1>
          <p>Run this on the server to get a one-time sign-in link:</p>
          <p><code>npx dropday admin login-link</code></p>
        </div>`,
      );
    }
    const campaigns = await listCampaigns(ctx.db);
    const rows = [];
    for (const c of campaigns) {
      const s = await campaignStatusCounts(ctx.db, c.id, now);
      rows.push(
        html`<tr>
          <td><a href="/${c.slug}">${c.slug}</a>${c.is_demo ? ' (demo)' : ''}</td>
          <td>${c.artist_name} — ${c.title}</td>
          <td>${describeInstant(c.first_release_at, c.release_timezone)} · ${c.timing}</td>
          <td>${s.total}</td>
          <td>${s.pending}</td>
          <td>${s.saved}</td>
          <td>${s.failed}</td>
        </tr>`,
      );
    }
    return page(
      req,
      reply,
      'Campaigns — Dropday',
      html`<h1>Campaigns</h1>
        <table>
          <thead>
            <tr>
              <th>Link</th>
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
        <form method="post" action="/admin/logout"><button class="btn" type="submit">Sign out</button></form>`,
    );
  });
}
