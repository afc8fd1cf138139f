import { toCampaign, type Campaign } from '../campaigns/repo.js';
import { isValidSlug } from '../campaigns/validate.js';
import type { AppContext } from '../context.js';
import { editorSettings } from '../editor/service.js';
import type { ServiceId } from '../providers/services.js';
import { leaderboardPublic } from '../growth/settings.js';
import { listenLinks, type ListenLink } from '../smartlink/links.js';
import type { LoadedCampaign } from './page-cache.js';
import type { Theme } from './views/theme.js';
import { contestOf } from '../growth/contests/read.js';
import type { Db } from '../db/index.js';
import type { ConversionPlatform } from '../db/schema-conversions.js';
import { pagePixels } from '../conversions/settings.js';

/** Everything the campaign page and its listen redirects show, read once per change (web/page-cache.ts). */
export interface PublicPageData {
  campaign: Campaign;
  languages: string[];
  theme: Theme;
  /** The campaign's pre-save services that this server offers. */
  offered: ServiceId[];
  /** Matched services and link-outs, whatever the release state (the page shows them from release on). */
  listen: ListenLink[];
  /** The campaign's referral leaderboard is public (growth/settings.ts): the page links to it. */
  leaderboardPublic: boolean;
  /** The contest's prize while it runs (from its creation until its draw; growth/contests), else null. */
  contest: { prize: string } | null;
  /** The artist's ad pixels (conversions/settings.ts); empty: no tracking prompt. */
  pixels: Partial<Record<ConversionPlatform, string>>;
}

/** The cache key of a campaign by id (a fan's thank-you page knows the id, not the slug): `#<id>`. */
export function campaignIdKey(id: number): string {
  return `#${id}`;
}

function byIdKey(key: string): number | null {
  return /^#\d{1,15}$/.test(key) ? Number(key.slice(1)) : null;
}

/**
 * Reads a campaign's public page by slug (or by {@link campaignIdKey}). The campaign row and its page version come from one
 * statement, and everything else is read after it, so the data is never older than the version
 * the cache files it under (a newer read only costs one extra reload at the next check).
 */
export async function loadPublicPage(
  ctx: Pick<AppContext, 'db' | 'providers'>,
  key: string,
): Promise<LoadedCampaign<PublicPageData> | null> {
  const id = byIdKey(key);
  const slug = key.toLowerCase();
  if (id === null && !isValidSlug(slug)) return null;
  const row = await ctx.db
    .selectFrom('campaigns')
    .leftJoin('page_versions', 'page_versions.campaign_id', 'campaigns.id')
    .selectAll('campaigns')
    .select('page_versions.version')
    .where((eb) => (id === null ? eb('campaigns.slug', '=', slug) : eb('campaigns.id', '=', id)))
    .executeTakeFirst();
  if (!row) return null;
  const { version, ...campaignRow } = row;
  const campaign = toCampaign(campaignRow);
  const enabled = new Set(ctx.providers.enabled());
  const offered = campaign.services.filter((s): s is ServiceId => enabled.has(s));
  const settings = await editorSettings(ctx, campaign.id);
  return {
    campaignId: campaign.id,
    version: version === null ? 0 : Number(version),
    data: {
      campaign,
      languages: settings.languages,
      theme: { accent: settings.themeAccent, background: settings.themeBackground },
      offered,
      listen: await listenLinks(ctx.db, campaign.id, offered),
      leaderboardPublic: await leaderboardPublic(ctx.db, campaign.id),
      contest: await runningContest(ctx.db, campaign.id),
      pixels: await pagePixels(ctx.db, campaign.id),
    },
  };
}

/**
 * The campaign page's contest line: from the contest's creation until its draw. Not by the clock:
 * the cached page changes only on a write (the contest row's page-version trigger), and the draw
 * is one.
 */
async function runningContest(db: Db, campaignId: number): Promise<{ prize: string } | null> {
  const c = await contestOf(db, campaignId);
  return c && c.drawn_at === null ? { prize: c.prize } : null;
}
