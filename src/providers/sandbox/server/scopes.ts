/** The Sandbox's scopes: the four a pre-save may ask for, in the words the consent page shows. */
export const SCOPE_DESCRIPTIONS = {
  'user-library-modify': 'Save albums to your Sandbox library, and remove them',
  'user-library-read': 'See which albums and artists are in your Sandbox library',
  'user-follow-modify': 'Follow and unfollow artists for you',
  'user-follow-read': 'See which artists you follow',
} as const;

export type Scope = keyof typeof SCOPE_DESCRIPTIONS;

export function isScope(value: string): value is Scope {
  return Object.hasOwn(SCOPE_DESCRIPTIONS, value);
}

/** Splits a space-separated scope parameter; reports the first unknown scope. */
export function parseScopes(raw: string): { scopes: Scope[] } | { unknown: string } {
  const scopes: Scope[] = [];
  for (const s of raw.split(' ').filter(Boolean)) {
    if (!isScope(s)) return { unknown: s };
    if (!scopes.includes(s)) scopes.push(s);
  }
  return { scopes };
}

export function hasScope(granted: string, needed: Scope): boolean {
  return granted.split(' ').includes(needed);
}
