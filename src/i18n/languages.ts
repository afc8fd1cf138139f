/**
 * The languages of every fan-facing page and message. English is the source: every other
 * catalog carries exactly its keys (typed, and `npm run i18n:check`).
 */
export const LANGUAGES = ['en', 'es', 'pt-BR', 'fr', 'de', 'hi', 'bn', 'ar'] as const;
export type Lang = (typeof LANGUAGES)[number];

const RTL: ReadonlySet<Lang> = new Set(['ar']);

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

/** `ltr` or `rtl`, for the `dir` attribute. */
export function direction(lang: Lang): 'ltr' | 'rtl' {
  return RTL.has(lang) ? 'rtl' : 'ltr';
}

/**
 * One of our languages for a BCP 47 tag, or null: exact match first (`pt-BR`), then the
 * primary subtag (`de-AT` → `de`, `pt-PT` / `pt` → `pt-BR`, the one Portuguese we have).
 */
export function matchLang(tag: string | null | undefined): Lang | null {
  if (!tag) return null;
  const lower = tag.trim().toLowerCase();
  const exact = LANGUAGES.find((l) => l.toLowerCase() === lower);
  if (exact) return exact;
  const primary = lower.split('-')[0];
  return LANGUAGES.find((l) => l.toLowerCase().split('-')[0] === primary) ?? null;
}
