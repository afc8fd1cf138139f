import { nameProblem, normalizeName } from '../../util/text.js';

/** The longest name a fan may show on the leaderboard, in characters (code points). */
export const DISPLAY_NAME_MAX = 40;

export type DisplayNameCheck = { ok: true; name: string | null } | { ok: false; problem: 'too_long' | 'bad_characters' };

/** A name as typed → as stored: NFC and trimmed; blank means "do not show me" (null). */
export function checkDisplayName(raw: string): DisplayNameCheck {
  const name = normalizeName(raw);
  if (!name) return { ok: true, name: null };
  if ([...name].length > DISPLAY_NAME_MAX) return { ok: false, problem: 'too_long' };
  if (nameProblem(name)) return { ok: false, problem: 'bad_characters' };
  return { ok: true, name };
}
