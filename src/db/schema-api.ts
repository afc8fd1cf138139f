import type { Generated } from 'kysely';

/** The REST API: keys and idempotent answers (migration 023; docs/api.md). */

export interface ApiKeyTable {
  id: Generated<number>;
  workspace_id: number;
  prefix: string;
  secret_hash: string;
  name: string;
  /** JSON list of ApiScope. */
  scopes: string;
  created_by_user_id: number | null;
  /** 'settings' | 'cli' | 'api' */
  created_via: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface ApiIdempotencyTable {
  key_id: number;
  idem_key: string;
  method: string;
  path: string;
  body_hash: string;
  status: number | null;
  response: string | null;
  created_at: number;
  expires_at: number;
}

export interface ApiTables {
  api_keys: ApiKeyTable;
  api_idempotency: ApiIdempotencyTable;
}
