/**
 * Table types for analytics; merged into Database in schema.ts. See docs/analytics.md.
 *
 * Conventions: times are epoch ms; `hour` and `day` are the epoch ms of the UTC hour or day the
 * row covers; unknown text dimensions are '' (never NULL, so they can be part of a key).
 */

/** Raw events: append-only, one row per captured event (bots are not stored). */
export interface AnalyticsEventTable {
  campaign_id: number;
  at: number;
  /** page_view | service_click | listen_click | authorization | cancellation */
  event: string;
  /** '' for events without a service (page views). */
  service: string;
  /** Daily-salted hash of IP + User-Agent + campaign ('' for server-side events). Never the IP. */
  visitor: string;
  /** 1 when this page view starts a visit (no page view by the same visitor in the 30 minutes before). */
  is_visit: number;
  country: string;
  region: string;
  city: string;
  lat: number | null;
  lon: number | null;
  /** Referrer domain only (never a URL); '' for direct or internal. */
  referrer: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  /** mobile | tablet | desktop | '' (server-side events) */
  device: string;
}

/** Counts per campaign, hour, event and service. `visitors` = visitor-days first seen in this hour. */
export interface AnalyticsHourlyTable {
  campaign_id: number;
  hour: number;
  event: string;
  service: string;
  n: number;
  visits: number;
  visitors: number;
}

/** The same counts per UTC day (what day-aligned dashboard ranges read). */
export interface AnalyticsDailyTable {
  campaign_id: number;
  day: number;
  event: string;
  service: string;
  n: number;
  visits: number;
  visitors: number;
}

/** Per day and place. Coordinates are kept as sums so the mean is exact to re-aggregate. */
export interface AnalyticsGeoDailyTable {
  campaign_id: number;
  day: number;
  event: string;
  country: string;
  region: string;
  city: string;
  n: number;
  /** Events that had coordinates; lat_sum / ll_n is the place's mean position. */
  ll_n: number;
  lat_sum: number;
  lon_sum: number;
}

/** The same over the campaign's whole life: what a dashboard range covering every day reads (cities are many). */
export interface AnalyticsGeoTotalTable {
  campaign_id: number;
  event: string;
  country: string;
  region: string;
  city: string;
  n: number;
  ll_n: number;
  lat_sum: number;
  lon_sum: number;
}

export interface AnalyticsReferrerDailyTable {
  campaign_id: number;
  day: number;
  event: string;
  referrer: string;
  n: number;
}

export interface AnalyticsReferrerTotalTable {
  campaign_id: number;
  event: string;
  referrer: string;
  n: number;
}

export interface AnalyticsUtmDailyTable {
  campaign_id: number;
  day: number;
  event: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  n: number;
}

export interface AnalyticsDeviceDailyTable {
  campaign_id: number;
  day: number;
  event: string;
  device: string;
  n: number;
}

/** Requests from bots, link-preview fetchers and headless browsers: counted here, not stored as events. */
export interface AnalyticsBotsDailyTable {
  campaign_id: number;
  day: number;
  event: string;
  n: number;
}

/**
 * Today's (and yesterday's) visitors: dedups page views into visits and counts unique visitors,
 * and remembers the landing attribution so a later click or pre-save is credited to the source.
 * Rows older than a day are deleted with the salt that made their ids.
 */
export interface AnalyticsVisitorTable {
  visitor: string;
  campaign_id: number;
  day: number;
  last_view_at: number;
  referrer: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
}

/** One random salt per UTC day; deleted after a day, so visitor ids cannot be linked across days. */
export interface AnalyticsSaltTable {
  day: number;
  salt: string;
  created_at: number;
}

/**
 * One row (id 1): raw events before `events_from` (epoch ms of a UTC day) may have been deleted by
 * the retention job; the rollups before it are the record. 0 until the first deletion.
 */
export interface AnalyticsRetentionTable {
  id: number;
  events_from: number;
}

export interface AnalyticsTables {
  analytics_events: AnalyticsEventTable;
  analytics_hourly: AnalyticsHourlyTable;
  analytics_daily: AnalyticsDailyTable;
  analytics_geo_daily: AnalyticsGeoDailyTable;
  analytics_geo_total: AnalyticsGeoTotalTable;
  analytics_referrer_daily: AnalyticsReferrerDailyTable;
  analytics_referrer_total: AnalyticsReferrerTotalTable;
  analytics_utm_daily: AnalyticsUtmDailyTable;
  analytics_device_daily: AnalyticsDeviceDailyTable;
  analytics_bots_daily: AnalyticsBotsDailyTable;
  analytics_visitors: AnalyticsVisitorTable;
  analytics_salts: AnalyticsSaltTable;
  analytics_retention: AnalyticsRetentionTable;
}
