import { sql, type RawBuilder } from 'kysely';
import type { Db, Dialect } from '../../db/index.js';
import { claimDue, nextDue } from '../../delivery/claim.js';
import type { PresaveRow } from '../repo.js';
import { PRESAVE_QUEUE } from './queue.js';

/**
 * Claims up to `limit` due pre-saves for one worker, with a lease. A row is due when it is
 * pending, its next attempt time has come, and nobody holds an unexpired lease on it — so a row
 * whose worker died becomes claimable again when its lease runs out (that is the reaper).
 * When fewer than `limit` are due, the rest of the batch is filled from the follow queue: saved
 * pre-saves whose follow is to be tried again (`follow_status = 'queued'`).
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
  p: { owner: string; leaseToken: string; limit: number; leaseMs: number; now: number } & ClaimExclusions,
): Promise<PresaveRow[]> {
  const claim = (which: RawBuilder<unknown>, limit: number) => claimDue<PresaveRow>(db, dialect, PRESAVE_QUEUE, { ...p, which, limit });
  const rows = await claim(sql`status = 'pending' ${notIn(p.excludeServices, p.excludePairs)}`, p.limit);
  if (rows.length < p.limit) {
    const follows = [...(p.excludePairs ?? []), ...(p.followPairs ?? [])];
    rows.push(...(await claim(sql`follow_status = 'queued' ${notIn(p.excludeServices, follows)}`, p.limit - rows.length)));
  }
  return rows.map((r) => ({ ...r, id: Number(r.id), campaign_id: Number(r.campaign_id), grant_id: Number(r.grant_id) }));
}

/** When the next pending pre-save or queued follow falls due (or null), leaving out what is paused. */
export async function nextDueAt(db: Db, exclude: ClaimExclusions = {}): Promise<number | null> {
  const follows = [...(exclude.excludePairs ?? []), ...(exclude.followPairs ?? [])];
  const times = [
    await nextDue(db, PRESAVE_QUEUE, sql`status = 'pending' ${notIn(exclude.excludeServices, exclude.excludePairs)}`),
    await nextDue(db, PRESAVE_QUEUE, sql`follow_status = 'queued' ${notIn(exclude.excludeServices, follows)}`),
  ].filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}
