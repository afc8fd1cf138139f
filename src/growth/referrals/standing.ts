import { sql } from 'kysely';
import type { Db } from '../../db/index.js';
import { referralVerdict, type ReferralState } from './state.js';

/**
 * One fan's standing for their receipt: their link's counts and their rank, without reading every
 * link of the campaign (referralStandings does that for the artist's view, the leaderboard and the
 * contests). On release day many fans open their receipts at once, so what they all read — each
 * link's counted and pending referrals (an aggregate over the campaign's referrals, only links
 * someone came through) and how many links there are — is kept per campaign for a few seconds and
 * shared; a fan's own counts are always read fresh. The rank is the leaderboard's: one more than the
 * links ahead (more counted, or as many counted and more pending), equal standings sharing a rank.
 */
export interface ReceiptStanding {
  counted: number;
  pending: number;
  /** 1-based, as referralStandings ranks it. */
  rank: number;
  /** How many links the campaign has (the "of N"). */
  total: number;
}

interface Board {
  /** Links with at least one referral: [code, counted, pending]. */
  links: [string, number, number][];
  total: number;
}

/** How long the shared part is kept: a rank may lag a few seconds behind others' new referrals. */
export const BOARD_TTL_MS = 5_000;
/** At most this many campaigns are kept; the oldest goes first. */
const MAX_CAMPAIGNS = 500;

const boards = new WeakMap<Db, Map<number, { at: number; board: Promise<Board> }>>();

function tally(
  rows: { decision: Parameters<typeof referralVerdict>[0]; reason: string | null; status: string }[],
): Record<ReferralState, number> {
  const n: Record<ReferralState, number> = { counted: 0, pending: 0, held: 0, not_counted: 0 };
  for (const r of rows) n[referralVerdict(r.decision, r.reason, r.status).state]++;
  return n;
}

async function readBoard(db: Db, campaignId: number): Promise<Board> {
  const [rows, codes] = await Promise.all([
    db
      .selectFrom('referrals as f')
      .innerJoin('presaves as p', 'p.id', 'f.presave_id')
      .select(['f.code', 'f.decision', 'f.reason', 'p.status'])
      .where('f.campaign_id', '=', campaignId)
      .execute(),
    db
      .selectFrom('referral_codes')
      .select(sql<number | string>`count(*)`.as('n'))
      .where('campaign_id', '=', campaignId)
      .executeTakeFirst(),
  ]);
  const by = new Map<string, typeof rows>();
  for (const r of rows) (by.get(r.code) ?? by.set(r.code, []).get(r.code)!).push(r);
  const links: Board['links'] = [...by].map(([code, list]) => {
    const n = tally(list);
    return [code, n.counted, n.pending];
  });
  return { links, total: Number(codes?.n ?? 0) };
}

function board(db: Db, campaignId: number): Promise<Board> {
  let perDb = boards.get(db);
  if (!perDb) boards.set(db, (perDb = new Map()));
  const now = performance.now();
  const kept = perDb.get(campaignId);
  if (kept && now - kept.at < BOARD_TTL_MS) return kept.board;
  // One read for every receipt asking meanwhile; a failed read is not kept.
  const fresh = readBoard(db, campaignId);
  fresh.catch(() => perDb.get(campaignId)?.board === fresh && perDb.delete(campaignId));
  perDb.delete(campaignId);
  perDb.set(campaignId, { at: now, board: fresh });
  if (perDb.size > MAX_CAMPAIGNS) perDb.delete(perDb.keys().next().value!);
  return fresh;
}

/** Drops the kept part of a campaign after a referral was written here, so this process shows it at once. */
export function forgetBoard(db: Db, campaignId: number): void {
  boards.get(db)?.delete(campaignId);
}

/** The receipt's standing of link `code` of the campaign. */
export async function receiptStanding(db: Db, campaignId: number, code: string): Promise<ReceiptStanding> {
  const [mine, shared] = await Promise.all([
    db
      .selectFrom('referrals as f')
      .innerJoin('presaves as p', 'p.id', 'f.presave_id')
      .select(['f.decision', 'f.reason', 'p.status'])
      .where('f.campaign_id', '=', campaignId)
      .where('f.code', '=', code)
      .execute(),
    board(db, campaignId),
  ]);
  const { counted, pending } = tally(mine);
  let ahead = 0;
  for (const [other, c, p] of shared.links) if (other !== code && (c > counted || (c === counted && p > pending))) ahead++;
  return { counted, pending, rank: ahead + 1, total: Math.max(shared.total, ahead + 1) };
}
