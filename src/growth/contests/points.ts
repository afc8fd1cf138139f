import type { Db } from '../../db/index.js';
import { referralVerdict } from '../referrals/state.js';
import type { Contest } from './read.js';

/**
 * Points of every entrant (a referral code = one fan), counting only what happened inside the
 * contest's [start, end]:
 * - the code owner's own pre-save, made in the window: points once verified in the library
 *   (`saved`), "pending points" while it waits for release day;
 * - each referral made in the window that counts (referralVerdict 'counted'); pending ones as
 *   pending points;
 * - a confirmed contact: a standing consent (confirmed by its owner, not withdrawn) of the code's
 *   own contact, or of a contact given on the owner's pre-save, confirmed in the window — once.
 * Everything is read with joins on the campaign, never with lists of ids, so a campaign of any
 * size costs three queries.
 */
export interface ContestEntrant {
  code: string;
  presaveId: number | null;
  contactId: number | null;
  /** The name the fan chose, unless the artist hid it; null: "a fan". */
  name: string | null;
  displayName: string | null;
  nameHidden: boolean;
  /** Points that stand now. */
  points: number;
  /** Points waiting for release day (a pre-save or referrals not verified yet). */
  pendingPoints: number;
  presave: 'counted' | 'pending' | null;
  referrals: number;
  pendingReferrals: number;
  contact: boolean;
}

type Window = Pick<Contest, 'campaign_id' | 'starts_at' | 'ends_at' | 'points_presave' | 'points_referral' | 'points_contact'>;

const inWindow = (c: Window, at: number | string) => Number(at) >= Number(c.starts_at) && Number(at) <= Number(c.ends_at);

/** Every entrant, or only the one with code `only` (a fan's receipt). */
export async function contestEntrants(db: Db, c: Window, only?: string): Promise<ContestEntrant[]> {
  const campaignId = c.campaign_id;
  const codes = await db
    .selectFrom('referral_codes as r')
    .leftJoin('presaves as p', 'p.id', 'r.presave_id')
    .select(['r.code', 'r.presave_id', 'r.contact_id', 'r.display_name', 'r.name_hidden', 'p.status', 'p.created_at as presaved_at'])
    .where('r.campaign_id', '=', campaignId)
    .$if(only !== undefined, (q) => q.where('r.code', '=', only!))
    .orderBy('r.code')
    .execute();
  const referrals = await db
    .selectFrom('referrals as f')
    .innerJoin('presaves as p', 'p.id', 'f.presave_id')
    .select(['f.code', 'f.decision', 'f.reason', 'f.created_at', 'p.status'])
    .where('f.campaign_id', '=', campaignId)
    .$if(only !== undefined, (q) => q.where('f.code', '=', only!))
    .execute();
  const contacts = await db
    .selectFrom('referral_codes as r')
    .innerJoin('consents as k', (j) =>
      j.on((eb) => eb.or([eb('k.contact_id', '=', eb.ref('r.contact_id')), eb('k.presave_id', '=', eb.ref('r.presave_id'))])),
    )
    .innerJoin('contacts as ct', 'ct.id', 'k.contact_id')
    .select(['r.code', 'k.confirmed_at'])
    .where('r.campaign_id', '=', campaignId)
    .where('k.campaign_id', '=', campaignId)
    .where('k.withdrawn_at', 'is', null)
    .where('k.confirmed_at', 'is not', null)
    .where('ct.status', '=', 'confirmed')
    .$if(only !== undefined, (q) => q.where('r.code', '=', only!))
    .execute();

  const by = new Map<string, ContestEntrant>();
  for (const r of codes) {
    const e: ContestEntrant = {
      code: r.code,
      presaveId: r.presave_id === null ? null : Number(r.presave_id),
      contactId: r.contact_id === null ? null : Number(r.contact_id),
      displayName: r.display_name,
      nameHidden: Number(r.name_hidden) === 1,
      name: Number(r.name_hidden) === 1 ? null : r.display_name,
      points: 0,
      pendingPoints: 0,
      presave: null,
      referrals: 0,
      pendingReferrals: 0,
      contact: false,
    };
    if (r.presaved_at !== null && inWindow(c, r.presaved_at)) {
      if (r.status === 'saved') e.presave = 'counted';
      else if (r.status === 'pending') e.presave = 'pending';
    }
    by.set(r.code, e);
  }
  for (const f of referrals) {
    const e = by.get(f.code);
    if (!e || !inWindow(c, f.created_at)) continue;
    const v = referralVerdict(f.decision, f.reason, f.status);
    if (v.state === 'counted') e.referrals++;
    else if (v.state === 'pending') e.pendingReferrals++;
  }
  for (const k of contacts) {
    const e = by.get(k.code);
    if (e && k.confirmed_at !== null && inWindow(c, k.confirmed_at)) e.contact = true;
  }
  for (const e of by.values()) {
    e.points = (e.presave === 'counted' ? c.points_presave : 0) + e.referrals * c.points_referral + (e.contact ? c.points_contact : 0);
    e.pendingPoints = (e.presave === 'pending' ? c.points_presave : 0) + e.pendingReferrals * c.points_referral;
  }
  return [...by.values()];
}

/** Standings: most points first, then pending points, then code (stable, no hidden order). */
export function byPoints(list: ContestEntrant[]): ContestEntrant[] {
  return [...list].sort((a, b) => b.points - a.points || b.pendingPoints - a.pendingPoints || (a.code < b.code ? -1 : 1));
}
