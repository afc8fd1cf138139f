import type { Campaign } from '../../campaigns/repo.js';
import { isolate, t, type Lang } from '../../i18n/index.js';
import { sha256b64url } from '../../util/random.js';

/**
 * The words next to each checkbox of the reminder form, and the version recorded with a consent:
 * the catalog key and a short hash of the exact words (title and artist filled in, in the fan's
 * language). The form shows these strings and the capture records the same function's output,
 * so what is stored is what was on the page; a translator changing a sentence changes the version.
 */
export type ContactPurpose = 'remind' | 'news';

export interface ConsentWords {
  text: string;
  version: string;
}

const KEYS = { remind: 'contact.consent_remind', news: 'contact.consent_news' } as const;

export function consentWords(c: Pick<Campaign, 'title' | 'artist_name'>, purpose: ContactPurpose, lang: Lang): ConsentWords {
  const key = KEYS[purpose];
  const text = t(lang, key, { title: isolate(lang, c.title), artist: isolate(lang, c.artist_name) });
  return { text, version: `${key}#${sha256b64url(`${lang}\n${text}`).slice(0, 10)}` };
}
