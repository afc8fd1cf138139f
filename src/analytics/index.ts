/** Analytics: capture, rollups, dashboard queries, CSV export. See docs/analytics.md. */
export { createAnalytics, registerAnalytics, trackRequest } from './capture.js';
export type { Analytics, AnalyticsOptions, AnalyticsStats } from './capture.js';
export { GEO_ATTRIBUTION_HTML, GeoResolver } from './geo.js';
export { rebuildRollups } from './rollups.js';
export { seriesWindow } from './series-window.js';
export { deliveryReport, devices, funnel, geo, perService, referrers, timeseries, utm, workspaceOverview } from './queries.js';
export type * from './dashboard.js';
export type { DeliveryReport, ServiceDelivery } from './delivery.js';
export { ALL_TIME } from './dashboard.js';
export { inAppReport, type InAppReport } from './inapp.js';
export { csvCell, csvContentDisposition, csvRow, csvStream, deliveryReportCsv, fansCsv } from './csv.js';
export { EVENT_NAMES, type EventName, type Range, type TrackEvent } from './types.js';
