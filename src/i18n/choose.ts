import { LANGUAGES, matchLang, type Lang } from './languages.js';

/** Accept-Language's tags, best first (by q, then order); malformed entries skipped. */
export function acceptedTags(header: string | undefined | null): string[] {
  if (!header) return [];
  const items: { tag: string; q: number; i: number }[] = [];
  header.split(',').forEach((part, i) => {
    const [tagPart, ...params] = part.trim().split(';');
    const tag = tagPart?.trim() ?? '';
    if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([01](\.\d{0,3})?)\s*$/.exec(p);
      if (m) q = Number(m[1]);
    }
    if (q > 0) items.push({ tag, q, i });
  });
  return items.sort((a, b) => b.q - a.q || a.i - b.i).map((x) => x.tag);
}

/*
 * Fans' pages choose a language on every request: both parses are kept. Accept-Language values
 * repeat (a browser's settings), so a few hundred cover nearly every visitor; each is kept as the
 * languages of ours it asks for, best first, and the map is cleared when full, so odd headers
 * cannot grow it. A campaign's language list is the page cache's own array, the same object until
 * the campaign changes.
 */
const MAX_HEADERS = 256;
const parsedHeaders = new Map<string, readonly Lang[]>();
const offeredByList = new WeakMap<readonly string[], readonly Lang[]>();

function acceptedLangsCached(header: string | null | undefined): readonly Lang[] {
  if (!header) return [];
  let langs = parsedHeaders.get(header);
  if (!langs) {
    const out: Lang[] = [];
    for (const tag of acceptedTags(header.slice(0, 400))) {
      const l = matchLang(tag);
      if (l && !out.includes(l)) out.push(l);
    }
    langs = out;
    if (parsedHeaders.size >= MAX_HEADERS) parsedHeaders.clear();
    parsedHeaders.set(header, langs);
  }
  return langs;
}

function campaignLangsCached(list: readonly string[]): readonly Lang[] {
  let langs = offeredByList.get(list);
  if (!langs) {
    langs = campaignLangs(list);
    offeredByList.set(list, langs);
  }
  return langs;
}

/** The campaign's languages that we have catalogs for, in the artist's order (all of ours when it names none). */
export function campaignLangs(campaignLanguages: readonly string[]): Lang[] {
  const out: Lang[] = [];
  for (const tag of campaignLanguages) {
    const l = matchLang(tag);
    if (l && !out.includes(l)) out.push(l);
  }
  return out.length ? out : [...LANGUAGES];
}

/**
 * The page's language: `?lang=` when the campaign offers it, then the visitor's Accept-Language
 * among the campaign's languages, then the campaign's first language (English when it names none
 * we have).
 */
export function chooseLang(o: { query?: unknown; acceptLanguage?: string | null; campaignLanguages: readonly string[] }): Lang {
  const offered = campaignLangsCached(o.campaignLanguages);
  const fromQuery = typeof o.query === 'string' ? matchLang(o.query) : null;
  if (fromQuery && offered.includes(fromQuery)) return fromQuery;
  for (const l of acceptedLangsCached(o.acceptLanguage)) if (offered.includes(l)) return l;
  return o.campaignLanguages.length ? offered[0]! : 'en';
}
