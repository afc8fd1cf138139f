/**
 * Table types of the campaign editor (migration 006_editor). Merged into `Database` in schema.ts;
 * until then src/editor/db.ts gives a typed view of the same connection.
 */
export interface CampaignEditorTable {
  campaign_id: number;
  /** Theme colours, `#rrggbb`, or null for the default look. */
  theme_accent: string | null;
  theme_background: string | null;
  /** JSON list of BCP 47 language tags the page is offered in (first = default). */
  languages: string;
  /** The stored artwork version (a folder under DATA_DIR/artwork/<campaign>/), or null. */
  artwork_version: string | null;
  archived_at: number | null;
  archived_by: number | null;
  updated_at: number;
}

/** The main artist's id on each service (for follow-on-save), as a URI like `spotify:artist:…`. */
export interface CampaignArtistIdTable {
  campaign_id: number;
  service: string;
  artist_uri: string;
  artist_url: string | null;
  created_at: number;
}

export interface EditorTables {
  campaign_editor: CampaignEditorTable;
  campaign_artist_ids: CampaignArtistIdTable;
}
