import type { Db } from '../db/index.js';

/** Countries with fewer fans than this are not shown on the social-proof card: a handful of fans could be recognised. */
export const MIN_FANS_SHOWN = 5;

export interface ProofCounts {
  /** Pre-saves that stand: every status but cancelled (erased ones are deleted rows). */
  total: number;
  /** ISO alpha-2 → pre-saves, only countries with at least {@link MIN_FANS_SHOWN}. */
  countries: Map<string, number>;
}

/**
 * The numbers on the social-proof card, from the pre-save rows (the same rows and statuses the
 * dashboard's delivery report counts: its total less the cancelled). The country is the
 * pre-save's `market`: the fan's country where the service reports it, otherwise the region of
 * the browser's language (en-GB → GB) when the fan connected. Pre-saves without one count in
 * the total and on no country.
 */
export async function proofCounts(db: Db, campaignId: number): Promise<ProofCounts> {
  const rows = await db
    .selectFrom('presaves')
    .select('market')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId)
    .where('status', '<>', 'cancelled')
    .groupBy('market')
    .execute();
  let total = 0;
  const countries = new Map<string, number>();
  for (const r of rows) {
    const n = Number(r.n);
    total += n;
    if (r.market && n >= MIN_FANS_SHOWN) countries.set(r.market, n);
  }
  return { total, countries };
}
