/** Webhooks (migration 024; docs/webhooks.md). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface WebhookTables {}
