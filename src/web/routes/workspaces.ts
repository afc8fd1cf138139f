import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { acceptInvitation, createInvitation, findInvitation, pendingInvitations, revokeInvitation } from '../../accounts/invitations.js';
import { ROLE_LABELS } from '../../accounts/roles.js';
import {
  changeRole,
  createWorkspace,
  deleteWorkspace,
  listMembers,
  removeMember,
  renameWorkspace,
  transferOwnership,
  workspacesOf,
} from '../../accounts/workspaces.js';
import { DropdayError } from '../../errors.js';
import { formFields } from '../form-fields.js';
import { requireRole, requireUser, userOf, workspaceOf, type AuthRuntime } from '../auth-hooks.js';
import { sendPage } from '../views/auth/shell.js';
import { invitePage, membersPage, workspacesPage, type InviteLink } from '../views/auth/workspaces.js';
import { workspaceApiKeyRoutes } from './workspace-api-keys.js';

type Form = Record<string, unknown>;
const str = (v: unknown, max = 1000): string => (typeof v === 'string' ? v.slice(0, max) : '');
/** The form's fields, type-checked (a 400 naming the field otherwise): none of these forms repeats a field. */
const body = (req: FastifyRequest): Form => formFields(req.body);
const idParam = (v: string): number => {
  if (!/^\d{1,15}$/.test(v)) throw new DropdayError('NOT_FOUND');
  return Number(v);
};

/** What a finished action says on the next page (fixed texts: nothing from the request is reflected). */
const DONE: Record<string, string> = {
  invited: 'Invitation sent by mail.',
  revoked: 'Invitation withdrawn.',
  role: 'Role changed.',
  removed: 'Member removed.',
  transferred: 'Ownership transferred: you are now an admin.',
  renamed: 'Workspace renamed.',
  joined: 'Welcome! You have joined this workspace.',
  created: 'Workspace created. Invite your team below.',
};

type WsParams = { Params: { workspace: string } };
type MemberParams = { Params: { workspace: string; userId: string } };

