import { CSV_BOM, csvRow } from '../../analytics/csv.js';
import type { Db } from '../../db/index.js';
import type { TokenCipher } from '../../util/token-cipher.js';
import { storedWinners } from './read.js';

/**
 * The winners, for the artist to contact (the Growth page and `dropday contest winners --csv`):
 * position, name, points, and an address ONLY for a winner whose contact is confirmed and whose
 * consent on this campaign still stands (confirmed by its owner, not withdrawn) — the code's own
 * contact, or one given on the winner's pre-save. The others are named as not reachable. Addresses
 * are decrypted here (as reach/export.ts does) and never logged; callers log the counts.
 */
export const WINNERS_CSV_COLUMNS = ['position', 'name', 'points', 'email'] as const;
export const NOT_CONTACTABLE = 'did not agree to be contacted';

export interface WinnerLine {
  position: number;
  name: string;
  points: number;
  email: string | null;
}

export interface WinnersTally {
  winners: number;
  withAddress: number;
}

export async function winnerLines(db: Db, cipher: TokenCipher, campaignId: number): Promise<WinnerLine[]> {
  const winners = await storedWinners(db, campaignId);
  const names = await db
    .selectFrom('contest_winners as w')
    .innerJoin('referral_codes as r', 'r.code', 'w.code')
    .select(['w.position', 'r.display_name'])
    .where('w.campaign_id', '=', campaignId)
    .execute();
  const reachable = await db
    .selectFrom('contest_winners as w')
    .innerJoin('referral_codes as r', 'r.code', 'w.code')
    .innerJoin('consents as k', (j) =>
      j.on((eb) => eb.or([eb('k.contact_id', '=', eb.ref('r.contact_id')), eb('k.presave_id', '=', eb.ref('r.presave_id'))])),
    )
    .innerJoin('contacts as ct', 'ct.id', 'k.contact_id')
    .select(['w.position', 'ct.id', 'ct.email_hash', 'ct.email_enc'])
    .where('w.campaign_id', '=', campaignId)
    .where('k.campaign_id', '=', campaignId)
    .where('k.withdrawn_at', 'is', null)
    .where('k.confirmed_at', 'is not', null)
    .where('ct.status', '=', 'confirmed')
    .orderBy('ct.id')
    .execute();
  const nameAt = new Map(names.map((n) => [Number(n.position), n]));
  const addressAt = new Map<number, string>();
  for (const r of reachable) {
    const pos = Number(r.position);
    if (addressAt.has(pos)) continue;
    try {
      addressAt.set(pos, cipher.decrypt(r.email_enc, `contact:${r.email_hash}`));
    } catch {
      // A removed encryption key: the address cannot be read, the line says so like the others.
    }
  }
  return winners.map((w) => {
    const n = nameAt.get(w.position);
    // The artist's own file: the chosen name even when hidden from the public pages.
    const name = n?.display_name ?? `Entrant ${w.code}`;
    return { position: w.position, name, points: w.points, email: addressAt.get(w.position) ?? null };
  });
}

export function* winnersCsv(lines: readonly WinnerLine[], opts: { bom?: boolean } = {}): Generator<string> {
  if (opts.bom !== false) yield CSV_BOM;
  yield csvRow(WINNERS_CSV_COLUMNS);
  for (const l of lines) yield csvRow([l.position, l.name, l.points, l.email ?? NOT_CONTACTABLE]);
}

export function tally(lines: readonly WinnerLine[]): WinnersTally {
  return { winners: lines.length, withAddress: lines.filter((l) => l.email !== null).length };
}
