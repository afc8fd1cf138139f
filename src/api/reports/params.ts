import { Type } from 'typebox';
import { SERVICES } from '../../providers/services.js';

/** Path and query pieces the report routes share (docs/api-reports.md). */

export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 100, description: 'The campaign’s slug.' }) });

/** A pre-save service Dropday knows: anything else is a 400 naming the field. */
export const ServiceId = Type.Union(
  Object.keys(SERVICES).map((s) => Type.Literal(s)),
  { description: 'A pre-save service: sandbox, spotify, apple-music, tidal, deezer.' },
);

/** `from`/`to` of a report: ISO 8601 instants; a half-open window [from, to). */
export const RangeQuery = {
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Start (inclusive), ISO 8601. Default: the beginning.' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'End (exclusive), ISO 8601. Default: now and after.' })),
};
