import { urlTextProblem } from '../util/text.js';

/**
 * The streaming services Dropday knows. Pre-save services have adapters that write to a fan's
 * library; link-out services have no public library-write API, so the smart link sends fans to the
 * release there by a URL the artist enters (checked against the service's own hosts).
 */
export const SERVICES = {
  sandbox: { name: 'Sandbox', color: '#6d28d9' },
  spotify: { name: 'Spotify', color: '#1db954' },
  'apple-music': { name: 'Apple Music', color: '#fa243c' },
  tidal: { name: 'TIDAL', color: '#000000' },
  deezer: { name: 'Deezer', color: '#a238ff' },
} as const;

export const LINK_SERVICES = {
  'youtube-music': { name: 'YouTube Music', color: '#ff0000', hosts: ['music.youtube.com', 'youtube.com', 'www.youtube.com', 'youtu.be'] },
  'amazon-music': { name: 'Amazon Music', color: '#00a8e1', hosts: ['music.amazon.com', 'amazon.com', 'www.amazon.com'] },
  soundcloud: { name: 'SoundCloud', color: '#ff5500', hosts: ['soundcloud.com', 'on.soundcloud.com'] },
  jiosaavn: { name: 'JioSaavn', color: '#2bc5b4', hosts: ['www.jiosaavn.com', 'jiosaavn.com'] },
  wynk: { name: 'Wynk Music', color: '#e3262f', hosts: ['wynk.in', 'www.wynk.in'] },
  gaana: { name: 'Gaana', color: '#e72c30', hosts: ['gaana.com'] },
  audiomack: { name: 'Audiomack', color: '#ffa200', hosts: ['audiomack.com'] },
  anghami: { name: 'Anghami', color: '#8c28e8', hosts: ['play.anghami.com', 'anghami.com'] },
  boomplay: { name: 'Boomplay', color: '#0b4ff3', hosts: ['www.boomplay.com', 'boomplay.com'] },
  bandcamp: { name: 'Bandcamp', color: '#1da0c3', hosts: ['bandcamp.com'] },
  beatport: { name: 'Beatport', color: '#01ff95', hosts: ['www.beatport.com', 'beatport.com'] },
  // The real pre-save services can also be linked by hand (e.g. before Dropday has matched the release).
  spotify: { name: 'Spotify', color: '#1db954', hosts: ['open.spotify.com'] },
  'apple-music': { name: 'Apple Music', color: '#fa243c', hosts: ['music.apple.com'] },
  tidal: { name: 'TIDAL', color: '#000000', hosts: ['tidal.com', 'listen.tidal.com'] },
  deezer: { name: 'Deezer', color: '#a238ff', hosts: ['www.deezer.com', 'deezer.com', 'deezer.page.link'] },
} as const;

export type ServiceId = keyof typeof SERVICES;
export type LinkServiceId = keyof typeof LINK_SERVICES;

export function isServiceId(s: unknown): s is ServiceId {
  return typeof s === 'string' && Object.hasOwn(SERVICES, s);
}

export function isLinkServiceId(s: unknown): s is LinkServiceId {
  return typeof s === 'string' && Object.hasOwn(LINK_SERVICES, s);
}

export function serviceName(id: string): string {
  if (isServiceId(id)) return SERVICES[id].name;
  if (isLinkServiceId(id)) return LINK_SERVICES[id].name;
  return id;
}

/** Every service's colour, for the page's button classes. */
export function serviceColors(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, s] of Object.entries(LINK_SERVICES)) out[id] = s.color;
  for (const [id, s] of Object.entries(SERVICES)) out[id] = s.color;
  return out;
}

/**
 * A link-out URL is accepted only on the service's own hosts (or a subdomain of bandcamp.com):
 * a smart link must never become a way to send fans somewhere else.
 */
export function linkUrlProblem(service: string, url: string): string | null {
  if (!isLinkServiceId(service)) return `unknown service "${service}" (one of ${Object.keys(LINK_SERVICES).join(', ')})`;
  // The URL parser silently drops line breaks and tabs: refuse them rather than guess.
  const text = urlTextProblem(url);
  if (text) return text;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'must be a full https:// URL';
  }
  if (u.protocol !== 'https:') return 'must be an https:// URL';
  if (u.username || u.password) return 'must not contain a user name or password';
  const hosts: readonly string[] = LINK_SERVICES[service].hosts;
  const ok = hosts.includes(u.hostname) || (service === 'bandcamp' && u.hostname.endsWith('.bandcamp.com'));
  const name = LINK_SERVICES[service].name;
  // "an Amazon Music address", "a YouTube Music address": artists read this next to their field.
  return ok ? null : `must be ${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} address (${hosts.join(', ')})`;
}

/** A link-out URL as stored: the URL parser's normal form (call after linkUrlProblem found none). */
export function normalizeLinkUrl(url: string): string {
  return new URL(url.trim()).href;
}
