import { createHash } from 'node:crypto';
import { ERRORS } from '../../errors.js';
import { chooseLang, direction, LANGUAGES, t, type Lang } from '../../i18n/index.js';
import { escapeHtml } from '../html.js';
import { rawQueryLang } from '../fan-lang.js';

/**
 * The answer to a refused request, built once at start: the busy page for people (a few hundred
 * bytes, no template, no database, trying again by itself after Retry-After), one per language, and
 * the JSON body for scripts. Refusing must cost next to nothing, or refusals would eat the capacity
 * they protect: the language is chosen from Accept-Language alone, its parse cached per header
 * value (i18n/choose.ts).
 */
export const BUSY_CODE = 'DROPDAY_ERR_BUSY';

export interface BusyAnswer {
  status: 503;
  /** Every header, fixed: the refusal bypasses the app's hooks (see guard.ts). */
  headers: Record<string, string>;
  body: Buffer;
}

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#faf9fc;color:#1d1b22}' +
  'main{max-width:28rem;padding:1.5rem;text-align:center}h1{font-size:1.4rem}';

function commonHeaders(retryAfterSeconds: number, type: string, csp: string): Record<string, string> {
  return {
    'content-type': type,
    'cache-control': 'no-store',
    'retry-after': String(retryAfterSeconds),
    'x-dropday-error': BUSY_CODE,
    // The same protections security.ts gives every page (this answer never reaches its hook).
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
}

/**
 * The page tries again by itself after Retry-After with a script, not `<meta http-equiv="refresh">`:
 * a timed meta refresh is a WCAG failure (axe's meta-refresh, 2.2.1) that a person cannot stop, and
 * the "Try again now" link does the same by hand (and works without JavaScript).
 */
function retryScript(retryAfterSeconds: number): string {
  return `setTimeout(function(){location.reload()},${retryAfterSeconds * 1000})`;
}

export function busyHtml(retryAfterSeconds: number, lang: Lang = 'en'): BusyAnswer {
  const script = retryScript(retryAfterSeconds);
  const body = Buffer.from(
    `<!doctype html><html lang="${lang}" dir="${direction(lang)}"><head><meta charset="utf-8">` +
      '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">' +
      `<title>${escapeHtml(t(lang, 'busy.title'))}</title><style>${STYLE}</style></head>` +
      // The alert inside the main landmark: role="alert" on <main> itself would hide the landmark.
      `<body><main><div role="alert"><h1>${escapeHtml(t(lang, 'busy.heading'))}</h1>` +
      `<p>${escapeHtml(t(lang, 'busy.text', { seconds: retryAfterSeconds }))}</p></div>` +
      `<p><a href="">${escapeHtml(t(lang, 'a11y.busy_try_again_now'))}</a></p>` +
      `</main><script>${script}</script></body></html>`,
  );
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  const csp = `default-src 'none'; style-src ${hash(STYLE)}; script-src ${hash(script)}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
  return { status: 503, headers: commonHeaders(retryAfterSeconds, 'text/html; charset=utf-8', csp), body };
}

/** The busy page in every language, built once (the catalogs' words hold no markup). */
export function busyHtmlPages(retryAfterSeconds: number): Record<Lang, BusyAnswer> {
  return Object.fromEntries(LANGUAGES.map((l) => [l, busyHtml(retryAfterSeconds, l)])) as Record<Lang, BusyAnswer>;
}

/**
 * The busy page's language: `?lang=` on the address the fan asked for (a campaign link in Hindi
 * stays in Hindi), then the visitor's Accept-Language, among all of ours (no campaign is read).
 */
export function busyLang(acceptLanguage: string | undefined, url = ''): Lang {
  return chooseLang({ query: rawQueryLang(url), acceptLanguage, campaignLanguages: ANY_CAMPAIGN });
}
const ANY_CAMPAIGN: readonly string[] = Object.freeze([]);

export function busyJson(retryAfterSeconds: number): BusyAnswer {
  const body = Buffer.from(JSON.stringify({ error: { code: BUSY_CODE, message: ERRORS.BUSY.message } }));
  return {
    status: 503,
    headers: commonHeaders(retryAfterSeconds, 'application/json; charset=utf-8', "default-src 'none'; frame-ancestors 'none'"),
    body,
  };
}
