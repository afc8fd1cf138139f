import { createHash } from 'node:crypto';
import type { Campaign } from '../../campaigns/repo.js';
import type { Db } from '../../db/index.js';
import { getGrant } from '../../grants/repo.js';
import { isolate, t, type Lang } from '../../i18n/index.js';
import type { PresaveRow } from '../../presaves/repo.js';
import { serviceName } from '../../providers/services.js';
import type { ConsentGiven } from '../consents.js';
import { artistKey, audienceOfCampaign } from '../audience.js';
import type { ForeverSaveRow } from './store.js';

/**
 * Where a receipt's pre-saver stands with forever save (read by the receipt page and its form):
 * - `offer`: the grant still holds live tokens (a pending pre-save keeps them), so it can save
 *   future releases: the page offers the consent;
 * - `on` / `stopped`: the forever save of this grant and artist;
 * - null: nothing to offer (the pre-save finished and its grant's tokens were released, as
 *   Dropday does once it needs them no more: pre-saving the next release offers it again).
 */
export type ForeverState =
  | { kind: 'offer'; audience: string; artistKey: string }
  | { kind: 'on' | 'stopped'; row: ForeverSaveRow; audience: string; artistKey: string };

export async function foreverStateOf(db: Db, presave: PresaveRow, campaign: Campaign): Promise<ForeverState | null> {
  const audience = await audienceOfCampaign(db, campaign.id);
  const key = artistKey(campaign.artist_name);
  const row = await db
    .selectFrom('forever_saves')
    .selectAll()
    .where('audience', '=', audience)
    .where('artist_key', '=', key)
    .where('grant_id', '=', presave.grant_id)
    .executeTakeFirst();
  if (row && row.stopped_at === null) return { kind: 'on', row, audience, artistKey: key };
  const grant = await getGrant(db, presave.grant_id);
  const offerable = grant?.status === 'active' && (presave.status === 'pending' || presave.status === 'saved');
  if (offerable) return { kind: 'offer', audience, artistKey: key };
  return row ? { kind: 'stopped', row, audience, artistKey: key } : null;
}

/** The consent's words as the receipt page shows them, in the fan's language. */
export function foreverConsentText(lang: Lang, artist: string, service: string): string {
  return t(lang, 'forever.consent', { artist: isolate(lang, artist), service: isolate(lang, serviceName(service)) });
}

/** The consent as recorded: the exact words, and which version of them (catalog key and hash). */
export function foreverConsent(lang: Lang, campaign: Campaign, presave: PresaveRow): ConsentGiven {
  const text = foreverConsentText(lang, campaign.artist_name, presave.service);
  const hash = createHash('sha256').update(text).digest('base64url').slice(0, 10);
  return {
    purpose: 'forever',
    text,
    textVersion: `forever.consent#${hash}`,
    lang,
    page: 'receipt',
    campaignId: campaign.id,
    presaveId: presave.id,
    timezone: presave.timezone,
    service: presave.service,
  };
}
