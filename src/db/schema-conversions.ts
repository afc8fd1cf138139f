import type { Generated } from 'kysely';

/** Server-side conversion events (migration 025; docs/conversions.md). */
export type ConversionPlatform = 'meta' | 'tiktok' | 'ga4';
export type ConversionEvent = 'page_view' | 'lead' | 'registration';
export type ConversionStatus = 'pending' | 'sent' | 'failed' | 'cancelled';

export interface ConversionSettingsTable {
  campaign_id: number;
  meta_pixel_id: string | null;
  meta_token_enc: string | null;
  tiktok_pixel_code: string | null;
  tiktok_token_enc: string | null;
  ga4_measurement_id: string | null;
  ga4_secret_enc: string | null;
  meta_refused_at: number | null;
  meta_refusal: string | null;
  tiktok_refused_at: number | null;
  tiktok_refusal: string | null;
  updated_at: number;
}

export interface ConversionConsentTable {
  id: Generated<number>;
  campaign_id: number;
  browser_key: string;
  choice: 'allow' | 'deny';
  text: string;
  text_version: string;
  lang: string;
  created_at: number;
}

export interface ConversionEventTable {
  id: Generated<number>;
  campaign_id: number;
  platform: ConversionPlatform;
  event: ConversionEvent;
  event_id: string;
  payload: string;
  status: ConversionStatus;
  next_attempt_at: number;
  attempts: Generated<number>;
  failures: Generated<number>;
  lease_owner: string | null;
  lease_token: string | null;
  lease_until: number | null;
  last_error: string | null;
  sent_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ConversionTables {
  conversion_settings: ConversionSettingsTable;
  conversion_consents: ConversionConsentTable;
  conversion_events: ConversionEventTable;
}
