import { ValidationError } from '../errors.js';
import { isServiceId, type ServiceId } from '../providers/services.js';
import { nameProblem, normalizeName } from '../util/text.js';
import { isValidIsrc, isValidUpc, normalizeIsrc, normalizeUpc } from './identifiers.js';
import { instantOf, isValidTimeZone, parseReleaseAt, releaseWindow, type Timing } from './timing.js';

/** How far ahead a release date may be (MAX_RELEASE_LEAD_DAYS): two years. */
export const DEFAULT_MAX_RELEASE_LEAD_DAYS = 730;

function formatLead(days: number): string {
  return days % 365 === 0 ? `${days / 365} year${days === 365 ? '' : 's'}` : `about ${Math.round((days / 365) * 10) / 10} years`;
}

export const RELEASE_TYPES = ['single', 'ep', 'album'] as const;
export type ReleaseType = (typeof RELEASE_TYPES)[number];

/** Paths the router owns; a campaign may not take them as its slug. */
const RESERVED_SLUGS = new Set([
  'admin',
  'api',
  'assets',
  'callback',
  'connect',
  'sandbox',
  'healthz',
  'metrics',
  'static',
  'favicon.ico',
  'new',
  'signup',
  'forgot',
  'reset',
  'workspaces',
  'w',
  'invite',
  'robots.txt',
  'p',
  // A browser's notifications page (/n/<id>: web/routes/push.ts).
  'n',
  // A fan's preference page and confirmation (/c/…: web/routes/contacts.ts), forever save's page (/f/…).
  'c',
  'f',
  // The account address confirmation (/verify/<token>).
  'verify',
  'login',
  'logout',
  'docs',
]);

/** What a person gives to create or change a campaign; every field is text as typed. */
export interface CampaignInput {
  slug?: string;
  artistName?: string;
  title?: string;
  releaseType?: string;
  artworkUrl?: string | null;
  upc?: string | null;
  isrcs?: string[];
  releaseAt?: string;
  timezone?: string;
  timing?: string;
  services?: string[];
  followArtist?: boolean;
}

export interface CampaignFields {
  slug: string;
  artist_name: string;
  title: string;
  release_type: ReleaseType;
  artwork_url: string | null;
  upc: string | null;
  isrcs: string[];
  release_local: string;
  release_timezone: string;
  timing: Timing;
  first_release_at: number;
  last_release_at: number;
  services: ServiceId[];
  follow_artist: boolean;
}

export function isValidSlug(slug: string): boolean {
  return /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/.test(slug) && !RESERVED_SLUGS.has(slug);
}

/**
 * Validates a full campaign (create) or a change merged onto the current one (update). Every
 * problem is collected so a person can fix them all at once. `now` guards "release in the future".
 */
