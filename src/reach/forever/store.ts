import type { Selectable } from 'kysely';
import type { Db } from '../../db/index.js';
import type { ForeverSaveTable } from '../../db/schema-reach.js';
import { forgetIdleGrants, releaseIdleGrants } from '../../grants/repo.js';
import { randomToken } from '../../util/random.js';
import { recordConsents, withdrawConsents, type ConsentGiven } from '../consents.js';
import { cancelMessages } from '../messages/lifecycle/cancel.js';

/**
 * THE ONLY WRITER of `forever_saves` (test/reach-owners.test.ts): a pre-saver's standing ask to
 * have the same artist's future releases saved with the same grant, its consent (purpose
 * `forever`, through reach/consents.ts), stopping it and erasing it.
 */
export type ForeverSaveRow = Selectable<ForeverSaveTable>;

/** What the forever_notice messages of a forever save are deduplicated by (and found by). */
export const noticeDedupe = (foreverId: number, campaignId: number) => `forever:${foreverId}:${campaignId}`;
const noticePrefix = (foreverId: number) => `forever:${foreverId}:`;

export interface StartForever {
  audience: string;
  artistKey: string;
  grantId: number;
  service: string;
  presaveId: number;
  contactId: number | null;
  lang: string;
  timezone: string;
  locale: string | null;
}

/**
 * Turns forever save on (or on again) for a grant and artist, and records the consent's words.
 * One row per audience, artist and grant: asking again on another receipt of the same artist
 * keeps the row (and its page address) and starts it again if it was stopped.
 */
export async function startForeverSave(db: Db, s: StartForever, consent: ConsentGiven, now: number): Promise<ForeverSaveRow> {
  const existing = await db
    .selectFrom('forever_saves')
    .selectAll()
    .where('audience', '=', s.audience)
    .where('artist_key', '=', s.artistKey)
    .where('grant_id', '=', s.grantId)
    .executeTakeFirst();
  let row: ForeverSaveRow;
  if (existing) {
    row = await db
      .updateTable('forever_saves')
      .set({
        stopped_at: null,
        presave_id: s.presaveId,
        contact_id: s.contactId ?? existing.contact_id,
        lang: s.lang,
        timezone: s.timezone,
        locale: s.locale,
        // "Since when": a fan who stopped and started again agreed anew.
        created_at: existing.stopped_at !== null ? now : existing.created_at,
      })
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  } else {
    row = await db
      .insertInto('forever_saves')
      .values({
        audience: s.audience,
        artist_key: s.artistKey,
        grant_id: s.grantId,
        service: s.service,
        presave_id: s.presaveId,
        contact_id: s.contactId,
        manage_id: randomToken(16),
        lang: s.lang,
        timezone: s.timezone,
        locale: s.locale,
        created_at: now,
        stopped_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  await recordConsents(db, { foreverId: row.id }, [consent], now);
  return row;
}

/** Remembers the contact a forever-saver is told through (found when the fan left an address later). */
export async function attachContact(db: Db, foreverId: number, contactId: number): Promise<void> {
  await db
    .updateTable('forever_saves')
    .set({ contact_id: contactId })
    .where('id', '=', foreverId)
    .where('contact_id', 'is', null)
    .execute();
}

/** Notices still waiting are cancelled; the grant's tokens go when nothing else needs them. */
async function wind(db: Db, row: ForeverSaveRow, now: number): Promise<void> {
  if (row.contact_id !== null) {
    await cancelMessages(db, { contactId: row.contact_id }, now, { types: ['forever_notice'], dedupePrefix: noticePrefix(row.id) });
  }
}

/**
 * Stops a forever save: nothing more is saved for it, its consent is withdrawn and notices not yet
 * sent are cancelled. The pre-saves it made stay (each can be cancelled on its receipt). The
 * grant is released when no pending pre-save needs it any more (grants/repo.ts).
 */
export async function stopForeverSave(
  db: Db,
  row: ForeverSaveRow,
  via: 'preferences' | 'unsubscribe' | 'erase',
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('forever_saves')
    .set({ stopped_at: now })
    .where('id', '=', row.id)
    .where('stopped_at', 'is', null)
    .executeTakeFirst();
  await withdrawConsents(db, { foreverId: row.id }, via, now);
  await wind(db, row, now);
  await releaseIdleGrants(db, [row.grant_id], now);
  await forgetIdleGrants(db, [row.grant_id], now);
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Erasure of a pre-save reaches the forever saves made from it, and those of its grant when the
 * grant goes with it (erasePresave deletes a grant no other pre-save uses). The rows are deleted;
 * their consents go with them (ON DELETE CASCADE).
 */
export async function eraseForeverSavesOf(db: Db, presave: { id: number; grant_id: number }, now: number): Promise<number> {
  const others = await db
    .selectFrom('presaves')
    .select('id')
    .where('grant_id', '=', presave.grant_id)
    .where('id', '!=', presave.id)
    .limit(1)
    .execute();
  let q = db.selectFrom('forever_saves').selectAll();
  q = others.length
    ? q.where('presave_id', '=', presave.id)
    : q.where((eb) => eb.or([eb('presave_id', '=', presave.id), eb('grant_id', '=', presave.grant_id)]));
  const rows = await q.execute();
  for (const row of rows) await wind(db, row, now);
  if (!rows.length) return 0;
  await db
    .deleteFrom('forever_saves')
    .where(
      'id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return rows.length;
}

/**
 * A deleted workspace launches nothing more: its forever saves stop (consents withdrawn as
 * erased with it, notices cancelled) so their grants are not kept for a release that cannot come.
 */
export async function stopForeverSavesOfAudience(db: Db, audience: string, now: number): Promise<number> {
  const rows = await db.selectFrom('forever_saves').selectAll().where('audience', '=', audience).where('stopped_at', 'is', null).execute();
  for (const row of rows) await stopForeverSave(db, row, 'erase', now);
  return rows.length;
}
