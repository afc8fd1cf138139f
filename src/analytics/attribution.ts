/** Where a visitor came from: the referrer's domain (never its URL) and UTM parameters. */

export const UTM_MAX = 64;
const DOMAIN_MAX = 100;

/** Link shorteners and app wrappers that stand for a better-known domain. */
const DOMAIN_ALIASES: Record<string, string> = {
  'l.facebook.com': 'facebook.com',
  'lm.facebook.com': 'facebook.com',
  'm.facebook.com': 'facebook.com',
  'l.instagram.com': 'instagram.com',
  'l.threads.net': 'threads.net',
  't.co': 'x.com',
  'twitter.com': 'x.com',
  'mobile.twitter.com': 'x.com',
  'm.youtube.com': 'youtube.com',
  'out.reddit.com': 'reddit.com',
  'old.reddit.com': 'reddit.com',
  'away.vk.com': 'vk.com',
  'com.google.android.gm': 'mail.google.com',
  'com.google.android.googlequicksearchbox': 'google.com',
  'com.instagram.android': 'instagram.com',
  'com.zhiliaoapp.musically': 'tiktok.com',
};

/**
 * The Referer header reduced to a lower-case domain without `www.`; '' when absent, unparseable,
 * or one of `ownHosts` or `requestHost` (a click on our own page is not a source).
 */
export function referrerDomain(
  referer: string | null | undefined,
  ownHosts: ReadonlySet<string> = new Set(),
  requestHost?: string | null,
): string {
  if (!referer) return '';
  let host: string;
  try {
    host = new URL(referer.slice(0, 2048)).hostname.toLowerCase();
  } catch {
    return '';
  }
  host = host.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (!host || !/^[a-z0-9.:_-]+$/.test(host)) return '';
  if (ownHosts.has(host) || (requestHost && host === requestHost.toLowerCase())) return '';
  host = host.replace(/^www\./, '');
  host = DOMAIN_ALIASES[host] ?? host;
  return host.slice(0, DOMAIN_MAX);
}

function utmValue(v: string | null): string {
  if (!v) return '';
  return v
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
    .slice(0, UTM_MAX);
}

export interface Utm {
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
}

export const NO_UTM: Utm = Object.freeze({ utm_source: '', utm_medium: '', utm_campaign: '' });

/** utm_source / utm_medium / utm_campaign from a request URL (path + query), trimmed, lower-cased, bounded. */
export function utmFrom(url: string | null | undefined): Utm {
  if (!url) return NO_UTM;
  const q = url.indexOf('?');
  if (q < 0) return NO_UTM;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(url.slice(q + 1, q + 1 + 4096));
  } catch {
    return NO_UTM;
  }
  return {
    utm_source: utmValue(params.get('utm_source')),
    utm_medium: utmValue(params.get('utm_medium')),
    utm_campaign: utmValue(params.get('utm_campaign')),
  };
}
