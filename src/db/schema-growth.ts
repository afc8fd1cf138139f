import type { Generated } from 'kysely';

/** Growth: referrals, the leaderboard, contests, the vault, early access (migration 022; docs/growth.md). */

/**
 * What was decided about a referral when it arrived (growth/referrals): `ok` — counts once the
 * referred save is verified; `held` — a burst or over the hourly cap, waits for the artist;
 * `excluded` — never counts (self-referral, an account or browser already counted);
 * `approved` / `rejected` — the artist's answer to a held one.
 */
export type ReferralDecision = 'ok' | 'held' | 'excluded' | 'approved' | 'rejected';
export type ContestMethod = 'top' | 'draw';
export type VaultUnlock = 'presave' | 'contact' | 'referrals' | 'release';

export interface GrowthSettingsTable {
  campaign_id: number;
  leaderboard_public: number;
  updated_at: number;
}

export interface ReferralCodeTable {
  code: string;
  campaign_id: number;
  presave_id: number | null;
  contact_id: number | null;
  display_name: string | null;
  name_hidden: Generated<number>;
  account_key: string | null;
  browser_key: string | null;
  device_key: string | null;
  network_key: string | null;
  visits: Generated<number>;
  created_at: number;
}

export interface ReferralTable {
  id: Generated<number>;
  campaign_id: number;
  code: string;
  presave_id: number;
  account_key: string;
  browser_key: string | null;
  device_key: string | null;
  network_key: string | null;
  decision: ReferralDecision;
  reason: string | null;
  created_at: number;
  decided_at: number | null;
}

export interface ContestTable {
  campaign_id: number;
  prize: string;
  rules: string;
  starts_at: number;
  ends_at: number;
  points_presave: number;
  points_referral: number;
  points_contact: number;
  method: ContestMethod;
  winners: number;
  seed: string | null;
  seed_published_at: number | null;
  drawn_at: number | null;
  /** JSON [[code, points], …] sorted by code: what the draw ran on (growth/contests/draw.ts). */
  entries: string | null;
  created_at: number;
  updated_at: number;
}

export interface ContestWinnerTable {
  campaign_id: number;
  position: number;
  code: string;
  points: number;
  drawn_at: number;
}

export interface VaultItemTable {
  id: Generated<number>;
  campaign_id: number;
  title: string;
  kind: 'file' | 'link';
  storage_key: string | null;
  filename: string | null;
  mime: string | null;
  size: number | null;
  sha256: string | null;
  url: string | null;
  unlock: VaultUnlock;
  unlock_referrals: Generated<number>;
  position: number;
  created_at: number;
}

export interface VaultUnlockTable {
  item_id: number;
  presave_id: number;
  at: number;
}

export interface VaultDownloadTable {
  id: Generated<number>;
  item_id: number;
  presave_id: number;
  at: number;
  /** This fan's download number for the item (1, 2, …), unique per fan and item. */
  slot: number;
}

export interface PreviewTable {
  campaign_id: number;
  storage_key: string;
  mime: string;
  size: number;
  source: 'upload' | 'cut';
  seconds: number | null;
  available_from: number;
  /** "N hours before the release": the moment follows the campaign's first release instant (null: available_from). */
  hours_before: number | null;
  created_at: number;
  updated_at: number;
}

export interface GrowthTables {
  growth_settings: GrowthSettingsTable;
  referral_codes: ReferralCodeTable;
  referrals: ReferralTable;
  contests: ContestTable;
  contest_winners: ContestWinnerTable;
  vault_items: VaultItemTable;
  vault_unlocks: VaultUnlockTable;
  vault_downloads: VaultDownloadTable;
  previews: PreviewTable;
}
