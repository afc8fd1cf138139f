import type { Selectable } from 'kysely';
import type { Db } from '../db/index.js';
import type { CampaignTable } from '../db/schema.js';
import { DropdayError } from '../errors.js';
import type { ServiceId } from '../providers/services.js';
import type { CampaignFields } from './validate.js';

export interface Campaign extends CampaignFields {
  id: number;
  status: 'active' | 'archived';
  is_demo: boolean;
  created_at: number;
  updated_at: number;
}

export function toCampaign(row: Selectable<CampaignTable>): Campaign {
  return {
    ...row,
    id: Number(row.id),
    release_type: row.release_type as Campaign['release_type'],
    timing: row.timing as Campaign['timing'],
    isrcs: JSON.parse(row.isrcs) as string[],
    services: JSON.parse(row.services) as ServiceId[],
    follow_artist: row.follow_artist === 1,
    is_demo: row.is_demo === 1,
    status: row.status as Campaign['status'],
  };
}

function toRow(f: CampaignFields) {
  return {
    ...f,
    isrcs: JSON.stringify(f.isrcs),
    services: JSON.stringify(f.services),
    follow_artist: f.follow_artist ? 1 : 0,
  };
}

export async function findCampaignBySlug(db: Db, slug: string): Promise<Campaign | null> {
  const row = await db.selectFrom('campaigns').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? toCampaign(row) : null;
}

export async function getCampaignBySlug(db: Db, slug: string): Promise<Campaign> {
  const c = await findCampaignBySlug(db, slug);
  if (!c) throw new DropdayError('CAMPAIGN_NOT_FOUND', `There is no campaign "${slug}".`);
  return c;
}

export async function getCampaignById(db: Db, id: number): Promise<Campaign> {
  const row = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new DropdayError('CAMPAIGN_NOT_FOUND');
  return toCampaign(row);
}

export async function listCampaigns(db: Db): Promise<Campaign[]> {
  const rows = await db.selectFrom('campaigns').selectAll().orderBy('first_release_at', 'desc').execute();
  return rows.map(toCampaign);
}

export async function countCampaigns(db: Db): Promise<number> {
  const r = await db
    .selectFrom('campaigns')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertCampaign(db: Db, f: CampaignFields, now: number, isDemo = false): Promise<Campaign> {
  const row = await db
    .insertInto('campaigns')
    .values({ ...toRow(f), status: 'active', is_demo: isDemo ? 1 : 0, created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCampaign(row);
}

export async function updateCampaignRow(db: Db, id: number, f: CampaignFields, now: number): Promise<Campaign> {
  const row = await db
    .updateTable('campaigns')
    .set({ ...toRow(f), updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCampaign(row);
}