export function validateCampaign(
  input: CampaignInput,
  opts: { now: number; current?: CampaignFields; enabledServices: readonly string[]; maxLeadDays?: number },
): CampaignFields {
  const cur = opts.current;
  const errs: Record<string, string> = {};
  // Names are shown and compared (the Sandbox finds an artist by name): one form, nothing hidden.
  const text = (field: string, v: string | undefined, fallback: string | undefined, max: number) => {
    const s = normalizeName(v ?? fallback ?? '');
    const problem = s ? nameProblem(s) : null;
    if (!s) errs[field] = 'is required';
    else if (s.length > max) errs[field] = `must be at most ${max} characters`;
    else if (problem) errs[field] = problem;
    return s;
  };

  const slug = (input.slug ?? cur?.slug ?? '').trim().toLowerCase();
  if (!slug) errs.slug = 'is required';
  else if (!isValidSlug(slug)) {
    errs.slug = RESERVED_SLUGS.has(slug)
      ? `"${slug}" is reserved`
      : 'use 1–64 lower-case letters, digits and hyphens, not starting or ending with a hyphen';
  }
  const artist_name = text('artist', input.artistName, cur?.artist_name, 200);
  const title = text('title', input.title, cur?.title, 200);

  const release_type = (input.releaseType ?? cur?.release_type ?? 'single').toLowerCase() as ReleaseType;
  if (!RELEASE_TYPES.includes(release_type)) errs.type = `must be one of ${RELEASE_TYPES.join(', ')}`;

  let artwork_url = input.artworkUrl === undefined ? (cur?.artwork_url ?? null) : input.artworkUrl?.trim() || null;
  if (artwork_url) {
    if (artwork_url.length > 2000) errs.artwork = 'URL is too long';
    else if (!artwork_url.startsWith('/assets/')) {
      try {
        const u = new URL(artwork_url);
        if (u.protocol !== 'https:' && u.protocol !== 'http:') errs.artwork = 'must be an http(s) URL';
      } catch {
        errs.artwork = 'must be an http(s) URL';
        artwork_url = null;
      }
    }
  }

  const upc = input.upc === undefined ? (cur?.upc ?? null) : input.upc ? normalizeUpc(input.upc) : null;
  if (upc && !isValidUpc(upc)) errs.upc = 'must be 12 or 13 digits with a valid check digit';
  const isrcs = input.isrcs === undefined ? (cur?.isrcs ?? []) : input.isrcs.map(normalizeIsrc).filter(Boolean);
  const badIsrc = isrcs.find((i) => !isValidIsrc(i));
  if (badIsrc) errs.isrc = `"${badIsrc}" is not an ISRC (format CC-XXX-YY-NNNNN, e.g. GB-AAA-26-00001)`;
  if (isrcs.length > 100) errs.isrc = 'at most 100 ISRCs';
  if (!upc && isrcs.length === 0) errs.upc = 'give a UPC or at least one ISRC so the release can be found';

  const release_timezone = (input.timezone ?? cur?.release_timezone ?? 'UTC').trim();
  if (!isValidTimeZone(release_timezone)) errs.timezone = `"${release_timezone}" is not an IANA time zone (e.g. Europe/Paris)`;

  const timing = (input.timing ?? cur?.timing ?? 'local') as Timing;
  if (timing !== 'local' && timing !== 'global') errs.timing = 'must be local or global';

  let release_local = cur?.release_local ?? '';
  if (input.releaseAt !== undefined && !errs.timezone) {
    const parsed = parseReleaseAt(input.releaseAt, release_timezone);
    if (!parsed) errs.releaseAt = 'must be a date and time like 2026-12-05T00:00, 2026-12-05 or 2026-12-05T00:00:00Z';
    else release_local = parsed;
  } else if (!release_local && !errs.timezone) errs.releaseAt = 'is required';

  let window = { firstReleaseAt: 0, lastReleaseAt: 0 };
  if (release_local && !errs.timezone && !errs.timing) {
    window = releaseWindow(release_local, release_timezone, timing);
    const timeChanged = !cur || input.releaseAt !== undefined || input.timing !== undefined || input.timezone !== undefined;
    // "In the future" as the artist typed it, in the campaign's zone: with local timing the
    // release may already be out in earlier zones, and fans elsewhere can still pre-save.
    const instant = instantOf(release_local, release_timezone);
    const maxLeadDays = opts.maxLeadDays ?? DEFAULT_MAX_RELEASE_LEAD_DAYS;
    if (timeChanged && instant <= opts.now) errs.releaseAt = 'must be in the future';
    // A date years ahead is almost always a typo (2062 for 2026); fans' authorizations would not
    // last that long either.
    else if (timeChanged && instant - opts.now > maxLeadDays * 86_400_000)
      errs.releaseAt = `is more than ${maxLeadDays} days ahead (${formatLead(maxLeadDays)}): check the year`;
  }

  const services = [...new Set((input.services ?? cur?.services ?? []).map((s) => s.trim().toLowerCase()))];
  if (services.length === 0) errs.services = 'choose at least one service';
  for (const s of services) {
    if (!isServiceId(s)) errs.services = `unknown service "${s}"`;
    else if (!opts.enabledServices.includes(s)) errs.services = `"${s}" is not configured on this server`;
  }

  const follow_artist = input.followArtist ?? cur?.follow_artist ?? false;

  if (Object.keys(errs).length) throw new ValidationError(errs);
  return {
    slug,
    artist_name,
    title,
    release_type,
    artwork_url,
    upc,
    isrcs,
    release_local,
    release_timezone,
    timing,
    first_release_at: window.firstReleaseAt,
    last_release_at: window.lastReleaseAt,
    services: services as ServiceId[],
    follow_artist,
  };
}
