/** Server-side conversion events (migration 025; docs/conversions.md). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ConversionTables {}
