/**
 * Workspace roles, from least to most: viewer reads; editor also edits campaigns; admin also
 * manages members (never owners); owner can do everything, including deleting the workspace and
 * transferring ownership. A workspace always keeps at least one owner.
 */
export const ROLES = ['viewer', 'editor', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

export function atLeast(role: Role | null | undefined, min: Role): boolean {
  return !!role && roleRank(role) >= roleRank(min);
}

export const canView = (role: Role | null | undefined): boolean => atLeast(role, 'viewer');
export const canEdit = (role: Role | null | undefined): boolean => atLeast(role, 'editor');
export const canManageMembers = (role: Role | null | undefined): boolean => atLeast(role, 'admin');
export const canDeleteWorkspace = (role: Role | null | undefined): boolean => role === 'owner';
export const canTransferOwnership = (role: Role | null | undefined): boolean => role === 'owner';

/** Roles an actor may hand out (by invitation or a role change): admins up to admin, owners any. */
export function assignableRoles(actor: Role | null | undefined): Role[] {
  if (actor === 'owner') return [...ROLES];
  if (actor === 'admin') return ['viewer', 'editor', 'admin'];
  return [];
}

/** Whether an actor may change or remove a member who has `target` role (the last-owner rule is checked apart). */
export function canManageMember(actor: Role | null | undefined, target: Role): boolean {
  if (actor === 'owner') return true;
  return actor === 'admin' && target !== 'owner';
}

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  editor: 'Editor',
  viewer: 'Viewer',
};
