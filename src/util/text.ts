/**
 * Text as people type it, and as it may be stored. PostgreSQL refuses NUL in text (and would
 * answer 500), SQLite stores it; neither should hold half a surrogate pair. Names are compared and
 * shown, so they are normalized (NFC: "é" typed two ways is one name) and may not hide
 * characters: a zero-width space made a second, identical-looking artist.
 */

/** Half a surrogate pair (code units; no `u` flag on purpose). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a piece of text cannot be stored at all, or null. */
export function storableTextProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character (\\0)';
  if (LONE_SURROGATE.test(s)) return 'is not valid Unicode (a lone surrogate)';
  return null;
}

/** Control characters (C0, DEL, C1). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * Characters that are invisible or reorder text: soft hyphen, zero-width space/joiners, bidi
 * marks, embeddings and isolates, word joiner and invisible operators, byte-order mark.
 */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/;

/** A name as stored: NFC, trimmed. */
export function normalizeName(s: string): string {
  return s.normalize('NFC').trim();
}

/** Why a (normalized) name cannot be used, or null. */
export function nameProblem(s: string): string | null {
  const storable = storableTextProblem(s);
  if (storable) return storable;
  if (CONTROL.test(s)) return 'must not contain control characters (tabs, line breaks…)';
  const hidden = INVISIBLE.exec(s);
  if (hidden) {
    const code = hidden[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `must not contain invisible characters (U+${code}, e.g. a zero-width space): retype the name`;
  }
  return null;
}

/** Why a URL as typed cannot be used: control characters the URL parser would silently drop. */
export function urlTextProblem(s: string): string | null {
  return CONTROL.test(s) ? 'must not contain control characters (line breaks, tabs, NUL)' : storableTextProblem(s);
}

/** Text from elsewhere (a service's display name): NFC, without controls or invisible characters. */
export function cleanExternalText(s: string | null): string | null {
  if (s === null) return null;
  const clean = s
    .replace(new RegExp(LONE_SURROGATE.source, 'g'), '\ufffd')
    .normalize('NFC')
    .replace(new RegExp(CONTROL.source, 'g'), '')
    .replace(new RegExp(INVISIBLE.source, 'g'), '')
    .trim();
  return clean || null;
}
