import { parseScopes, type ApiScope } from '../scopes.js';

/**
 * The rules for a new API key, one set for the settings page, `dropday apikey create` and
 * `POST /api/v1/keys`: each caller names the fields its own way, the problems are the same.
 */
export const KEY_NAME_MAX = 100;

export interface KeyRequest {
  name: string;
  scopes: string | readonly string[];
  /** Epoch ms, or null for a key that does not expire; NaN for a date that could not be read. */
  expiresAt: number | null;
}

export type KeyProblems = Partial<Record<'name' | 'scopes' | 'expires_at', string>>;

export function checkNewKey(
  input: KeyRequest,
  now: number,
): { ok: true; name: string; scopes: ApiScope[]; expiresAt: number | null } | { ok: false; problems: KeyProblems } {
  const problems: KeyProblems = {};
  const name = input.name.trim();
  if (!name) problems.name = 'Give the key a name (what uses it).';
  else if (name.length > KEY_NAME_MAX) problems.name = `At most ${KEY_NAME_MAX} characters.`;
  const { scopes, unknown } = parseScopes(input.scopes);
  if (unknown.length) problems.scopes = `Unknown scope${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`;
  else if (!scopes.length) problems.scopes = 'Choose at least one scope.';
  if (input.expiresAt !== null && Number.isNaN(input.expiresAt)) problems.expires_at = 'Not a date.';
  else if (input.expiresAt !== null && input.expiresAt <= now) problems.expires_at = 'The expiry must be in the future.';
  if (Object.keys(problems).length) return { ok: false, problems };
  return { ok: true, name, scopes, expiresAt: input.expiresAt };
}

/**
 * An expiry as people write it: `30d` (days from now), a date `2027-01-31` (the key works through
 * that day, UTC) or an ISO 8601 instant. Empty: never. NaN: not readable (checkNewKey names it).
 */
export function parseExpiry(text: string | undefined, now: number): number | null {
  const t = (text ?? '').trim();
  if (!t) return null;
  const days = /^(\d{1,5})d$/i.exec(t);
  if (days) return now + Number(days[1]) * 86_400_000;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    const start = Date.parse(`${t}T00:00:00Z`);
    return Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== t ? Number.NaN : start + 86_400_000;
  }
  return /^\d{4}-\d{2}-\d{2}T/.test(t) ? Date.parse(t) : Number.NaN;
}
