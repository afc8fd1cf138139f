import type { Selectable } from 'kysely';
import type { Db } from '../db/index.js';
import type { WorkspaceTable } from '../db/schema-accounts.js';
import { DropdayError, ValidationError } from '../errors.js';
import { isUniqueViolation } from '../util/db-errors.js';
import { nameProblem, normalizeName } from '../util/text.js';
import { assignableRoles, canManageMember, isRole, type Role } from './roles.js';
import { workspaceAudience } from '../reach/audience.js';
import { stopForeverSavesOfAudience } from '../reach/forever/store.js';

export type WorkspaceKind = 'artist' | 'label';

export interface Workspace {
  id: number;
  slug: string;
  name: string;
  kind: WorkspaceKind;
  createdAt: number;
}

export interface Member {
  userId: number;
  email: string;
  role: Role;
  since: number;
}

export function toWorkspace(row: Selectable<WorkspaceTable>): Workspace {
  return { id: Number(row.id), slug: row.slug, name: row.name, kind: row.kind === 'label' ? 'label' : 'artist', createdAt: row.created_at };
}

const RESERVED = new Set(['new', 'admin', 'api', 'settings', 'workspaces']);

export function isValidWorkspaceSlug(slug: string): boolean {
  return /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/.test(slug) && !RESERVED.has(slug);
}

function workspaceNameProblem(name: string): string | null {
  if (!name) return 'enter a name';
  if (name.length > 100) return 'use at most 100 characters';
  return nameProblem(name);
}

export function validateWorkspace(input: { slug?: string; name?: string; kind?: string }): {
  slug: string;
  name: string;
  kind: WorkspaceKind;
} {
  const problems: Record<string, string> = {};
  const slug = (input.slug ?? '').trim().toLowerCase();
  const name = normalizeName(input.name ?? '');
  const kind = (input.kind ?? 'artist').trim() || 'artist';
  if (!isValidWorkspaceSlug(slug)) {
    problems.slug = RESERVED.has(slug)
      ? `"${slug}" is reserved`
      : 'use 1–40 lower-case letters, digits and hyphens, not starting or ending with a hyphen';
  }
  const nameIssue = workspaceNameProblem(name);
  if (nameIssue) problems.name = nameIssue;
  if (kind !== 'artist' && kind !== 'label') problems.kind = 'choose artist or label';
  if (Object.keys(problems).length) throw new ValidationError(problems);
  return { slug, name, kind: kind as WorkspaceKind };
}

