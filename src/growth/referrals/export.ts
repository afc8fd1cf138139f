import { CSV_BOM, csvRow } from '../../analytics/csv.js';
import type { Db } from '../../db/index.js';
import { referralStandings, referralVerdict } from './state.js';
import { referralReasonWords } from './words.js';

/**
 * Every referrer of a campaign with counts and the reasons their other referrals do not count
 * (the dashboard's link and `dropday referrals --csv`). Formula-safe (analytics/csv.ts): a chosen
 * name like "=HYPERLINK(…)" opens as text. No addresses, account ids or keys.
 */
export const REFERRALS_CSV_COLUMNS = [
  'rank',
  'referrer_code',
  'display_name',
  'name_hidden',
  'counted',
  'pending',
  'held',
  'not_counted',
  'visits',
  'reasons',
] as const;

export interface ReferrerLine {
  rank: number;
  code: string;
  displayName: string | null;
  nameHidden: boolean;
  counted: number;
  pending: number;
  held: number;
  notCounted: number;
  visits: number;
  /** "reason words: n" for each reason among held and not-counted referrals, most frequent first. */
  reasons: { reason: string; words: string; count: number }[];
}

export async function referrerLines(db: Db, campaignId: number): Promise<ReferrerLine[]> {
  const standings = await referralStandings(db, campaignId);
  const rows = await db
    .selectFrom('referrals as f')
    .innerJoin('presaves as p', 'p.id', 'f.presave_id')
    .select(['f.code', 'f.decision', 'f.reason', 'p.status'])
    .where('f.campaign_id', '=', campaignId)
    .execute();
  const reasons = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const v = referralVerdict(r.decision, r.reason, r.status);
    if (v.state !== 'held' && v.state !== 'not_counted') continue;
    const key = v.reason ?? 'unknown';
    let m = reasons.get(r.code);
    if (!m) reasons.set(r.code, (m = new Map()));
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return standings.map((s) => ({
    rank: s.rank,
    code: s.code,
    displayName: s.displayName,
    nameHidden: s.nameHidden,
    counted: s.counted,
    pending: s.pending,
    held: s.held,
    notCounted: s.notCounted,
    visits: s.visits,
    reasons: [...(reasons.get(s.code) ?? new Map<string, number>())]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([reason, count]) => ({ reason, words: referralReasonWords(reason), count })),
  }));
}

export function reasonsSummary(l: Pick<ReferrerLine, 'reasons'>): string {
  return l.reasons.map((r) => `${r.words}: ${r.count}`).join('; ');
}

export function* referrersCsv(lines: readonly ReferrerLine[], opts: { bom?: boolean } = {}): Generator<string> {
  if (opts.bom !== false) yield CSV_BOM;
  yield csvRow(REFERRALS_CSV_COLUMNS);
  for (const l of lines)
    yield csvRow([
      l.rank,
      l.code,
      l.displayName,
      l.nameHidden ? 'yes' : 'no',
      l.counted,
      l.pending,
      l.held,
      l.notCounted,
      l.visits,
      reasonsSummary(l),
    ]);
}
