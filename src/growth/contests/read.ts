import type { Selectable } from 'kysely';
import type { Db } from '../../db/index.js';
import type { ContestTable } from '../../db/schema-growth.js';
import type { DrawEntry } from './draw.js';

/** A campaign's contest as stored (growth/contests/store.ts writes it). */
export type Contest = Selectable<ContestTable>;

export interface StoredWinner {
  position: number;
  code: string;
  points: number;
  drawnAt: number;
}

export async function contestOf(db: Db, campaignId: number): Promise<Contest | null> {
  const row = await db.selectFrom('contests').selectAll().where('campaign_id', '=', campaignId).executeTakeFirst();
  return row ? { ...row, starts_at: Number(row.starts_at), ends_at: Number(row.ends_at) } : null;
}

export async function storedWinners(db: Db, campaignId: number): Promise<StoredWinner[]> {
  const rows = await db
    .selectFrom('contest_winners')
    .select(['position', 'code', 'points', 'drawn_at'])
    .where('campaign_id', '=', campaignId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({ position: Number(r.position), code: r.code, points: Number(r.points), drawnAt: Number(r.drawn_at) }));
}

/** The entries the draw ran on (frozen at the draw), or null before it. */
export function frozenEntries(c: Contest): DrawEntry[] | null {
  if (c.entries === null) return null;
  const list = JSON.parse(c.entries) as [string, number][];
  return list.map(([code, points]) => ({ code, points }));
}

/** The contest is running: between its start and its end (both inclusive of the start). */
export function contestPhase(
  c: Pick<Contest, 'starts_at' | 'ends_at' | 'drawn_at'>,
  now: number,
): 'upcoming' | 'running' | 'ended' | 'drawn' {
  if (c.drawn_at !== null) return 'drawn';
  if (now < c.starts_at) return 'upcoming';
  if (now < c.ends_at) return 'running';
  return 'ended';
}
