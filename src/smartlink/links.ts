import type { Db } from '../db/index.js';
import { DropdayError, ValidationError } from '../errors.js';
import { linkUrlProblem, normalizeLinkUrl, serviceName } from '../providers/services.js';
import { inTransaction } from '../db/transaction.js';
import { listMatches } from '../releases/matches.js';
import { dismissService } from './found-links.js';

/**
 * The smart link: after release a campaign's page lists every service the release can be heard
 * on — those where Dropday matched it, and the link-out services the artist added by URL.
 */
/** Remembers the service a visitor chose, to put it first on smart links. */
export const PREFERRED_SERVICE_COOKIE = 'dropday_service';

export interface ListenLink {
  service: string;
  url: string;
}

/** Adds or replaces a link-out; the URL is stored in its normal form. Returns what was stored. */
export async function setCampaignLink(db: Db, campaignId: number, service: string, url: string, now: number): Promise<string> {
  const problem = linkUrlProblem(service, url.trim());
  if (problem) throw new ValidationError({ url: problem });
  const href = normalizeLinkUrl(url);
  await db
    .insertInto('campaign_links')
    .values({ campaign_id: campaignId, service, url: href, created_at: now })
    // The artist's own link replaces a found one, and is never changed by a look-up.
    .onConflict((oc) => oc.columns(['campaign_id', 'service']).doUpdateSet({ url: href, source: null, found_at: null, accepted_at: null }))
    .execute();
  return href;
}

/**
 * Where a listen button may send a visitor: the stored URL in its normal form, when it is an
 * http(s) URL. Rows stored before URLs were checked for line breaks or NUL are normalized here
 * (the parser drops line breaks, encodes the rest), so the Location header is always valid.
 */
export function redirectTarget(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * Removes a link. A link a look-up found is remembered as removed, so the next look-up does not
 * bring it back (src/smartlink/found-links.ts); removing the artist's own link lets look-ups fill it.
 */
export async function removeCampaignLink(db: Db, campaignId: number, service: string, now: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const gone = await trx
      .deleteFrom('campaign_links')
      .where('campaign_id', '=', campaignId)
      .where('service', '=', service)
      .returning('source')
      .executeTakeFirst();
    if (!gone) throw new DropdayError('NOT_FOUND', `This campaign has no ${serviceName(service)} link.`);
    if (gone.source !== null) await dismissService(trx, campaignId, service, now);
  });
}

export interface CampaignLink extends ListenLink {
  /** Where a found link came from (itunes, deezer, spotify, tidal, odesli); null: the artist's own. */
  source: string | null;
  foundAt: number | null;
  acceptedAt: number | null;
}

/** Each link with where it came from (the editor's found-links panel, `dropday campaign links`). */
export async function campaignLinksWithSource(db: Db, campaignId: number): Promise<CampaignLink[]> {
  const rows = await db
    .selectFrom('campaign_links')
    .select(['service', 'url', 'source', 'found_at', 'accepted_at'])
    .where('campaign_id', '=', campaignId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    service: r.service,
    url: r.url,
    source: r.source,
    foundAt: r.found_at === null ? null : Number(r.found_at),
    acceptedAt: r.accepted_at === null ? null : Number(r.accepted_at),
  }));
}

export async function campaignLinks(db: Db, campaignId: number): Promise<ListenLink[]> {
  return (await campaignLinksWithSource(db, campaignId)).map(({ service, url }) => ({ service, url }));
}

/** The links the artist entered (the editor's form fields); found links have their own panel. */
export async function artistLinks(db: Db, campaignId: number): Promise<ListenLink[]> {
  return (await campaignLinksWithSource(db, campaignId)).filter((l) => l.source === null).map(({ service, url }) => ({ service, url }));
}

/** Matched services first (one link each; an artist's override wins), then artist-added links. */
export async function listenLinks(db: Db, campaignId: number, offered: readonly string[]): Promise<ListenLink[]> {
  const byService = new Map<string, string>();
  const matches = await listMatches(db, campaignId);
  for (const m of [...matches].sort((a, b) => Number(b.overridden) - Number(a.overridden))) {
    if (m.albumUrl && offered.includes(m.service) && !byService.has(m.service)) byService.set(m.service, m.albumUrl);
  }
  for (const l of await campaignLinks(db, campaignId)) if (!byService.has(l.service)) byService.set(l.service, l.url);
  return [...byService].map(([service, url]) => ({ service, url }));
}

/** Where a visitor most likely listens, most likely first. */
const REGIONAL_ORDER: [RegExp, string[]][] = [
  [/^(IN)$/, ['jiosaavn', 'spotify', 'wynk', 'gaana', 'youtube-music', 'apple-music', 'amazon-music']],
  [/^(NG|GH|KE|TZ|UG|ZA|CM|CI|SN)$/, ['boomplay', 'audiomack', 'spotify', 'apple-music', 'youtube-music', 'deezer']],
  [/^(AE|SA|EG|LB|JO|KW|QA|BH|OM|MA|DZ|TN|IQ)$/, ['anghami', 'spotify', 'apple-music', 'youtube-music', 'deezer']],
  [/^(FR|BE|BR)$/, ['deezer', 'spotify', 'apple-music', 'youtube-music', 'amazon-music']],
];
const DEFAULT_ORDER = [
  'spotify',
  'apple-music',
  'youtube-music',
  'amazon-music',
  'tidal',
  'deezer',
  'soundcloud',
  'bandcamp',
  'audiomack',
  'beatport',
];

export function orderForVisitor<T extends { service: string }>(
  links: T[],
  visitor: { preferred?: string | null; country?: string | null; apple?: boolean },
): T[] {
  const regional = REGIONAL_ORDER.find(([re]) => visitor.country && re.test(visitor.country))?.[1] ?? DEFAULT_ORDER;
  const rank = (s: string) => {
    if (s === visitor.preferred) return -2;
    if (visitor.apple && s === 'apple-music') return -1;
    const i = regional.indexOf(s);
    return i === -1 ? regional.length + DEFAULT_ORDER.indexOf(s) + 100 : i;
  };
  return [...links].sort((a, b) => rank(a.service) - rank(b.service));
}
