/** Store links found automatically (migration 019; docs/store-links.md). */
export interface CampaignLinkDismissalTable {
  campaign_id: number;
  service: string;
  dismissed_at: number;
}

export interface LinkLookupTable {
  campaign_id: number;
  /** itunes | deezer | spotify | tidal | odesli */
  source: string;
  /** The UPC and ISRCs looked up, as JSON: when the campaign's change, the schedule starts again. */
  ids: string;
  state: 'waiting' | 'done' | 'stopped';
  next_at: number;
  attempts: number;
  last_at: number | null;
  /** What the last look-up said, in plain words for the artist. */
  last_result: string | null;
  found_at: number | null;
}

export interface LinksTables {
  campaign_link_dismissals: CampaignLinkDismissalTable;
  link_lookups: LinkLookupTable;
}
