import type { Db } from '../db/index.js';
import { DropdayError, ValidationError } from '../errors.js';
import { randomToken, sha256b64url } from '../util/random.js';
import { emailProblem, normaliseEmail } from './emails.js';
import { assignableRoles, isRole, type Role } from './roles.js';
import { roleOf, toWorkspace, type Workspace } from './workspaces.js';

/**
 * Invitations: a single-use link (256 random bits, stored hashed) for one email address and one
 * role. Accepting requires being signed in with exactly that address. Inviting the same address
 * again replaces the earlier link.
 */
export interface Invitation {
  id: number;
  workspace: Workspace;
  email: string;
  role: Role;
  expiresAt: number;
  createdAt: number;
}

export interface PendingInvitation {
  id: number;
  email: string;
  role: Role;
  expiresAt: number;
}

export async function createInvitation(
  db: Db,
  ws: Workspace,
  actor: { userId: number; role: Role },
  input: { email?: string; role?: string },
  now: number,
  ttlMs: number,
): Promise<{ token: string; email: string; role: Role }> {
  const email = normaliseEmail(input.email ?? '');
  const role = input.role ?? 'viewer';
  const problems: Record<string, string> = {};
  const ep = emailProblem(email);
  if (ep) problems.email = ep;
  if (!isRole(role)) problems.role = 'choose owner, admin, editor or viewer';
  if (Object.keys(problems).length) throw new ValidationError(problems);
  if (!assignableRoles(actor.role).includes(role as Role)) {
    throw new DropdayError(
      'FORBIDDEN',
      role === 'owner' ? 'Only an owner can invite an owner.' : 'You cannot invite members to this workspace.',
    );
  }
  const existing = await db
    .selectFrom('workspace_members')
    .innerJoin('users', 'users.id', 'workspace_members.user_id')
    .select('users.id')
    .where('workspace_members.workspace_id', '=', ws.id)
    .where('users.email', '=', email)
    .executeTakeFirst();
  if (existing) throw new ValidationError({ email: 'this person is already a member' });
  const token = randomToken(32);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('workspace_invitations').where('workspace_id', '=', ws.id).where('email', '=', email).execute();
    await trx
      .insertInto('workspace_invitations')
      .values({
        workspace_id: ws.id,
        email,
        role,
        token_hash: sha256b64url(token),
        invited_by: actor.userId,
        expires_at: now + ttlMs,
        created_at: now,
      })
      .execute();
  });
  await db.deleteFrom('workspace_invitations').where('expires_at', '<', now).execute();
  return { token, email, role: role as Role };
}

export async function findInvitation(db: Db, token: string, now: number): Promise<Invitation | null> {
  if (!token || token.length > 100) return null;
  const row = await db
    .selectFrom('workspace_invitations')
    .innerJoin('workspaces', 'workspaces.id', 'workspace_invitations.workspace_id')
    .selectAll('workspaces')
    .select([
      'workspace_invitations.id as invitation_id',
      'workspace_invitations.email',
      'workspace_invitations.role',
      'workspace_invitations.expires_at',
      'workspace_invitations.created_at as invited_at',
    ])
    .where('workspace_invitations.token_hash', '=', sha256b64url(token))
    .executeTakeFirst();
  if (!row || row.expires_at <= now || !isRole(row.role)) return null;
  return {
    id: Number(row.invitation_id),
    workspace: toWorkspace(row),
    email: row.email,
    role: row.role,
    expiresAt: row.expires_at,
    createdAt: row.invited_at,
  };
}

/** Why an account whose address is not proven yet cannot join (shown on the invitation page too). */
export const CONFIRM_FIRST = 'Confirm your email address first: open the link we sent to it, then come back to this invitation.';

/**
 * Accepts an invitation for a signed-in user whose email matches and is proven (verification.ts):
 * holding the link is not enough, since links get forwarded and anyone may sign up with any
 * address. The invitation is consumed (DELETE … RETURNING) so it works once. Someone who is
 * already a member keeps their current role.
 */
export async function acceptInvitation(
  db: Db,
  token: string,
  user: { id: number; email: string; emailVerified: boolean },
  now: number,
): Promise<{ workspace: Workspace; role: Role }> {
  const inv = await findInvitation(db, token, now);
  if (!inv) throw new DropdayError('NOT_FOUND', 'This invitation is not valid, was already used, or has expired. Ask for a new one.');
  if (normaliseEmail(user.email) !== inv.email) {
    throw new DropdayError('FORBIDDEN', `This invitation is for ${inv.email}. Sign out, then sign in or sign up with that address.`);
  }
  if (!user.emailVerified) throw new DropdayError('FORBIDDEN', CONFIRM_FIRST);
  return db.transaction().execute(async (trx) => {
    const used = await trx
      .deleteFrom('workspace_invitations')
      .where('token_hash', '=', sha256b64url(token))
      .returning('id')
      .executeTakeFirst();
    if (!used) throw new DropdayError('NOT_FOUND', 'This invitation was already used.');
    const current = await roleOf(trx, inv.workspace.id, user.id);
    if (!current) {
      await trx
        .insertInto('workspace_members')
        .values({ workspace_id: inv.workspace.id, user_id: user.id, role: inv.role, created_at: now, updated_at: now })
        .execute();
      return { workspace: inv.workspace, role: inv.role };
    }
    return { workspace: inv.workspace, role: current };
  });
}

/** Whether some workspace is waiting for this email to join (for SIGNUP=invite). */
export async function hasPendingInvitation(db: Db, email: string, now: number): Promise<boolean> {
  const row = await db
    .selectFrom('workspace_invitations')
    .select('id')
    .where('email', '=', normaliseEmail(email))
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return !!row;
}

export async function pendingInvitations(db: Db, workspaceId: number, now: number): Promise<PendingInvitation[]> {
  const rows = await db
    .selectFrom('workspace_invitations')
    .select(['id', 'email', 'role', 'expires_at'])
    .where('workspace_id', '=', workspaceId)
    .where('expires_at', '>', now)
    .orderBy('email')
    .execute();
  return rows.map((r) => ({ id: Number(r.id), email: r.email, role: isRole(r.role) ? r.role : 'viewer', expiresAt: r.expires_at }));
}

export async function revokeInvitation(db: Db, workspaceId: number, invitationId: number): Promise<void> {
  const r = await db
    .deleteFrom('workspace_invitations')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', invitationId)
    .executeTakeFirst();
  if (!Number(r.numDeletedRows)) throw new DropdayError('NOT_FOUND', 'There is no such invitation.');
}
