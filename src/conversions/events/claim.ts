import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { Dialect } from '../../db/dialect.js';
import type { Db } from '../../db/index.js';
import type { ConversionEventTable } from '../../db/schema-conversions.js';
import { claimDue, nextDue, numeric } from '../../delivery/claim.js';
import { CONVERSION_QUEUE } from './queue.js';

export type ConversionRow = Selectable<ConversionEventTable>;

const NUMERIC = ['id', 'campaign_id', 'attempts', 'failures', 'next_attempt_at', 'lease_until', 'created_at', 'updated_at'] as const;

/** Due events of platforms whose governor key is open. */
function which(excludePlatforms: readonly string[]) {
  return excludePlatforms.length
    ? sql`status = 'pending' AND platform NOT IN (${sql.join(excludePlatforms.map((p) => sql`${p}`))})`
    : sql`status = 'pending'`;
}

/** pending (due, unheld) → pending with a lease, `attempts + 1`: one statement (delivery/claim.ts). */
export async function claimDueConversions(
  db: Db,
  dialect: Dialect,
  p: { owner: string; leaseToken: string; limit: number; leaseMs: number; now: number; excludePlatforms: readonly string[] },
): Promise<ConversionRow[]> {
  const rows = await claimDue<ConversionRow>(db, dialect, CONVERSION_QUEUE, { ...p, which: which(p.excludePlatforms) });
  return rows.map((r) => numeric(r, NUMERIC));
}

export function nextDueConversion(db: Db, excludePlatforms: readonly string[]): Promise<number | null> {
  return nextDue(db, CONVERSION_QUEUE, which(excludePlatforms));
}
