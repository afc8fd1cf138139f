import type { Db } from '../../db/index.js';
import { DropdayError } from '../../errors.js';
import { describeInstant } from '../../campaigns/timing.js';
import { drawEntries, isSeed, runDraw, type DrawEntry, type DrawWinner } from './draw.js';
import { contestEntrants } from './points.js';
import { frozenEntries, storedWinners, type Contest } from './read.js';
import { recordDraw } from './store.js';

/**
 * Drawing the winners once the contest has ended (the CLI and the Growth page), and re-running a
 * stored draw to check it (`dropday contest verify`).
 */

/** Draws and stores the winners. Refused before the end, and a second time unless `redraw`. */
export async function drawContest(
  db: Db,
  c: Contest,
  o: { now: number; zone: string; redraw?: boolean },
): Promise<{ entries: DrawEntry[]; winners: DrawWinner[] }> {
  if (o.now < c.ends_at)
    throw new DropdayError(
      'CONTEST_DRAW_REFUSED',
      `The contest ends ${describeInstant(c.ends_at, o.zone)}: winners can be drawn only after that.`,
    );
  if (c.drawn_at !== null && !o.redraw)
    throw new DropdayError(
      'CONTEST_DRAW_REFUSED',
      `The winners were already drawn ${describeInstant(c.drawn_at, o.zone)}. Draw again only with --redraw (the page then shows the new draw).`,
    );
  if (!isSeed(c.seed)) throw new DropdayError('CONTEST_DRAW_REFUSED', 'The contest has no published seed.');
  const entries = drawEntries(await contestEntrants(db, c));
  const winners = runDraw({ entries, seed: c.seed, method: c.method, winners: c.winners });
  await recordDraw(db, c.campaign_id, entries, winners, o.now);
  return { entries, winners };
}

export interface Verification {
  seed: string;
  /** The stored draw's winners match a re-run on the stored entries with this seed. */
  matches: boolean;
  rerun: DrawWinner[];
  stored: { position: number; code: string | null; points: number | null }[];
}

/** Re-runs the stored draw from its frozen entries and a seed (the published one unless given). */
export async function verifyDraw(db: Db, c: Contest, seed?: string): Promise<Verification> {
  const entries = frozenEntries(c);
  if (entries === null || c.drawn_at === null)
    throw new DropdayError('CONTEST_DRAW_REFUSED', 'The winners have not been drawn yet: nothing to verify.');
  const s = seed ?? c.seed ?? '';
  if (!isSeed(s)) throw new DropdayError('VALIDATION', 'The seed must be 64 hex digits (32 bytes).', { seed: 'must be 64 hex digits' });
  const rerun = runDraw({ entries, seed: s, method: c.method, winners: c.winners });
  const rows = new Map((await storedWinners(db, c.campaign_id)).map((w) => [w.position, w]));
  // A winner who erased their pre-save took their row with them: that place shows as gone.
  const stored = rerun.map((r) => {
    const w = rows.get(r.position);
    return { position: r.position, code: w?.code ?? null, points: w?.points ?? null };
  });
  const matches =
    rows.size <= rerun.length &&
    rerun.every((r) => {
      const w = rows.get(r.position);
      return !w || (w.code === r.code && w.points === r.points);
    });
  return { seed: s, matches, rerun, stored };
}
