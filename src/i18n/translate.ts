import { IntlMessageFormat } from 'intl-messageformat';
import { CATALOGS, type MessageKey } from './messages/index.js';
import type { Lang } from './languages.js';

export type { MessageKey };
export type MessageValues = Record<string, string | number | Date>;

/** Compiled once per language and key: a page is rendered once per variant, a message per fan. */
const compiled = new Map<string, IntlMessageFormat>();

function formatter(lang: Lang, key: MessageKey): IntlMessageFormat {
  const id = `${lang}\u0000${key}`;
  let f = compiled.get(id);
  if (!f) {
    const text = CATALOGS[lang][key] ?? CATALOGS.en[key];
    f = new IntlMessageFormat(text, lang);
    compiled.set(id, f);
  }
  return f;
}

/**
 * The text of `key` in `lang` (ICU MessageFormat: plurals, selects, numbers in the locale).
 * Plain text: templates escape it like any other value.
 */
export function t(lang: Lang, key: MessageKey, values?: MessageValues): string {
  const out = formatter(lang, key).format(values);
  return typeof out === 'string' ? out : String(out);
}

/** A translator bound to one language, for templates. */
export type Translate = (key: MessageKey, values?: MessageValues) => string;
export function translator(lang: Lang): Translate {
  return (key, values) => t(lang, key, values);
}
