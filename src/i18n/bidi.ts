import { direction, type Lang } from './languages.js';

/**
 * Text a person entered (a title, an artist's name) or a service's name, inside a sentence of a
 * right-to-left page: isolated (U+2068 … U+2069), so a Latin name cannot reorder the Arabic words
 * around it. Left-to-right pages get the text unchanged.
 */
export function isolate(lang: Lang, text: string): string {
  return direction(lang) === 'rtl' ? `\u2068${text}\u2069` : text;
}
