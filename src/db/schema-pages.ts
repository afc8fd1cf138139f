/** The public-page cache's change counter: one row per campaign, bumped by triggers (migration 017). */
export interface PageVersionTable {
  campaign_id: number;
  version: number;
}

export interface PagesTables {
  page_versions: PageVersionTable;
}
