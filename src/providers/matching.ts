/**
 * Matching a release found by artist and title (the last resort after UPC and ISRC). A match
 * must be the same release, not a sped-up, slowed, live, karaoke, instrumental, remix or
 * acoustic version that shares its name.
 */
const VARIANT_WORDS =
  /\b(sped[\s-]?up|slowed|reverb|live|karaoke|instrumental|acapella|a cappella|remix(ed)?|acoustic|demo|radio edit|extended|nightcore|8d|tribute|cover|re-?recorded|remaster(ed)?)\b/i;

export function normalizeTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[“”"'’`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when `candidate` is the release titled `wanted`, and not a variant of it. */
export function isSameTitle(wanted: string, candidate: string): boolean {
  const w = normalizeTitle(wanted);
  const c = normalizeTitle(candidate);
  if (w === c) return true;
  // "Song - Single" / "Song (Single)" are how stores label singles; anything else is a variant.
  const stripped = c.replace(/\s*[-–(]\s*(single|ep)\)?$/, '');
  if (stripped === w) return true;
  return false;
}

export function isVariantTitle(wanted: string, candidate: string): boolean {
  return !VARIANT_WORDS.test(wanted) && VARIANT_WORDS.test(candidate);
}

export function isSameArtist(wanted: string, candidates: string[]): boolean {
  const w = normalizeTitle(wanted);
  return candidates.some((c) => normalizeTitle(c) === w);
}
