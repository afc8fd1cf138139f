import type { Insertable } from 'kysely';
import type { Db } from '../../db/index.js';
import type { PresaveTable } from '../../db/schema.js';
import { randomToken } from '../../util/random.js';
import type { PresaveRow } from '../repo.js';

/** The fields a fan's authorization decides (also what re-authorizing replaces: reauthorize.ts). */
export type AuthorizedFields = Pick<
  Insertable<PresaveTable>,
  'grant_id' | 'timezone' | 'locale' | 'lang' | 'market' | 'follow_artist' | 'due_at' | 'next_attempt_at'
>;

/** (none) → pending: a new pre-save, due at `due_at`, no attempts, no lease. */
export function createPresave(
  db: Db,
  p: AuthorizedFields & { campaign_id: number; service: string; account_id: string },
  now: number,
): Promise<PresaveRow> {
  return db
    .insertInto('presaves')
    .values({ ...p, public_id: randomToken(16), status: 'pending', attempts: 0, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}
