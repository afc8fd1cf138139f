import { Type } from 'typebox';
import { ALL_TIME } from '../../analytics/dashboard.js';
import type { Range } from '../../analytics/types.js';
import { DropdayError } from '../../errors.js';
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

/** The window asked for: unset ends are the beginning and the end of time; `to` must come after `from`. */
export function rangeOf(q: { from?: string; to?: string }, fallback: Range = ALL_TIME): Range {
  const from = q.from === undefined ? fallback.from : Date.parse(q.from);
  const to = q.to === undefined ? fallback.to : Date.parse(q.to);
  if (to <= from) throw new DropdayError('VALIDATION', 'The window ends before it starts.', { 'querystring.to': 'must be after from' });
  return { from, to };
}
