/** What analytics records and answers; shared by capture, rollups, queries and the benchmark. */

export const EVENT_NAMES = [
  'page_view',
  'service_click',
  'listen_click',
  'authorization',
  'cancellation',
  // In-app browser rescue (web/inapp/): `service` is the app (instagram, tiktok…) on inapp_view,
  // the streaming service the fan chose on the escape events.
  'inapp_view',
  'escape_shown',
  'escape_taken',
  'escape_completed',
  // Early access (growth/previews): the pre-saver's player, reported by the receipt page.
  'preview_start',
  'preview_30s',
  'preview_complete',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export function isEventName(s: unknown): s is EventName {
  return typeof s === 'string' && (EVENT_NAMES as readonly string[]).includes(s);
}

export type DeviceClass = 'mobile' | 'tablet' | 'desktop' | 'bot';

/** An event as a route reports it. `service` is required for clicks, authorizations and cancellations. */
export interface TrackEvent {
  event: EventName;
  campaignId: number;
  service?: string | null;
  /** Epoch ms; defaults to the analytics clock. */
  at?: number;
}

/**
 * What is kept of a request until the batch is written: enough to derive the visitor id, place,
 * device and source. It lives only in memory (≤ the flush interval); the IP is never stored.
 */
export interface CaptureInput extends TrackEvent {
  at: number;
  ip?: string | null;
  userAgent?: string | null;
  /** The Referer header. Only its domain is kept. */
  referer?: string | null;
  /** The request URL (path + query): UTM parameters are read from it. */
  url?: string | null;
  /** The Host the request was made to: a Referer on it is internal, not a source. */
  host?: string | null;
  /** CDN geolocation headers, present only when a trusted proxy is configured. */
  cdn?: CdnGeoHeaders | null;
}

export interface CdnGeoHeaders {
  country?: string;
  region?: string;
  city?: string;
  lat?: string;
  lon?: string;
}

export interface Place {
  country: string;
  region: string;
  city: string;
  lat: number | null;
  lon: number | null;
}

export const UNKNOWN_PLACE: Place = Object.freeze({ country: '', region: '', city: '', lat: null, lon: null });

/** An event ready to be written (a row of analytics_events before the visit flag is known). */
export interface EnrichedEvent {
  campaign_id: number;
  at: number;
  event: EventName;
  service: string;
  visitor: string;
  country: string;
  region: string;
  city: string;
  lat: number | null;
  lon: number | null;
  referrer: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  device: string;
}

/** A half-open interval of epoch ms, [from, to). */
export interface Range {
  from: number;
  to: number;
}
