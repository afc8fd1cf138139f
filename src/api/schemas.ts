import { Type, type TSchema } from 'typebox';

/** Shapes every API route shares (docs/api.md). */

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'The address documenting this error code.' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'The stable DROPDAY_ERR_… code.' }),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Each invalid field and its problem.' })),
  },
  { $id: 'Problem', description: 'An error, as application/problem+json (RFC 9457).' },
);

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request is not valid (the fields are named in `errors`).',
  401: 'No API key, or one that is unknown, revoked or expired.',
  403: 'The key lacks the scope this needs.',
  404: 'Not found in this workspace.',
  409: 'Conflicts with the current state.',
  410: 'Gone (archived).',
  422: 'The Idempotency-Key was used with another request.',
  429: 'Too many requests: wait `Retry-After` seconds.',
  503: 'Busy: wait `Retry-After` seconds.',
};

/** Error responses for a route's schema: problem+json for each status named, and 401/403/429 always. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const s of [...new Set([401, 403, 429, ...statuses])].sort())
    out[s] = Type.Ref('Problem', { description: DESCRIPTIONS[s] ?? 'Error' });
  return out;
}

/** Epoch milliseconds are ISO 8601 text on the wire. */
export const Timestamp = Type.String({ format: 'date-time' });
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