/** Workspaces, members (with role rules) and invitations. Every route states the role it needs. */
export function workspaceRoutes(app: FastifyInstance, rt: AuthRuntime): void {
  const { db, ctx } = rt;
  workspaceApiKeyRoutes(app, rt);

  async function renderMembers(
    req: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: Record<string, string>; message?: string; inviteValues?: Form; inviteLink?: InviteLink } = {},
    status = 200,
  ) {
    const { workspace, role, user } = workspaceOf(req);
    const done = str((req.query as Form | undefined)?.done, 20);
    return sendPage(
      req,
      reply,
      {
        title: `${workspace.name} — members`,
        body: membersPage(req, {
          workspace,
          role,
          operator: req.operatorAccess,
          userId: user.id,
          members: await listMembers(db, workspace.id),
          invitations: await pendingInvitations(db, workspace.id, ctx.now()),
          notice: DONE[done] ?? null,
          ...(extra.errors ? { errors: extra.errors } : {}),
          ...(extra.message ? { message: extra.message } : {}),
          ...(extra.inviteLink ? { inviteLink: extra.inviteLink } : {}),
          ...(extra.inviteValues
            ? { inviteValues: { email: str(extra.inviteValues.email, 254), role: str(extra.inviteValues.role, 20) } }
            : {}),
        }),
      },
      status,
    );
  }

  /** Validation problems re-render the members page with the messages; other errors go to the error page. */
  async function membersAction(req: FastifyRequest, reply: FastifyReply, action: () => Promise<string | FastifyReply>) {
    try {
      const done = await action();
      if (typeof done !== 'string') return done;
      return reply.redirect(`/w/${req.workspace!.slug}/members?done=${done}`, 303);
    } catch (err) {
      if (err instanceof DropdayError && err.code === 'VALIDATION') {
        return renderMembers(req, reply, { errors: err.details ?? {}, message: err.message, inviteValues: body(req) }, 400);
      }
      throw err;
    }
  }

  app.get('/workspaces', { preHandler: requireUser }, async (req, reply) => {
    const list = await workspacesOf(db, userOf(req));
    return sendPage(req, reply, { title: 'Workspaces', body: workspacesPage(req, { list }) });
  });

  app.post('/workspaces', { preHandler: requireUser }, async (req, reply) => {
    const user = userOf(req);
    const b = body(req);
    const values = { name: str(b.name, 200), slug: str(b.slug, 100), kind: str(b.kind, 20) };
    try {
      const ws = await createWorkspace(db, values, user.id, ctx.now());
      return reply.redirect(`/w/${ws.slug}/members?done=created`, 303);
    } catch (err) {
      if (!(err instanceof DropdayError) || (err.code !== 'VALIDATION' && err.code !== 'SLUG_TAKEN')) throw err;
      const list = await workspacesOf(db, user);
      return sendPage(
        req,
        reply,
        { title: 'Workspaces', body: workspacesPage(req, { list, values, errors: err.details ?? {}, message: err.message }) },
        err.status,
      );
    }
  });

  app.get<WsParams>('/w/:workspace/members', { preHandler: requireRole('viewer') }, async (req, reply) => renderMembers(req, reply));

  app.post<WsParams>('/w/:workspace/invitations', { preHandler: requireRole('admin') }, async (req, reply) =>
    membersAction(req, reply, async () => {
      const { workspace, role, user } = workspaceOf(req);
      const b = body(req);
      const now = ctx.now();
      const inv = await createInvitation(
        db,
        workspace,
        { userId: user.id, role },
        { email: str(b.email, 300), role: str(b.role, 20) },
        now,
        rt.config.inviteTtlMs,
      );
      const link = `${rt.config.publicUrl}/invite/${inv.token}`;
      // Awaited, so the page says what really happened to the mail.
      const mailed = await rt.mailer
        .send({
          to: inv.email,
          subject: `You are invited to ${workspace.name} on Dropday`,
          link,
          text:
            `${user.email} invited you to join “${workspace.name}” on Dropday as ${ROLE_LABELS[inv.role]}.\n\n` +
            `Accept here (sign in or create an account with ${inv.email}); the link works once:\n${link}\n`,
        })
        .then(
          () => rt.mailer.kind === 'smtp',
          (err: unknown) => {
            rt.log.error({ err }, 'could not send the invitation mail');
            return false;
          },
        );
      if (mailed) return 'invited';
      // No mail went out: the admin gets the link to pass on, and the reason (shown once, never in a URL).
      const reason = rt.mailer.kind === 'log' ? 'no-smtp' : 'failed';
      return renderMembers(req, reply, { inviteLink: { email: inv.email, link, expiresAt: now + rt.config.inviteTtlMs, reason } });
    }),
  );

  app.post<{ Params: { workspace: string; id: string } }>(
    '/w/:workspace/invitations/:id/revoke',
    { preHandler: requireRole('admin') },
    async (req, reply) =>
      membersAction(req, reply, async () => {
        await revokeInvitation(db, workspaceOf(req).workspace.id, idParam(req.params.id));
        return 'revoked';
      }),
  );

  app.post<MemberParams>('/w/:workspace/members/:userId/role', { preHandler: requireRole('admin') }, async (req, reply) =>
    membersAction(req, reply, async () => {
      const { workspace, role, user } = workspaceOf(req);
      const target = idParam(req.params.userId);
      if (target === user.id) throw new DropdayError('FORBIDDEN', 'You cannot change your own role; ask another owner or admin.');
      await changeRole(db, workspace, { userId: user.id, role }, target, str(body(req).role, 20), ctx.now());
      return 'role';
    }),
  );

  app.post<MemberParams>('/w/:workspace/members/:userId/remove', { preHandler: requireRole('admin') }, async (req, reply) =>
    membersAction(req, reply, async () => {
      const { workspace, role, user } = workspaceOf(req);
      await removeMember(db, workspace, { userId: user.id, role }, idParam(req.params.userId));
      return 'removed';
    }),
  );

  app.post<WsParams>('/w/:workspace/leave', { preHandler: requireRole('viewer') }, async (req, reply) => {
    const { workspace, role, user } = workspaceOf(req);
    if (req.operatorAccess) throw new DropdayError('NOT_FOUND', 'You are not a member of this workspace.');
    await removeMember(db, workspace, { userId: user.id, role }, user.id);
    return reply.redirect('/workspaces', 303);
  });

  app.post<WsParams>('/w/:workspace/rename', { preHandler: requireRole('admin') }, async (req, reply) =>
    membersAction(req, reply, async () => {
      await renameWorkspace(db, workspaceOf(req).workspace, str(body(req).name, 200), ctx.now());
      return 'renamed';
    }),
  );

  app.post<WsParams>('/w/:workspace/transfer', { preHandler: requireRole('owner') }, async (req, reply) =>
    membersAction(req, reply, async () => {
      const { workspace, user } = workspaceOf(req);
      await transferOwnership(db, workspace, user.id, idParam(str(body(req).userId, 20)), ctx.now());
      return 'transferred';
    }),
  );

  app.post<WsParams>('/w/:workspace/delete', { preHandler: requireRole('owner') }, async (req, reply) => {
    const { workspace } = workspaceOf(req);
    if (str(body(req).confirm, 100).trim().toLowerCase() !== workspace.slug) {
      return renderMembers(req, reply, { errors: { confirm: `type ${workspace.slug} to confirm` } }, 400);
    }
    await deleteWorkspace(db, workspace, ctx.now());
    return reply.redirect('/workspaces', 303);
  });

  // The token is in the path: keep these requests out of the access log, and out of Referer headers.
  app.get<{ Params: { token: string } }>('/invite/:token', { logLevel: 'warn' }, async (req, reply) => {
    reply.header('Referrer-Policy', 'no-referrer');
    const invitation = await findInvitation(db, req.params.token, ctx.now());
    const sent = str((req.query as Form | undefined)?.sent, 2) === '1';
    return sendPage(
      req,
      reply,
      { title: 'Invitation', body: invitePage(req, req.params.token, { invitation, sent }) },
      invitation ? 200 : 404,
    );
  });

  app.post<{ Params: { token: string } }>('/invite/:token', { logLevel: 'warn', preHandler: requireUser }, async (req, reply) => {
    reply.header('Referrer-Policy', 'no-referrer');
    const { workspace } = await acceptInvitation(db, req.params.token, userOf(req), ctx.now());
    return reply.redirect(`/w/${workspace.slug}/members?done=joined`, 303);
  });
}
