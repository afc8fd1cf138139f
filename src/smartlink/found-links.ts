import type { Db } from '../db/index.js';
import { DropdayError } from '../errors.js';
import { linkUrlProblem, normalizeLinkUrl, serviceName } from '../providers/services.js';

/**
 * Links a look-up found (src/links/lookup/), kept in `campaign_links` with their source. They show
 * on the public page at once; the artist can accept one (a look-up then leaves it as it is),
 * replace it with their own (smartlink/links.ts setCampaignLink) or remove it (remembered here, so
 * it never comes back). A link the artist entered is never touched.
 */
export interface FoundLink {
  service: string;
  url: string;
  source: string;
}

/** The longest URL kept, as for a link the artist types (editor/form.ts): a store address is far shorter. */
const MAX_FOUND_URL_LENGTH = 2000;

/**
 * Stores what a look-up found: a new link, or a new URL for a found link the artist has not
 * accepted. Only URLs on the service's own hosts are kept, as for links an artist types, and no
 * longer than theirs may be (every page view carries it). Returns the services written.
 */
export async function storeFoundLinks(db: Db, campaignId: number, found: FoundLink[], now: number): Promise<string[]> {
  if (found.length === 0) return [];
  const dismissed = new Set(await dismissedServices(db, campaignId));
  const written: string[] = [];
  for (const f of found) {
    if (dismissed.has(f.service) || f.url.length > MAX_FOUND_URL_LENGTH || linkUrlProblem(f.service, f.url)) continue;
    const url = normalizeLinkUrl(f.url);
    const res = await db
      .insertInto('campaign_links')
      .values({ campaign_id: campaignId, service: f.service, url, created_at: now, source: f.source, found_at: now, accepted_at: null })
      .onConflict((oc) =>
        oc
          .columns(['campaign_id', 'service'])
          .doUpdateSet({ url, source: f.source, found_at: now })
          // Never the artist's own link, never an accepted one, and no write when nothing changed.
          .where('campaign_links.source', 'is not', null)
          .where('campaign_links.accepted_at', 'is', null)
          .where('campaign_links.url', '<>', url),
      )
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) > 0) written.push(f.service);
  }
  return written;
}

/** The artist keeps a found link as it is. */
export async function acceptFoundLink(db: Db, campaignId: number, service: string, now: number): Promise<void> {
  const res = await db
    .updateTable('campaign_links')
    .set({ accepted_at: now })
    .where('campaign_id', '=', campaignId)
    .where('service', '=', service)
    .where('source', 'is not', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw new DropdayError('NOT_FOUND', `This campaign has no found ${serviceName(service)} link.`);
}

/** Services whose found link the artist removed: look-ups do not fill them again. */
export async function dismissedServices(db: Db, campaignId: number): Promise<string[]> {
  const rows = await db.selectFrom('campaign_link_dismissals').select('service').where('campaign_id', '=', campaignId).execute();
  return rows.map((r) => r.service);
}

/** Called by removeCampaignLink (smartlink/links.ts) inside its transaction. */
export async function dismissService(db: Db, campaignId: number, service: string, now: number): Promise<void> {
  await db
    .insertInto('campaign_link_dismissals')
    .values({ campaign_id: campaignId, service, dismissed_at: now })
    .onConflict((oc) => oc.columns(['campaign_id', 'service']).doUpdateSet({ dismissed_at: now }))
    .execute();
}

/** The campaign's UPC or ISRCs changed: found links it has not accepted belonged to the old release. */
export async function forgetFoundLinks(db: Db, campaignId: number): Promise<void> {
  await db
    .deleteFrom('campaign_links')
    .where('campaign_id', '=', campaignId)
    .where('source', 'is not', null)
    .where('accepted_at', 'is', null)
    .execute();
}
