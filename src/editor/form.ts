import type { Campaign } from '../campaigns/repo.js';
import { parseReleaseAt } from '../campaigns/timing.js';
import { validateCampaign, type CampaignFields, type CampaignInput } from '../campaigns/validate.js';
import { ValidationError } from '../errors.js';
import { LANGUAGES } from '../i18n/index.js';
import { LINK_SERVICES, linkUrlProblem, normalizeLinkUrl, serviceName, type LinkServiceId } from '../providers/services.js';
import { parseReleaseReference, type ParsedRelease } from '../releases/release-urls.js';
import { ArtworkProblem, processArtwork, type ArtworkFile, type ProcessedArtwork } from './artwork.js';

/**
 * The editor's form: every field as typed (so a page with errors shows them again), read into what
 * src/campaigns validates (CampaignInput) plus the editor's own fields, with every problem collected
 * under the name of the field it belongs to.
 */
export type FormValues = Record<string, string | string[] | undefined>;

/** A slug that would shadow the editor's own page /w/:workspace/campaigns/new (also reserved in src/campaigns now). */
export const EDITOR_RESERVED_SLUGS = new Set(['new']);

export interface ArtistId {
  uri: string;
  url: string | null;
}

export interface EditorExtras {
  themeAccent: string | null;
  themeBackground: string | null;
  languages: string[];
  /** Per pre-save service: the main artist's id (absent: none given). */
  artistIds: Map<string, ArtistId>;
  /** Per link-out service: its URL, or null to remove it. */
  links: Map<LinkServiceId, string | null>;
  /** Per pre-save service: the artist's own pick of the release (null: none). */
  matches: Map<string, ParsedRelease | null>;
}

export interface EditorPlan {
  input: CampaignInput;
  fields: CampaignFields;
  extras: EditorExtras;
  artwork: ProcessedArtwork | null;
  removeArtwork: boolean;
}

export function one(v: FormValues[string]): string {
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).slice(0, 5000);
}

export function many(v: FormValues[string]): string[] {
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((s) => s.slice(0, 200));
}

