import type { Lang } from './languages.js';

/*
 * Dates and times on fans' pages, through Intl in the page's language (its own digits, order and
 * clock). A formatter is made once per language, zone and style: pages are rendered once per
 * variant, receipts once per request.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 500;

function formatter(lang: Lang, zone: string, style: 'instant' | 'date' | 'time'): Intl.DateTimeFormat {
  const id = `${lang} ${zone} ${style}`;
  let f = formatters.get(id);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      style === 'instant'
        ? { dateStyle: 'full', timeStyle: 'short', timeZone: zone }
        : style === 'date'
          ? { dateStyle: 'long', timeZone: zone }
          : { timeStyle: 'short', timeZone: zone };
    f = new Intl.DateTimeFormat(lang, options);
    // Zones come from fans' browsers: bounded, so many zones cannot grow it for ever.
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    formatters.set(id, f);
  }
  return f;
}

/** "Saturday, December 5, 2026 at 12:00 AM (Europe/Paris)": an instant in a zone, the zone named. */
export function formatInstant(at: number, zone: string, lang: Lang): string {
  return `${formatter(lang, zone, 'instant').format(at)} (${zone})`;
}

/**
 * A wall time (`YYYY-MM-DDTHH:mm[:ss]`, no zone: "at midnight wherever you are") as its date and its
 * time, each in the language's own way.
 */
export function formatWallTime(wall: string, lang: Lang): { date: string; time: string; midnight: boolean } {
  const [y, mo, d] = wall.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [h, mi] = wall.slice(11, 16).split(':').map(Number) as [number, number];
  const at = Date.UTC(y, mo - 1, d, h, mi);
  return {
    date: formatter(lang, 'UTC', 'date').format(at),
    time: formatter(lang, 'UTC', 'time').format(at),
    midnight: h === 0 && mi === 0,
  };
}
