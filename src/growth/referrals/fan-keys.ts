import { isIPv4, isIPv6 } from 'node:net';
import type { ReachKeys } from '../../reach/keys.js';

/**
 * What a referral is compared on, as keyed hashes (reach/keys.ts) — never the values themselves:
 * the provider account (`service:account_id`, stable across sign-ins), the browser (the random
 * `dropday_fan` cookie), the device profile (user agent, languages, time zone and network
 * together: what many fresh browsers on one machine share) and the network (IPv4 /24, IPv6 /48).
 */
export interface FanFacts {
  userAgent: string | undefined;
  acceptLanguage: string | undefined;
  /** The client address as the web layer sees it (TRUST_PROXY applied). */
  ip: string;
  /** The `dropday_fan` cookie's value, when the browser keeps cookies. */
  browser: string | undefined;
  /** The time zone the fan's page reported (the pre-save's zone). */
  timezone: string;
}

export interface FanKeys {
  browser: string | null;
  device: string;
  network: string;
}

export function accountKey(keys: ReachKeys, service: string, accountId: string): string {
  return keys.hash('account', `${service}:${accountId}`);
}

export function fanKeys(keys: ReachKeys, f: FanFacts): FanKeys {
  const network = networkPrefix(f.ip);
  return {
    browser: f.browser ? keys.hash('browser', f.browser) : null,
    device: keys.hash('device', [f.userAgent ?? '', f.acceptLanguage ?? '', f.timezone, network].join('\n')),
    network: keys.hash('network', network),
  };
}

/** The network an address belongs to: IPv4 /24, IPv6 /48 (an IPv4-mapped IPv6 address is IPv4). */
export function networkPrefix(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const v4 = mapped ? mapped[1]! : ip;
  if (isIPv4(v4)) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('%')[0]!.split('::');
  const h = head ? head.split(':') : [];
  const t = ip.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = ip.includes('::') ? [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h;
  return `${groups
    .slice(0, 3)
    .map((g) => Number.parseInt(g || '0', 16).toString(16))
    .join(':')}::/48`;
}
