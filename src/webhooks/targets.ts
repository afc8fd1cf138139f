import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may go (docs/webhooks.md "Safe targets"): http(s) to public addresses only.
 * A workspace owner chooses the URL, so without these rules the server could be made to call the
 * network it runs in (its database, a cloud metadata service, an admin port on loopback).
 * The check that protects is the one at connect time (safe-fetch.ts: on the address actually
 * connected to, so a name that resolves differently the second time gains nothing); the one when
 * an endpoint is saved only gives the owner a clear answer early.
 */
const blocked = new BlockList();
const V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'a "this network" address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a carrier-grade NAT address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address (cloud metadata lives here)'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'a reserved address'],
  ['192.0.2.0', 24, 'a documentation address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a benchmarking address'],
  ['198.51.100.0', 24, 'a documentation address'],
  ['203.0.113.0', 24, 'a documentation address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
];
// Every IPv6 form that carries an IPv4 address inside it (IPv4-compatible, IPv4-translated, NAT64,
// 6to4, Teredo) is refused whole: a gateway on the way would turn 2002:7f00:1:: into 127.0.0.1, and
// no webhook receiver needs one of them. (IPv4-mapped ::ffff:0.0.0.0/96 is unwrapped and checked as IPv4.)
const V6: [string, number, string][] = [
  ['::', 128, 'the unspecified address'],
  ['::1', 128, 'a loopback address'],
  ['::', 96, 'an IPv4-compatible address'],
  ['::ffff:0:0:0', 96, 'an IPv4-translated address'],
  ['64:ff9b::', 96, 'a NAT64 address'],
  ['64:ff9b:1::', 48, 'a NAT64 address'],
  ['2001::', 32, 'a Teredo address'],
  ['2002::', 16, 'a 6to4 address'],
  ['fec0::', 10, 'a site-local address'],
  ['100::', 64, 'a discard address'],
  ['2001:db8::', 32, 'a documentation address'],
  ['fc00::', 7, 'a private address'],
  ['fe80::', 10, 'a link-local address'],
  ['ff00::', 8, 'a multicast address'],
];
const why = new Map<string, string>();
for (const [net, bits, words] of V4) {
  blocked.addSubnet(net, bits, 'ipv4');
  why.set(`4:${net}/${bits}`, words);
}
for (const [net, bits, words] of V6) {
  blocked.addSubnet(net, bits, 'ipv6');
  why.set(`6:${net}/${bits}`, words);
}

function reasonFor(ip: string, family: 4 | 6): string {
  const list = family === 4 ? V4 : V6;
  for (const [net, bits, words] of list) {
    const one = new BlockList();
    one.addSubnet(net, bits, family === 4 ? 'ipv4' : 'ipv6');
    if (one.check(ip, family === 4 ? 'ipv4' : 'ipv6')) return words;
  }
  return 'not a public address';
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:127.0.0.1`, `::ffff:7f00:1`), else null. */
function mappedV4(ip: string): string | null {
  const m = /^(?:0{0,4}:){0,5}:?ffff:(.+)$/i.exec(ip) ?? /^::ffff:(.+)$/i.exec(ip);
  if (!m) return null;
  const rest = m[1]!;
  if (isIP(rest) === 4) return rest;
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(rest);
  if (!hex) return null;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Why an address may not be connected to (in words), or null for a public one. */
export function addressRefusal(address: string): string | null {
  const ip = address.replace(/^\[|\]$/g, '');
  const family = isIP(ip);
  if (family === 0) return 'not an IP address';
  if (family === 6) {
    const v4 = mappedV4(ip);
    if (v4) return addressRefusal(v4);
    return blocked.check(ip, 'ipv6') ? reasonFor(ip, 6) : null;
  }
  return blocked.check(ip, 'ipv4') ? reasonFor(ip, 4) : null;
}

/** A refused target: `reason` is said to the owner (the API's 400, the delivery log). */
export class TargetRefusedError extends Error {
  readonly code = 'WEBHOOK_TARGET_REFUSED';
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TargetRefusedError';
  }
}

/** Names that are never public, whatever a resolver says. */
const LOCAL_NAMES = /(^|\.)(localhost|local|internal|home\.arpa)$/i;

/**
 * The check when an endpoint is saved: the URL's shape, and (unless private targets are allowed)
 * where its host resolves now. Returns why it is refused, or null.
 */
export async function targetRefusal(
  raw: string,
  opts: { allowPrivate: boolean; resolve?: (host: string) => Promise<string[]> },
): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'the URL is not valid';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'only http and https URLs can receive webhooks';
  if (url.username || url.password) return 'the URL must not contain a user name or password';
  if (raw.length > 2000) return 'the URL is longer than 2000 characters';
  if (opts.allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const r = addressRefusal(host);
    return r ? `${host} is ${r}` : null;
  }
  if (LOCAL_NAMES.test(host)) return `${host} is a local name`;
  let addresses: string[];
  try {
    addresses = await (opts.resolve ?? resolveAll)(host);
  } catch {
    return `${host} does not resolve`;
  }
  for (const a of addresses) {
    const r = addressRefusal(a);
    if (r) return `${host} resolves to ${a}, ${r}`;
  }
  return addresses.length ? null : `${host} does not resolve`;
}

export async function resolveAll(host: string): Promise<string[]> {
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map((f) => f.address);
}
