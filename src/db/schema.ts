import type { Generated } from 'kysely';
import type { AccountsTables } from './schema-accounts.js';
import type { AnalyticsTables } from './schema-analytics.js';
import type { EditorTables } from './schema-editor.js';
import type { LinksTables } from './schema-links.js';
import type { PagesTables } from './schema-pages.js';
import type { ReachTables } from './schema-reach.js';
import type { GrowthTables } from './schema-growth.js';
import type { ApiTables } from './schema-api.js';
import type { WebhookTables } from './schema-webhooks.js';
import type { ConversionTables } from './schema-conversions.js';

/**
 * Table types for Kysely. Conventions that keep one query codebase working on SQLite and
 * PostgreSQL: times are epoch milliseconds (bigint), booleans are 0/1 integers, lists are JSON text.
 */
export interface CampaignTable {
  id: Generated<number>;
  slug: string;
  artist_name: string;
  title: string;
  release_type: string;
  artwork_url: string | null;
  upc: string | null;
  isrcs: string;
  /** Wall-clock release time, `YYYY-MM-DDTHH:mm`, read in `release_timezone` (global) or each fan's zone (local). */
  release_local: string;
  release_timezone: string;
  timing: string;
  /** Earliest and latest instants the release goes live anywhere (equal for global timing). */
  first_release_at: number;
  last_release_at: number;
  services: string;
  follow_artist: number;
  status: string;
  is_demo: number;
  created_at: number;
  updated_at: number;
}

export interface GrantTable {
  id: Generated<number>;
  service: string;
  account_id: string;
  display_name: string | null;
  access_token_enc: string;
  refresh_token_enc: string | null;
  access_expires_at: number | null;
  scopes: string;
  authorized_at: number;
  status: string;
  dead_reason: string | null;
  refresh_lock_owner: string | null;
  refresh_lock_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface PresaveTable {
  id: Generated<number>;
  public_id: string;
  campaign_id: number;
  grant_id: number;
  service: string;
  account_id: string;
  timezone: string;
  locale: string | null;
  follow_artist: number;
  due_at: number;
  status: string;
  /** Claims of this row (a crash mid-claim counts too). */
  attempts: number;
  /** Attempts that reached the service and failed: what WORKER_MAX_ATTEMPTS limits. */
  failures: Generated<number>;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_token: string | null;
  lease_until: number | null;
  last_error: string | null;
  failure_reason: string | null;
  /** ISO 3166-1 alpha-2, from the fan's locale; null when unknown. */
  market: string | null;
  saved_uris: string | null;
  saved_at: number | null;
  /** The follow's own outcome (null: no follow asked): done | queued | waiting | failed. See migration 011. */
  follow_status: string | null;
  follow_error: string | null;
  follow_attempts: Generated<number>;
  /**
   * When the service accepted the album save, while its verification waits in the verify queue
   * (the rate budget went to saves first); the row stays pending until verified. Migration 015.
   */
  save_accepted_at: number | null;
  /** The fan's language for the receipt page and messages (i18n/languages.ts); null before migration 018. */
  lang: string | null;
  created_at: number;
  updated_at: number;
}

export interface ReleaseMatchTable {
  campaign_id: number;
  service: string;
  market: string;
  album_uri: string;
  artist_uris: string;
  album_url: string | null;
  title: string | null;
  matched_by: string;
  overridden: number;
  resolved_at: number;
}

export interface CampaignLinkTable {
  campaign_id: number;
  service: string;
  url: string;
  created_at: number;
  /** Where a found link came from (itunes, deezer, spotify, tidal, odesli); null: the artist entered it. */
  source: string | null;
  found_at: number | null;
  /** When the artist accepted a found link (a look-up no longer changes it). */
  accepted_at: number | null;
}

export interface OauthStateTable {
  state_hash: string;
  service: string;
  campaign_id: number;
  browser_hash: string;
  verifier_enc: string;
  timezone: string;
  locale: string | null;
  /** The language the fan chose on the campaign page (migration 018). */
  lang: string | null;
  /** The in-app browser rescue's escape id when the connect came through it (migration 020). */
  escape: string | null;
  /** The referral code the fan came through (first touch, growth/referrals; migration 022). */
  referral: string | null;
  expires_at: number;
  created_at: number;
}

export interface AdminSessionTable {
  token_hash: string;
  kind: string;
  expires_at: number;
  created_at: number;
}

export interface SandboxArtistTable {
  id: string;
  name: string;
}

export interface SandboxReleaseTable {
  id: string;
  campaign_id: number | null;
  title: string;
  artist_id: string;
  release_type: string;
  upc: string | null;
  isrcs: string;
  live_at: number;
  created_at: number;
}

export interface SandboxAuthRequestTable {
  id: string;
  client_id: string;
  redirect_uri: string;
  state: string;
  scope: string;
  code_challenge: string;
  expires_at: number;
}

export interface SandboxCodeTable {
  code_hash: string;
  client_id: string;
  redirect_uri: string;
  username: string;
  scope: string;
  code_challenge: string;
  expires_at: number;
  used: number;
}

export interface SandboxTokenTable {
  token_hash: string;
  kind: string;
  family: string;
  username: string;
  client_id: string;
  scope: string;
  expires_at: number | null;
  revoked: number;
  created_at: number;
}

export interface SandboxLibraryTable {
  username: string;
  uri: string;
  saved_at: number;
}

export interface SandboxFaultTable {
  id: Generated<number>;
  kind: string;
  target: string;
  remaining: number | null;
  status_code: number | null;
  retry_after_s: number | null;
  delay_ms: number | null;
  created_at: number;
}

export interface ServiceGovernorTable {
  service: string;
  rate_per_s: number;
  max_rate_per_s: number;
  slot: Generated<number>;
  slot_used: Generated<number>;
  slot_take: Generated<number>;
  paused_until: Generated<number>;
  breaker_open: Generated<number>;
  breaker_reason: string | null;
  last_429_at: Generated<number>;
  updated_at: number;
}

export interface CampaignPauseTable {
  campaign_id: number;
  service: string;
  code: string;
  message: string;
  detail: string | null;
  paused_at: number;
  notified_at: number | null;
}

export interface Database
  extends
    AccountsTables,
    AnalyticsTables,
    EditorTables,
    PagesTables,
    LinksTables,
    ReachTables,
    GrowthTables,
    ApiTables,
    WebhookTables,
    ConversionTables {
  campaigns: CampaignTable;
  grants: GrantTable;
  presaves: PresaveTable;
  campaign_pauses: CampaignPauseTable;
  release_matches: ReleaseMatchTable;
  campaign_links: CampaignLinkTable;
  service_governors: ServiceGovernorTable;
  oauth_states: OauthStateTable;
  admin_sessions: AdminSessionTable;
  sandbox_artists: SandboxArtistTable;
  sandbox_releases: SandboxReleaseTable;
  sandbox_auth_requests: SandboxAuthRequestTable;
  sandbox_codes: SandboxCodeTable;
  sandbox_tokens: SandboxTokenTable;
  sandbox_library: SandboxLibraryTable;
  sandbox_faults: SandboxFaultTable;
}
