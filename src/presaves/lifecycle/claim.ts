import { sql, type RawBuilder } from 'kysely';
import type { Db, Dialect } from '../../db/index.js';
import { claimDue, nextDue } from '../../delivery/claim.js';
import type { PresaveRow } from '../repo.js';
import { PRESAVE_QUEUE } from './queue.js';

/**
 * Claims up to `limit` due pre-saves for one worker, with a lease. A row is due when it is
 * pending, its next attempt time has come, and nobody holds an unexpired lease on it — so a row
 * whose worker died becomes claimable again when its lease runs out (that is the reaper).
 * Three queues, in this order: due saves; then the verify queue (saves the service accepted whose
 * verification waits, `save_accepted_at` set: migration 015); then the follow queue (saved
 * pre-saves whose follow is to be tried again, `follow_status = 'queued'`). When fewer than
 * `limit` saves are due, the batch is filled from the next queues — unless `savesFirst` (the rate
 * budget is short): then verifications and follows are claimed only when no save is due, so the
 * budget goes to fans' albums first. Each queue has its partial index; an empty one costs nothing.
 *
 * One statement each (delivery/claim.ts): `FOR UPDATE SKIP LOCKED` on PostgreSQL. Every claim gets a fresh `lease_token` and counts an attempt (`attempts + 1`); every settling
 * transition requires the token, which fences out a worker whose lease expired and whose row was
 * claimed by another.
 *
 * Left alone: services that are paused or whose breaker is open (`excludeServices`), and
 * campaigns paused on a service (`excludePairs`, from `campaign_pauses`; the caller reads that
 * small table once per loop, so an empty table adds nothing to this query). `followPairs`: pairs
 * paused for follows only — their albums are still saved, their queued follows wait.
 */
export interface ClaimExclusions {
  excludeServices?: string[];
  excludePairs?: { campaignId: number; service: string }[];
  followPairs?: { campaignId: number; service: string }[];
}

/** The save queue and the verify queue: the predicates of their partial indexes (migration 015). */
const SAVE_QUEUE = sql`status = 'pending' AND save_accepted_at IS NULL`;
const VERIFY_QUEUE = sql`status = 'pending' AND save_accepted_at IS NOT NULL`;

function notIn(services: string[] | undefined, pairs: { campaignId: number; service: string }[] | undefined): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (services?.length) parts.push(sql`AND service NOT IN (${sql.join(services)})`);
  if (pairs?.length) {
    const values = sql.join(pairs.map((p) => sql`(CAST(${p.campaignId} AS bigint), CAST(${p.service} AS text))`));
    parts.push(sql`AND (campaign_id, service) NOT IN (VALUES ${values})`);
  }
  return sql.join(parts, sql` `);
}

export async function claimDuePresaves(
  db: Db,
  dialect: Dialect,
  p: { owner: string; leaseToken: string; limit: number; leaseMs: number; now: number; savesFirst?: boolean } & ClaimExclusions,
): Promise<PresaveRow[]> {
  const claim = (which: RawBuilder<unknown>, limit: number) => claimDue<PresaveRow>(db, dialect, PRESAVE_QUEUE, { ...p, which, limit });
  const rows = await claim(sql`${SAVE_QUEUE} ${notIn(p.excludeServices, p.excludePairs)}`, p.limit);
  const fill = !p.savesFirst || rows.length === 0;
  if (fill && rows.length < p.limit)
    rows.push(...(await claim(sql`${VERIFY_QUEUE} ${notIn(p.excludeServices, p.excludePairs)}`, p.limit - rows.length)));
  if (fill && rows.length < p.limit) {
    const follows = [...(p.excludePairs ?? []), ...(p.followPairs ?? [])];
    rows.push(...(await claim(sql`follow_status = 'queued' ${notIn(p.excludeServices, follows)}`, p.limit - rows.length)));
  }
  return rows.map((r) => ({ ...r, id: Number(r.id), campaign_id: Number(r.campaign_id), grant_id: Number(r.grant_id) }));
}

/** When the next pending pre-save (to save or to verify) or queued follow falls due (or null), leaving out what is paused. */
export async function nextDueAt(db: Db, exclude: ClaimExclusions = {}): Promise<number | null> {
  const follows = [...(exclude.excludePairs ?? []), ...(exclude.followPairs ?? [])];
  const times = [
    await nextDue(db, PRESAVE_QUEUE, sql`${SAVE_QUEUE} ${notIn(exclude.excludeServices, exclude.excludePairs)}`),
    await nextDue(db, PRESAVE_QUEUE, sql`${VERIFY_QUEUE} ${notIn(exclude.excludeServices, exclude.excludePairs)}`),
    await nextDue(db, PRESAVE_QUEUE, sql`follow_status = 'queued' ${notIn(exclude.excludeServices, follows)}`),
  ].filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}
