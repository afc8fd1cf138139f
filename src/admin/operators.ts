import { clearKey, throttleKey } from '../accounts/throttle.js';
import { issueToken, revokeTokens } from '../accounts/tokens.js';
import { createUser, findUserByEmail, setInstanceAdmin, setPassword, type User } from '../accounts/users.js';
import { createWorkspace, findWorkspaceBySlug, validateWorkspace, type Workspace } from '../accounts/workspaces.js';
import type { AppContext } from '../context.js';
import { DropdayError, ValidationError } from '../errors.js';

/**
 * What `dropday admin create` and `dropday admin reset-password` do, apart from argument parsing,
 * so tests can run them in-process.
 */
export interface CreateOperatorInput {
  email: string;
  /** null: no password; the result carries a link to set one. */
  password: string | null;
  instanceAdmin: boolean;
  workspace?: { slug: string; name: string };
}

export interface CreateOperatorResult {
  user: User;
  workspace: Workspace | null;
  setPasswordLink: string | null;
}

export async function createOperatorUser(ctx: AppContext, input: CreateOperatorInput): Promise<CreateOperatorResult> {
  const now = ctx.now();
  if (input.workspace) {
    // Check the workspace before creating anything, so a bad or taken slug leaves no half-made user.
    const v = validateWorkspace({ slug: input.workspace.slug, name: input.workspace.name });
    if (await findWorkspaceBySlug(ctx.db, v.slug))
      throw new DropdayError('SLUG_TAKEN', `The address "${v.slug}" is already used by another workspace.`);
  }
  // The operator vouches for the address (and a reset link, if any, goes to it).
  const user = await createUser(
    ctx.db,
    { email: input.email, password: input.password, instanceAdmin: input.instanceAdmin, emailVerified: true },
    now,
  );
  const workspace = input.workspace ? await createWorkspace(ctx.db, input.workspace, user.id, now) : null;
  const setPasswordLink = input.password === null ? await resetLink(ctx, user.id) : null;
  return { user, workspace, setPasswordLink };
}

/** Sets a password (ending every session of the account), or without one returns a 30-minute reset link. */
export async function resetOperatorPassword(
  ctx: AppContext,
  email: string,
  password: string | null,
): Promise<{ user: User; link: string | null }> {
  const user = await findUserByEmail(ctx.db, email);
  if (!user) throw new DropdayError('NOT_FOUND', `There is no account with the email ${email}.`);
  if (password === null) return { user, link: await resetLink(ctx, user.id) };
  await setPassword(ctx.db, user.id, password, ctx.now());
  await revokeTokens(ctx.db, 'reset', user.id);
  await clearKey(ctx.db, 'account', throttleKey('account', user.email));
  return { user, link: null };
}

export async function grantInstanceAdmin(ctx: AppContext, email: string, on: boolean): Promise<User> {
  const user = await findUserByEmail(ctx.db, email);
  if (!user) throw new DropdayError('NOT_FOUND', `There is no account with the email ${email}.`);
  await setInstanceAdmin(ctx.db, user.id, on, ctx.now());
  return { ...user, isInstanceAdmin: on };
}

async function resetLink(ctx: AppContext, userId: number): Promise<string> {
  const config = ctx.config.accounts;
  const token = await issueToken(ctx.db, 'reset', userId, ctx.now(), config.resetTtlMs);
  return `${ctx.config.publicUrl}/reset/${token}`;
}

export function requireEmail(email: unknown): string {
  if (typeof email !== 'string' || !email.trim()) throw new ValidationError({ email: 'is required' });
  return email;
}