const ARTIST_PATTERNS: Record<string, { id: RegExp; uri: RegExp; url: RegExp; toUrl: (id: string) => string | null }> = {
  spotify: {
    id: /^([A-Za-z0-9]{22})$/,
    uri: /^spotify:artist:([A-Za-z0-9]{22})$/,
    url: /^https:\/\/open\.spotify\.com\/(?:intl-[a-z-]+\/)?artist\/([A-Za-z0-9]{22})(?:[/?#].*)?$/,
    toUrl: (id) => `https://open.spotify.com/artist/${id}`,
  },
  'apple-music': {
    id: /^(\d{1,20})$/,
    uri: /^apple-music:artist:(\d{1,20})$/,
    url: /^https:\/\/music\.apple\.com\/[a-z]{2}\/artist\/(?:[^/?#]+\/)?(\d{1,20})(?:[/?#].*)?$/,
    toUrl: (id) => `https://music.apple.com/us/artist/${id}`,
  },
  tidal: {
    id: /^(\d{1,20})$/,
    uri: /^tidal:artist:(\d{1,20})$/,
    url: /^https:\/\/(?:listen\.)?tidal\.com\/(?:browse\/)?artist\/(\d{1,20})(?:[/?#].*)?$/,
    toUrl: (id) => `https://tidal.com/artist/${id}`,
  },
  deezer: {
    id: /^(\d{1,20})$/,
    uri: /^deezer:artist:(\d{1,20})$/,
    url: /^https:\/\/(?:www\.)?deezer\.com\/(?:[a-z]{2}\/)?artist\/(\d{1,20})(?:[/?#].*)?$/,
    toUrl: (id) => `https://www.deezer.com/artist/${id}`,
  },
  sandbox: {
    id: /^([A-Za-z0-9]{1,64})$/,
    uri: /^sandbox:artist:([A-Za-z0-9]{1,64})$/,
    url: /^https?:\/\/[^/]+(?:\/[^?#]*)?\/sandbox\/artist\/([A-Za-z0-9]{1,64})$/,
    toUrl: () => null,
  },
};

const ARTIST_EXAMPLES: Record<string, string> = {
  spotify: 'https://open.spotify.com/artist/… or its 22-character id',
  'apple-music': 'https://music.apple.com/us/artist/…/123456 or the number',
  tidal: 'https://tidal.com/artist/123456 or the number',
  deezer: 'https://www.deezer.com/artist/123456 or the number',
  sandbox: 'sandbox:artist:… or the id',
};

/** An artist's id on a service from a URL, a URI or the bare id; null when it is none of those. */
export function parseArtistReference(service: string, text: string): ArtistId | null {
  const p = ARTIST_PATTERNS[service];
  if (!p) return null;
  const t = text.trim();
  const byUrl = p.url.exec(t);
  if (byUrl) return { uri: `${service}:artist:${byUrl[1]}`, url: p.toUrl(byUrl[1]!) ?? t };
  const byUri = p.uri.exec(t) ?? p.id.exec(t);
  if (byUri) return { uri: `${service}:artist:${byUri[1]}`, url: p.toUrl(byUri[1]!) };
  return null;
}

export function colourProblem(v: string): string | null {
  return /^#[0-9a-fA-F]{6}$/.test(v) ? null : 'must be a colour written #rrggbb, like #8b5cf6';
}

/**
 * The page's languages from "en, fr pt-BR": ours only (i18n/languages.ts: the fan pages are
 * written in those), canonical, without repeats; or a problem naming the supported ones.
 */
export function parseLanguages(text: string): { languages: string[]; problem: string | null } {
  const tags = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const out: string[] = [];
  for (const tag of tags) {
    let canonical: string | undefined;
    try {
      canonical = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/.test(tag) ? Intl.getCanonicalLocales(tag)[0] : undefined;
    } catch {
      canonical = undefined;
    }
    if (!canonical) return { languages: [], problem: `"${tag.slice(0, 40)}" is not a language tag (use tags like en, fr, pt-BR)` };
    const lang = LANGUAGES.find((l) => l.toLowerCase() === canonical.toLowerCase());
    if (!lang) {
      return {
        languages: [],
        problem: `"${tag.slice(0, 40)}" is not one of the supported languages: ${LANGUAGES.join(', ')} (the first you list is the page's default)`,
      };
    }
    if (!out.includes(lang)) out.push(lang);
  }
  return { languages: out, problem: null };
}

/** What src/campaigns gets from the form. On an edit, an unchanged release time is left out (so a released campaign can still be edited). */
export function campaignInputOf(v: FormValues, current?: CampaignFields): CampaignInput {
  const isrcs = one(v.isrcs)
    .split(/[\s,;]+/)
    .filter(Boolean);
  const input: CampaignInput = {
    slug: one(v.slug),
    artistName: one(v.artist),
    title: one(v.title),
    releaseType: one(v.type) || 'single',
    upc: one(v.upc).trim() || null,
    isrcs,
    releaseAt: one(v.releaseAt),
    timezone: one(v.timezone) || 'UTC',
    timing: one(v.timing) || 'local',
    services: many(v.services),
    followArtist: one(v.followArtist) === 'on' || one(v.followArtist) === '1',
  };
  if (current) {
    const sameZone = input.timezone === current.release_timezone && input.timing === current.timing;
    const parsed = input.releaseAt ? parseReleaseAt(input.releaseAt, current.release_timezone) : null;
    if (sameZone && parsed === current.release_local) {
      delete input.releaseAt;
      delete input.timezone;
      delete input.timing;
    }
  }
  return input;
}

/** Extras that set nothing: no theme, languages, artist ids, links or release picks. */
export function noExtras(): EditorExtras {
  return { themeAccent: null, themeBackground: null, languages: [], artistIds: new Map(), links: new Map(), matches: new Map() };
}

/** What the editor's checks depend on: the time, the services on, the campaign being changed, the lead limit. */
export interface CheckOptions {
  now: number;
  enabledServices: readonly string[];
  current?: Campaign;
  maxLeadDays?: number;
}

/** A campaign's fields checked as the editor checks them (the form here, and the API's writes). */
export function checkCampaignInput(input: CampaignInput, opts: CheckOptions): CampaignFields {
  return validateCampaign(input, {
    now: opts.now,
    enabledServices: opts.enabledServices,
    ...(opts.current ? { current: opts.current } : {}),
    ...(opts.maxLeadDays !== undefined ? { maxLeadDays: opts.maxLeadDays } : {}),
  });
}

/**
 * Validates the whole form (and the artwork file, when one was chosen). Throws one ValidationError
 * with every problem, keyed by field: slug, artist, title, type, upc, isrc, releaseAt, timezone,
 * timing, services, artwork, themeAccent, themeBackground, languages, artist_<service>,
 * match_<service>, link_<service>.
 */
export async function planFromForm(v: FormValues, file: Buffer | ArtworkFile | null, opts: CheckOptions): Promise<EditorPlan> {
  const errs: Record<string, string> = {};
  const input = campaignInputOf(v, opts.current);
  const removeArtwork = one(v.removeArtwork) === 'on';
  if (removeArtwork && !file) input.artworkUrl = null;
  let fields: CampaignFields | null = null;
  try {
    fields = checkCampaignInput(input, opts);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    Object.assign(errs, err.details);
  }
  // A datetime-local field with a date but no time is sent empty: say what to do, not what format.
  if (errs.releaseAt && input.releaseAt?.trim() === '')
    errs.releaseAt = 'Enter the release date and time (both: the field stays empty until the time is filled in too).';
  const slug = (input.slug ?? '').trim().toLowerCase();
  if (EDITOR_RESERVED_SLUGS.has(slug) && slug !== opts.current?.slug) errs.slug = `"${slug}" is reserved`;

  const extras = noExtras();
  for (const [field, key] of [
    ['themeAccent', 'themeAccent'],
    ['themeBackground', 'themeBackground'],
  ] as const) {
    const c = one(v[field]).trim();
    if (!c) continue;
    const problem = colourProblem(c);
    if (problem) errs[field] = problem;
    else extras[key] = c.toLowerCase();
  }
  const langs = parseLanguages(one(v.languages));
  if (langs.problem) errs.languages = langs.problem;
  extras.languages = langs.languages;

  for (const service of opts.enabledServices) {
    const artistText = one(v[`artist_${service}`]).trim();
    if (artistText) {
      const id = parseArtistReference(service, artistText);
      if (id) extras.artistIds.set(service, id);
      else errs[`artist_${service}`] = `is not a ${serviceName(service)} artist (give ${ARTIST_EXAMPLES[service] ?? 'its id'})`;
    }
    const matchText = one(v[`match_${service}`]).trim();
    if (matchText) {
      const ref = parseReleaseReference(service, matchText);
      if (ref) extras.matches.set(service, ref);
      else errs[`match_${service}`] = `is not a ${serviceName(service)} album address or URI`;
    } else extras.matches.set(service, null);
  }
  for (const service of Object.keys(LINK_SERVICES) as LinkServiceId[]) {
    const url = one(v[`link_${service}`]).trim();
    if (!url) {
      extras.links.set(service, null);
      continue;
    }
    const problem = url.length > 2000 ? 'is too long' : linkUrlProblem(service, url);
    if (problem) errs[`link_${service}`] = problem;
    else extras.links.set(service, normalizeLinkUrl(url));
  }

  let artwork: ProcessedArtwork | null = null;
  if (file) {
    try {
      artwork = await processArtwork(file);
    } catch (err) {
      if (!(err instanceof ArtworkProblem)) throw err;
      errs.artwork = err.message;
    }
  }
  if (Object.keys(errs).length || !fields) throw new ValidationError(errs);
  return { input, fields, extras, artwork, removeArtwork };
}
