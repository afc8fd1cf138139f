import type { FastifyRequest } from 'fastify';
import { campaignLangs, chooseLang, isLang, matchLang, type Lang } from '../i18n/index.js';

/** A page with no campaign's list (an unknown address, a busy server): any of our languages. */
export const ALL_LANGUAGES: readonly string[] = Object.freeze([]);

/** `?lang=` as sent (the first, when repeated), or undefined. */
export function queryLang(req: FastifyRequest): string | undefined {
  const q = (req.query as { lang?: unknown } | undefined)?.lang;
  const v = Array.isArray(q) ? q[0] : q;
  return typeof v === 'string' ? v : undefined;
}

/**
 * A fan's page's language: `?lang=`, then the language remembered for the fan (their pre-save's,
 * or the one carried through the connect round trip), then Accept-Language, among the campaign's
 * languages; then the campaign's first (i18n/choose.ts). From the request alone: no database.
 */
export function fanLang(req: FastifyRequest, campaignLanguages: readonly string[], remembered?: string | null): Lang {
  return langFor(queryLang(req), req.headers['accept-language'], campaignLanguages, remembered);
}

/** The same from the parts (the page front reads them from the raw request: web/page-front.ts). */
export function langFor(
  query: string | undefined,
  acceptLanguage: string | undefined,
  campaignLanguages: readonly string[],
  remembered?: string | null,
): Lang {
  const asked = query !== undefined ? matchLang(query) : null;
  // A `?lang=` the campaign does not offer is ignored: the remembered language still comes first
  // (checked only when there is one: the campaign page's hot path has none).
  const usable = asked && (!isLang(remembered) || campaignLangs(campaignLanguages).includes(asked));
  return chooseLang({
    query: usable ? query : isLang(remembered) ? remembered : undefined,
    acceptLanguage,
    campaignLanguages,
  });
}

/**
 * `?lang=` read from a raw request URL, before Fastify parses it (the page front, the busy page):
 * the first `lang=`, `+` read as a space like the router's parser. A percent-encoded value is left
 * as it is, and so matches none of our tags.
 */
export function rawQueryLang(url: string): string | undefined {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  for (const part of url.slice(q + 1).split('&')) if (part.startsWith('lang=')) return part.slice(5).replaceAll('+', ' ');
  return undefined;
}

/** The language a route settled on for this request, so an error page after it reads in it too. */
const settled = new WeakMap<FastifyRequest, Lang>();

export function settleLang(req: FastifyRequest, lang: Lang): Lang {
  settled.set(req, lang);
  return lang;
}

/** For error pages: the language the route settled on, else chosen among all of ours. */
export function errorLang(req: FastifyRequest): Lang {
  return settled.get(req) ?? fanLang(req, ALL_LANGUAGES);
}