/** Creates a workspace with `ownerId` as its first owner. */
export async function createWorkspace(
  db: Db,
  input: { slug?: string; name?: string; kind?: string },
  ownerId: number,
  now: number,
): Promise<Workspace> {
  const v = validateWorkspace(input);
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('workspaces')
        .values({ ...v, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('workspace_members')
        .values({ workspace_id: row.id, user_id: ownerId, role: 'owner', created_at: now, updated_at: now })
        .execute();
      return toWorkspace(row);
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new DropdayError('SLUG_TAKEN', `The address "${v.slug}" is already used by another workspace.`, { slug: 'already taken' });
    throw err;
  }
}

export async function findWorkspaceBySlug(db: Db, slug: string): Promise<Workspace | null> {
  if (!isValidWorkspaceSlug(slug)) return null;
  const row = await db.selectFrom('workspaces').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? toWorkspace(row) : null;
}

export async function roleOf(db: Db, workspaceId: number, userId: number): Promise<Role | null> {
  const row = await db
    .selectFrom('workspace_members')
    .select('role')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row && isRole(row.role) ? row.role : null;
}

/** The workspaces a user belongs to, with their role; for an instance admin, every workspace (role null where not a member). */
export async function workspacesOf(
  db: Db,
  user: { id: number; isInstanceAdmin: boolean },
): Promise<{ workspace: Workspace; role: Role | null }[]> {
  const mine = await db
    .selectFrom('workspace_members')
    .innerJoin('workspaces', 'workspaces.id', 'workspace_members.workspace_id')
    .selectAll('workspaces')
    .select('workspace_members.role')
    .where('workspace_members.user_id', '=', user.id)
    .orderBy('workspaces.name')
    .execute();
  const out = mine.map((r) => ({ workspace: toWorkspace(r), role: isRole(r.role) ? r.role : null }));
  if (user.isInstanceAdmin) {
    const seen = new Set(out.map((o) => o.workspace.id));
    const all = await db.selectFrom('workspaces').selectAll().orderBy('name').execute();
    for (const r of all) if (!seen.has(Number(r.id))) out.push({ workspace: toWorkspace(r), role: null });
  }
  return out;
}

export async function listMembers(db: Db, workspaceId: number): Promise<Member[]> {
  const rows = await db
    .selectFrom('workspace_members')
    .innerJoin('users', 'users.id', 'workspace_members.user_id')
    .select(['users.id', 'users.email', 'workspace_members.role', 'workspace_members.created_at'])
    .where('workspace_members.workspace_id', '=', workspaceId)
    .orderBy('users.email')
    .execute();
  return rows.map((r) => ({ userId: Number(r.id), email: r.email, role: isRole(r.role) ? r.role : 'viewer', since: r.created_at }));
}

async function ownerCount(db: Db, workspaceId: number): Promise<number> {
  const r = await db
    .selectFrom('workspace_members')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Takes the workspace's write lock (a no-op UPDATE: a row lock on PostgreSQL, the write lock on
 * SQLite), so two owners demoting each other at once cannot leave the workspace without one.
 */
async function lockWorkspace(db: Db, workspaceId: number): Promise<void> {
  await db
    .updateTable('workspaces')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', workspaceId)
    .execute();
}

const LAST_OWNER = 'A workspace needs at least one owner: make someone else owner first.';

/**
 * Changes a member's role. Admins manage viewers, editors and admins; only owners touch owners or
 * make someone owner; the last owner cannot be downgraded.
 */
export async function changeRole(
  db: Db,
  ws: Workspace,
  actor: { userId: number; role: Role },
  targetUserId: number,
  newRole: string,
  now: number,
): Promise<void> {
  if (!isRole(newRole)) throw new ValidationError({ role: 'choose owner, admin, editor or viewer' });
  await db.transaction().execute(async (trx) => {
    await lockWorkspace(trx, ws.id);
    const current = await roleOf(trx, ws.id, targetUserId);
    if (!current) throw new DropdayError('NOT_FOUND', 'This person is not a member of the workspace.');
    if (!canManageMember(actor.role, current) || !assignableRoles(actor.role).includes(newRole)) {
      throw new DropdayError('FORBIDDEN', actor.role === 'admin' ? 'Only an owner can change owners or make someone owner.' : undefined);
    }
    if (current === 'owner' && newRole !== 'owner' && (await ownerCount(trx, ws.id)) <= 1) throw new DropdayError('FORBIDDEN', LAST_OWNER);
    await trx
      .updateTable('workspace_members')
      .set({ role: newRole, updated_at: now })
      .where('workspace_id', '=', ws.id)
      .where('user_id', '=', targetUserId)
      .execute();
  });
}

/** Removes a member (or, when actor and target are the same person, leaves). The last owner cannot go. */
export async function removeMember(db: Db, ws: Workspace, actor: { userId: number; role: Role }, targetUserId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockWorkspace(trx, ws.id);
    const current = await roleOf(trx, ws.id, targetUserId);
    if (!current) throw new DropdayError('NOT_FOUND', 'This person is not a member of the workspace.');
    const self = targetUserId === actor.userId;
    if (!self && !canManageMember(actor.role, current)) {
      throw new DropdayError('FORBIDDEN', actor.role === 'admin' ? 'Only an owner can remove an owner.' : undefined);
    }
    if (current === 'owner' && (await ownerCount(trx, ws.id)) <= 1) throw new DropdayError('FORBIDDEN', LAST_OWNER);
    await trx.deleteFrom('workspace_members').where('workspace_id', '=', ws.id).where('user_id', '=', targetUserId).execute();
  });
}

/** An owner hands ownership to another member and becomes an admin. */
export async function transferOwnership(db: Db, ws: Workspace, ownerId: number, toUserId: number, now: number): Promise<void> {
  if (ownerId === toUserId) throw new ValidationError({ member: 'choose another member' });
  await db.transaction().execute(async (trx) => {
    await lockWorkspace(trx, ws.id);
    if ((await roleOf(trx, ws.id, ownerId)) !== 'owner') throw new DropdayError('FORBIDDEN', 'Only an owner can transfer ownership.');
    if (!(await roleOf(trx, ws.id, toUserId))) throw new DropdayError('NOT_FOUND', 'This person is not a member of the workspace.');
    await trx
      .updateTable('workspace_members')
      .set({ role: 'owner', updated_at: now })
      .where('workspace_id', '=', ws.id)
      .where('user_id', '=', toUserId)
      .execute();
    await trx
      .updateTable('workspace_members')
      .set({ role: 'admin', updated_at: now })
      .where('workspace_id', '=', ws.id)
      .where('user_id', '=', ownerId)
      .execute();
  });
}

/**
 * Deletes a workspace with its members and invitations. Its campaigns are not deleted: fans'
 * pre-saves must still be fulfilled, so they pass to the instance operators (workspace_id null).
 * Its forever saves stop.
 */
export async function deleteWorkspace(db: Db, ws: Workspace, now: number = Date.now()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Its forever saves can save nothing more: stopped, so their grants can be let go (reach/forever).
    await stopForeverSavesOfAudience(trx, workspaceAudience(ws.id), now);
    await trx.updateTable('campaigns').set({ workspace_id: null }).where('workspace_id', '=', ws.id).execute();
    await trx.deleteFrom('workspace_invitations').where('workspace_id', '=', ws.id).execute();
    await trx.deleteFrom('workspace_members').where('workspace_id', '=', ws.id).execute();
    await trx.deleteFrom('workspaces').where('id', '=', ws.id).execute();
  });
}

export async function renameWorkspace(db: Db, ws: Workspace, name: string, now: number): Promise<void> {
  const n = normalizeName(name);
  const problem = workspaceNameProblem(n);
  if (problem) throw new ValidationError({ name: problem });
  await db.updateTable('workspaces').set({ name: n, updated_at: now }).where('id', '=', ws.id).execute();
}
