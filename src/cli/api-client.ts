import type { Command } from 'commander';
import type { CampaignWire } from '../api/campaigns/wire.js';
import type { LinkWire, MatchWire } from '../api/campaigns/links-wire.js';
import type { Campaign } from '../campaigns/repo.js';
import type { AppContext } from '../context.js';
import type { Match } from '../releases/matches.js';
import type { CampaignLink } from '../smartlink/links.js';
import { withContext } from './context.js';

/**
 * The CLI on the API: with `--api-url` and `--api-key` (or DROPDAY_API_URL and DROPDAY_API_KEY),
 * the campaign commands call a remote Dropday's /api/v1 over HTTP instead of opening a database.
 * The key goes only in the Authorization header: never printed, never logged.
 */
export interface RemoteApi {
  url: string;
  key: string;
}

/** Every call gives up after this long, so a silent server never hangs a script. */
const API_TIMEOUT_MS = 30_000;

/** An API error: printed as `DROPDAY_ERR_…: detail`, then each field and its problem. */
export class ApiProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly fields: Record<string, string>,
  ) {
    super(`${code}: ${detail}`);
  }
}

/** The remote API the command was pointed at, or null to work on the local database. */
export function remoteApiOf(cmd: Command): RemoteApi | null {
  const o = cmd.optsWithGlobals<{ apiUrl?: string; apiKey?: string }>();
  const url = o.apiUrl ?? process.env.DROPDAY_API_URL;
  const key = o.apiKey ?? process.env.DROPDAY_API_KEY;
  if (!url && !key) return null;
  if (!url || !key) throw new Error('give both --api-url and --api-key (or DROPDAY_API_URL and DROPDAY_API_KEY) to use a remote Dropday');
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new Error(`--api-url "${url}" is not a URL (e.g. https://dropday.example.com)`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error('--api-url must be an http(s) URL');
  return { url: base.href.replace(/\/+$/, '').replace(/\/api\/v1$/, ''), key };
}

/** Runs the remote form of a command when an API is given, else the local one on the database. */
export function remoteOrLocal<T>(cmd: Command, remote: (api: RemoteApi) => Promise<T>, local: (ctx: AppContext) => Promise<T>): Promise<T> {
  const api = remoteApiOf(cmd);
  return api ? remote(api) : withContext(local);
}

export async function callApi<T>(api: RemoteApi, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${api.url}/api/v1${path}`, {
      method,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${api.key}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
  } catch (err) {
    const why = (err as Error).name === 'TimeoutError' ? `no answer in ${API_TIMEOUT_MS / 1000} s` : (err as Error).message;
    throw new Error(`could not reach the API at ${api.url}: ${why}`);
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: said below
  }
  if (res.ok) return parsed as T;
  const p = (parsed ?? {}) as { code?: string; detail?: string; errors?: Record<string, string> };
  throw new ApiProblemError(res.status, p.code ?? `HTTP_${res.status}`, p.detail ?? (text.slice(0, 200) || res.statusText), p.errors ?? {});
}

/** A path segment as typed (a slug or a service), never able to change the path. */
export const seg = (s: string): string => encodeURIComponent(s);

/** The API's campaign as the local commands' Campaign, so both print the same. */
export function campaignFromWire(w: CampaignWire): Campaign {
  return {
    id: 0,
    slug: w.slug,
    artist_name: w.artist,
    title: w.title,
    release_type: w.type,
    artwork_url: w.artwork_url,
    upc: w.upc,
    isrcs: w.isrcs,
    release_local: w.release_at,
    release_timezone: w.timezone,
    timing: w.timing,
    first_release_at: Date.parse(w.first_release_at),
    last_release_at: Date.parse(w.last_release_at),
    services: w.services as Campaign['services'],
    follow_artist: w.follow_artist,
    status: w.status,
    is_demo: w.demo,
    created_at: Date.parse(w.created_at),
    updated_at: Date.parse(w.updated_at),
  };
}

export function matchFromWire(m: MatchWire): Match {
  return {
    service: m.service,
    market: m.market ?? '',
    albumUri: m.album_uri,
    albumUrl: m.album_url,
    artistUris: m.artist_uris,
    title: m.title ?? '',
    matchedBy: m.matched_by as Match['matchedBy'],
    overridden: m.overridden,
    resolvedAt: Date.parse(m.resolved_at),
  };
}

export function linkFromWire(l: LinkWire): CampaignLink {
  const ms = (t: string | null) => (t === null ? null : Date.parse(t));
  return { service: l.service, url: l.url, source: l.source, foundAt: ms(l.found_at), acceptedAt: ms(l.accepted_at) };
}

/** Every page of a list, following `next_cursor` to the end. */
export async function allPages<T>(api: RemoteApi, path: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page: { data: T[]; next_cursor: string | null } = await callApi(
      api,
      'GET',
      `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    out.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}
