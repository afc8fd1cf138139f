import type { Generated } from 'kysely';

/** Reach: contacts with consent, push subscriptions, messages, forever saves (migration 021; docs/reach.md). */
export type ContactStatus = 'unconfirmed' | 'confirmed' | 'suppressed';
export type ConsentPurpose = 'remind' | 'news' | 'forever';
export type MessageType = 'confirm' | 'out_now' | 'reauth' | 'forever_notice';
export type MessageChannel = 'email' | 'push';
export type MessageStatus = 'pending' | 'sent' | 'failed' | 'not_sent' | 'cancelled';

export interface ContactTable {
  id: Generated<number>;
  /** `w:<workspace id>`, or `c:<campaign id>` for a CLI campaign. */
  audience: string;
  email_hash: string;
  email_enc: string;
  manage_id: string;
  status: ContactStatus;
  lang: string;
  /** The campaign the address was first given on. */
  campaign_id: number;
  confirm_expires_at: number | null;
  confirmed_at: number | null;
  suppressed_at: number | null;
  suppressed_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface PushSubscriptionTable {
  id: Generated<number>;
  audience: string;
  endpoint_hash: string;
  subscription_enc: string;
  endpoint_host: string;
  manage_id: string;
  lang: string;
  campaign_id: number;
  created_at: number;
  updated_at: number;
}

export interface ConsentTable {
  id: Generated<number>;
  contact_id: number | null;
  push_id: number | null;
  forever_id: number | null;
  campaign_id: number;
  /** The service the fan asked to be reminded on; null: the smart link. */
  service: string | null;
  presave_id: number | null;
  purpose: ConsentPurpose;
  /** The exact words shown, in the fan's language. */
  text: string;
  text_version: string;
  lang: string;
  page: 'campaign' | 'receipt';
  timezone: string | null;
  given_at: number;
  /** When its owner confirmed it (email: the confirmation link; push, forever: given_at). NULL: not yet, it does not stand. */
  confirmed_at: number | null;
  withdrawn_at: number | null;
  withdrawn_via: 'unsubscribe' | 'preferences' | 'erase' | 'bounce' | null;
}

export interface MessageTable {
  id: Generated<number>;
  campaign_id: number;
  type: MessageType;
  channel: MessageChannel;
  contact_id: number | null;
  push_id: number | null;
  presave_id: number | null;
  dedupe: string | null;
  channel_key: string;
  lang: string;
  status: MessageStatus;
  next_attempt_at: number;
  attempts: Generated<number>;
  failures: Generated<number>;
  lease_owner: string | null;
  lease_token: string | null;
  lease_until: number | null;
  last_error: string | null;
  failure_reason: string | null;
  variant: string | null;
  sent_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ForeverSaveTable {
  id: Generated<number>;
  audience: string;
  artist_key: string;
  grant_id: number;
  service: string;
  presave_id: number | null;
  contact_id: number | null;
  manage_id: string;
  lang: string;
  timezone: string;
  locale: string | null;
  created_at: number;
  stopped_at: number | null;
}

export interface ReachTables {
  contacts: ContactTable;
  push_subscriptions: PushSubscriptionTable;
  consents: ConsentTable;
  messages: MessageTable;
  forever_saves: ForeverSaveTable;
}
