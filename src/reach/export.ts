import { sql } from 'kysely';
import { CSV_BOM, csvRow } from '../analytics/csv.js';
import type { Db } from '../db/index.js';
import type { TokenCipher } from '../util/token-cipher.js';

/**
 * "Contacts who agreed to news": a CSV that Mailchimp and Klaviyo import as an audience
 * (docs/reach.md "For the artist"). One line per address of the audience (`w:<workspace id>`, or
 * `c:<campaign id>` for a campaign made from the CLI) that is confirmed (double opt-in done, not
 * suppressed by a bounce) and has at least one standing `news` consent — confirmed by the
 * address's owner (reach/consents.ts), not merely typed in. The consent columns are the fan's
 * first standing news consent — the proof of when, where and with which words they agreed, and
 * when they confirmed it; Tags name every campaign they agreed on. Formula-safe like the other exports
 * (analytics/csv.ts). Addresses are decrypted here and nowhere logged.
 */
export const NEWS_CSV_COLUMNS = [
  'Email Address',
  'Language',
  'Consent Time',
  // When the address's owner confirmed that consent by the link mailed to it (double opt-in).
  'Confirmation Time',
  'Consent Source',
  'Consent Text',
  'Consent Version',
  'Tags',
] as const;

export interface ExportTally {
  /** Lines written (addresses exported). */
  rows: number;
  /** Addresses that could not be decrypted (an encryption key was removed): left out, counted. */
  unreadable: number;
}

const PAGES = { campaign: 'campaign page', receipt: 'receipt page' } as const;

/** One exported contact: the fields of a CSV line (NEWS_CSV_COLUMNS), for the CSV and the API alike. */
export interface NewsContact {
  /** The contact's row id: where the next page starts. */
  contactId: number;
  email: string;
  language: string;
  consentTime: number;
  confirmationTime: number;
  consentSource: string;
  consentText: string;
  consentVersion: string;
  tags: string[];
}

/**
 * One page of the audience's contacts who agreed to news, in contact id order after `after`:
 * `limit` contacts are read, and those whose consent was withdrawn meanwhile or whose address
 * cannot be decrypted are left out (the latter counted in the tally), so a page may hold fewer.
 * With `campaignId`, only contacts with a standing news consent given on that campaign, whose
 * consent columns are that campaign's consent. `scanned` says how many contacts were read: fewer
 * than `limit` means the end.
 */
export async function newsContactsPage(
  db: Db,
  cipher: TokenCipher,
  audience: string,
  page: { after: number; limit: number; campaignId?: number },
  tally: ExportTally = { rows: 0, unreadable: 0 },
): Promise<{ contacts: NewsContact[]; scanned: number; lastId: number | null }> {
  const contacts = await db
    .selectFrom('contacts')
    .select(['id', 'email_hash', 'email_enc', 'lang'])
    .where('audience', '=', audience)
    .where('status', '=', 'confirmed')
    .where('id', '>', page.after)
    .where(({ exists, selectFrom }) => {
      let standing = selectFrom('consents as k')
        .select(sql`1`.as('one'))
        .whereRef('k.contact_id', '=', 'contacts.id')
        .where('k.purpose', '=', 'news')
        .where('k.withdrawn_at', 'is', null)
        // Confirmed by the address's owner: a "news" typed in by someone else is not consent.
        .where('k.confirmed_at', 'is not', null);
      if (page.campaignId !== undefined) standing = standing.where('k.campaign_id', '=', page.campaignId);
      return exists(standing);
    })
    .orderBy('id')
    .limit(page.limit)
    .execute();
  const lastId = contacts.length ? Number(contacts[contacts.length - 1]!.id) : null;
  if (contacts.length === 0) return { contacts: [], scanned: 0, lastId };
  const consents = await db
    .selectFrom('consents as k')
    .innerJoin('campaigns as c', 'c.id', 'k.campaign_id')
    .select(['k.contact_id', 'k.campaign_id', 'k.given_at', 'k.confirmed_at', 'k.text', 'k.text_version', 'k.page', 'c.slug'])
    .where(
      'k.contact_id',
      'in',
      contacts.map((c) => c.id),
    )
    .where('k.purpose', '=', 'news')
    .where('k.withdrawn_at', 'is', null)
    .where('k.confirmed_at', 'is not', null)
    .orderBy('k.contact_id')
    .orderBy('k.given_at')
    .orderBy('k.id')
    .execute();
  const byContact = new Map<number, typeof consents>();
  for (const k of consents) {
    const id = Number(k.contact_id);
    let list = byContact.get(id);
    if (!list) byContact.set(id, (list = []));
    list.push(k);
  }
  const out: NewsContact[] = [];
  for (const c of contacts) {
    const list = byContact.get(Number(c.id));
    const first = page.campaignId === undefined ? list?.[0] : list?.find((k) => Number(k.campaign_id) === page.campaignId);
    // Withdrawn between the two reads: nothing stands, nothing exported.
    if (!list || !first) continue;
    let address: string;
    try {
      address = cipher.decrypt(c.email_enc, `contact:${c.email_hash}`);
    } catch {
      tally.unreadable++;
      continue;
    }
    out.push({
      contactId: Number(c.id),
      email: address,
      language: c.lang,
      consentTime: Number(first.given_at),
      confirmationTime: Number(first.confirmed_at),
      consentSource: `${first.slug} (${PAGES[first.page] ?? first.page})`,
      consentText: first.text,
      consentVersion: first.text_version,
      tags: ['dropday', 'news', ...new Set(list.map((k) => k.slug))],
    });
    tally.rows++;
  }
  return { contacts: out, scanned: contacts.length, lastId };
}

export async function* newsContactsCsv(
  db: Db,
  cipher: TokenCipher,
  audience: string,
  opts: { pageSize?: number; bom?: boolean; onDone?: (t: ExportTally) => void } = {},
): AsyncGenerator<string> {
  const pageSize = opts.pageSize ?? 1000;
  const tally: ExportTally = { rows: 0, unreadable: 0 };
  if (opts.bom !== false) yield CSV_BOM;
  yield csvRow(NEWS_CSV_COLUMNS);
  let after = 0;
  for (;;) {
    const page = await newsContactsPage(db, cipher, audience, { after, limit: pageSize }, tally);
    let chunk = '';
    for (const c of page.contacts)
      chunk += csvRow([
        c.email,
        c.language,
        new Date(c.consentTime).toISOString(),
        new Date(c.confirmationTime).toISOString(),
        c.consentSource,
        c.consentText,
        c.consentVersion,
        c.tags.join(','),
      ]);
    if (chunk) yield chunk;
    if (page.lastId === null || page.scanned < pageSize) break;
    after = page.lastId;
  }
  opts.onDone?.(tally);
}
