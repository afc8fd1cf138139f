import type { Generated } from 'kysely';

/**
 * Table types for accounts and teams; merged into Database in schema.ts. Same conventions as the
 * rest: epoch-ms bigint times, 0/1 booleans. Secrets (session, reset, invitation tokens) are stored
 * only as SHA-256 hashes.
 */
export interface UserTable {
  id: Generated<number>;
  /** Normalised: trimmed, NFC, lower-case. Unique. */
  email: string;
  /** argon2id PHC string; null until a password is set (a user made by `dropday admin create`). */
  password_hash: string | null;
  is_instance_admin: number;
  /** When the address was proven (migration 014); null: not yet, so it cannot join a workspace. */
  email_verified_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface UserSessionTable {
  token_hash: string;
  user_id: number;
  /** Synchronizer CSRF token for this session (useless without the session cookie). */
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  /** created_at + the absolute timeout; the idle timeout is checked against last_seen_at. */
  expires_at: number;
}

/** Sign-in failures (and reset requests), one row each, counted in a sliding window across processes. */
/** One counter per throttled key (migration 013); see src/accounts/throttle.ts. */
export interface ThrottleTable {
  /** 'account' | 'ip' | 'reset' | 'verify' | 'connect-ip' | 'connect-campaign' | 'push-ip' */
  scope: string;
  key_hash: string;
  count: number;
  reset_at: number;
}

/** Single-use tokens for a user: 'reset' (password reset) and 'login' (operator sign-in link). */
export interface AccountTokenTable {
  token_hash: string;
  kind: string;
  user_id: number;
  expires_at: number;
  created_at: number;
}

export interface WorkspaceTable {
  id: Generated<number>;
  slug: string;
  name: string;
  /** 'artist' | 'label' */
  kind: string;
  created_at: number;
  updated_at: number;
}

export interface WorkspaceMemberTable {
  workspace_id: number;
  user_id: number;
  /** 'owner' | 'admin' | 'editor' | 'viewer' */
  role: string;
  created_at: number;
  updated_at: number;
}

export interface WorkspaceInvitationTable {
  id: Generated<number>;
  workspace_id: number;
  email: string;
  role: string;
  token_hash: string;
  invited_by: number | null;
  expires_at: number;
  created_at: number;
}

export interface AccountsTables {
  users: UserTable;
  user_sessions: UserSessionTable;
  throttles: ThrottleTable;
  account_tokens: AccountTokenTable;
  workspaces: WorkspaceTable;
  workspace_members: WorkspaceMemberTable;
  workspace_invitations: WorkspaceInvitationTable;
}

declare module './schema.js' {
  interface CampaignTable {
    /** The owning workspace; null for campaigns made from the CLI (visible to instance admins only). */
    workspace_id: number | null;
  }
}
