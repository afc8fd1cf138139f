import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { CATALOGS, type MessageKey } from './messages/index.js';
import type { Lang } from './languages.js';

/**
 * Words for a page's script (the countdown, the MusicKit page), which cannot run ICU: a message
 * whose only argument is one plural becomes its branches (`{"one": "# day", "other": "# days"}`,
 * `#` the number, `=N` exact branches first), chosen in the browser with Intl.PluralRules; any
 * other message becomes its text with `{name}` left for the script to fill in. The page's script
 * stays one constant string (its CSP hash); only data changes.
 */
export type ClientWords = string | Record<string, string>;

function text(elements: MessageFormatElement[], key: string): string {
  return elements
    .map((e) => {
      if (e.type === TYPE.literal) return e.value;
      if (e.type === TYPE.argument) return `{${e.value}}`;
      if (e.type === TYPE.pound) return '#';
      throw new Error(`${key}: a script's words may hold plain {arguments} and one plural only`);
    })
    .join('');
}

export function clientWords(lang: Lang, key: MessageKey): ClientWords {
  const ast = parse(CATALOGS[lang][key] ?? CATALOGS.en[key]);
  const only = ast.length === 1 ? ast[0]! : null;
  if (only && only.type === TYPE.plural) {
    return Object.fromEntries(Object.entries(only.options).map(([category, o]) => [category, text(o.value, key)]));
  }
  return text(ast, key);
}
