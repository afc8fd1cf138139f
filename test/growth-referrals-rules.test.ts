import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/index.js';
import type { GrowthConfig } from '../src/growth/config.js';
import { isReferralCode, newReferralCode } from '../src/growth/referrals/code.js';
import { ensurePresaveCode } from '../src/growth/referrals/codes.js';
import { recordReferral } from '../src/growth/referrals/decide.js';
import { networkPrefix, type FanKeys } from '../src/growth/referrals/fan-keys.js';
import { listReferrals } from '../src/growth/referrals/list.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

/**
 * Each rule of a referral's decision (growth/referrals/decide.ts), in its order, on a real
 * database: the keys are given as the web layer would hash them, the clock is a number.
 */
const LIMITS: GrowthConfig['referrals'] = {
  windowMs: 86_400_000,
  capPerHour: 5,
  burstWindowMs: 60 * 60_000,
  burstPerDevice: 2,
  burstPerNetwork: 3,
};
const T0 = 1_900_000_000_000;

describe.each(testDialects())('referral decisions, rule by rule (%s)', (dialect) => {
  let t: TestDb;
  let db: Db;
  let campaignId: number;
  let owner: { code: string; presaveId: number };
  let n = 0;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    db = t.db;
  });
  afterAll(async () => t?.drop());

  /** A pre-save (with its grant) of a fresh account on the campaign; status as given. */
  async function presave(status: 'pending' | 'saved' = 'pending'): Promise<number> {
    const a = `acct-${++n}`;
    const g = await db
      .insertInto('grants')
      .values({
        service: 'sandbox',
        account_id: a,
        display_name: null,
        access_token_enc: 'x',
        refresh_token_enc: 'x',
        access_expires_at: T0,
        scopes: '',
        authorized_at: T0,
        status: 'active',
        dead_reason: null,
        refresh_lock_owner: null,
        refresh_lock_until: null,
        created_at: T0,
        updated_at: T0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const p = await db
      .insertInto('presaves')
      .values({
        public_id: `rules_presave_${n}_${dialect}`,
        campaign_id: campaignId,
        grant_id: Number(g.id),
        service: 'sandbox',
        account_id: a,
        timezone: 'UTC',
        locale: null,
        market: null,
        follow_artist: 0,
        due_at: T0 + 86_400_000,
        status,
        attempts: 0,
        next_attempt_at: T0 + 86_400_000,
        created_at: T0,
        updated_at: T0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(p.id);
  }

  const fan = (i: number, o: Partial<FanKeys> = {}): FanKeys => ({ browser: `b${i}`, device: `d${i}`, network: `n${i}`, ...o });

  beforeEach(async () => {
    const c = await db
      .insertInto('campaigns')
      .values({
        slug: `rules-${++n}`,
        artist_name: 'Mira Vale',
        title: 'Rules',
        release_type: 'single',
        upc: '036000291452',
        isrcs: '[]',
        release_local: '2030-01-01T00:00',
        release_timezone: 'UTC',
        timing: 'global',
        first_release_at: T0 + 86_400_000,
        last_release_at: T0 + 86_400_000,
        services: '["sandbox"]',
        follow_artist: 0,
        status: 'active',
        is_demo: 0,
        created_at: T0,
        updated_at: T0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    campaignId = Number(c.id);
    const presaveId = await presave();
    const code = await ensurePresaveCode(
      db,
      { campaignId, presaveId, keys: { account: 'acct-owner', browser: 'b-owner', device: 'd-owner', network: 'n-owner' } },
      T0,
    );
    owner = { code, presaveId };
  });

  async function arrive(i: number, o: { fan?: FanKeys; account?: string; added?: boolean; presaveId?: number; at?: number } = {}) {
    const presaveId = o.presaveId ?? (await presave());
    const out = await recordReferral(
      db,
      { campaignId, code: owner.code, presaveId, added: o.added ?? true, account: o.account ?? `acct-key-${i}`, fan: o.fan ?? fan(i) },
      LIMITS,
      o.at ?? T0,
    );
    return { ...out!, presaveId };
  }

  it('codes are 10 characters of lowercase Crockford base32 and differ', () => {
    const codes = Array.from({ length: 200 }, () => newReferralCode());
    for (const c of codes) expect(c).toMatch(/^[0-9a-hjkmnp-tv-z]{10}$/);
    expect(new Set(codes).size).toBe(200);
    for (const bad of ['ABCDEFGHJK', 'abcdefghjk1', 'abcdefghil', "abc'--jkmn", '']) expect(isReferralCode(bad)).toBe(false);
  });

  it('networks are IPv4 /24 and IPv6 /48', () => {
    expect(networkPrefix('203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkPrefix('::ffff:203.0.113.9')).toBe('203.0.113.0/24');
    expect(networkPrefix('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(networkPrefix('2001:db8::1')).toBe('2001:db8:0::/48');
  });

  it('1. self_referral: the owner’s account, browser or device profile', async () => {
    expect(await arrive(1, { account: 'acct-owner' })).toMatchObject({ decision: 'excluded', reason: 'self_referral' });
    expect(await arrive(2, { fan: fan(2, { browser: 'b-owner' }) })).toMatchObject({ decision: 'excluded', reason: 'self_referral' });
    expect(await arrive(3, { fan: fan(3, { device: 'd-owner' }) })).toMatchObject({ decision: 'excluded', reason: 'self_referral' });
    // The same network alone is not the owner (a household, a campus).
    expect(await arrive(4, { fan: fan(4, { network: 'n-owner' }) })).toMatchObject({ decision: 'ok', reason: null });
  });

  it('2. already_presaved: a pre-save that was not new; the same attempt again records nothing more', async () => {
    const first = await arrive(1);
    expect(first).toMatchObject({ decision: 'ok' });
    const again = await arrive(1, { presaveId: first.presaveId, added: false });
    expect(again).toMatchObject({ decision: 'excluded', reason: 'already_presaved', recorded: true });
    expect(await arrive(1, { presaveId: first.presaveId, added: false })).toMatchObject({ recorded: false });
    const list = await listReferrals(db, campaignId);
    expect(list.map((r) => [r.state, r.reason])).toEqual([
      ['pending', 'pending_verification'],
      ['not_counted', 'already_presaved'],
    ]);
  });

  it('3. same_account: the provider account already brought a referral here', async () => {
    await arrive(1, { account: 'acct-shared' });
    expect(await arrive(2, { account: 'acct-shared' })).toMatchObject({ decision: 'excluded', reason: 'same_account' });
  });

  it('4. same_browser: the browser already brought a referral here', async () => {
    await arrive(1, { fan: fan(1, { browser: 'b-shared' }) });
    expect(await arrive(2, { fan: fan(2, { browser: 'b-shared' }) })).toMatchObject({ decision: 'excluded', reason: 'same_browser' });
    // No cookie (null browser key) matches nothing.
    await arrive(3, { fan: fan(3, { browser: null }) });
    expect(await arrive(4, { fan: fan(4, { browser: null }) })).toMatchObject({ decision: 'ok' });
  });

  it('5. hourly_cap: over REFERRAL_CAP_PER_HOUR in the last hour is held; an hour later it is not', async () => {
    for (let i = 1; i <= LIMITS.capPerHour; i++) expect(await arrive(i, { at: T0 + i })).toMatchObject({ decision: 'ok' });
    expect(await arrive(99, { at: T0 + 100 })).toMatchObject({ decision: 'held', reason: 'hourly_cap' });
    expect(await arrive(100, { at: T0 + 3_600_000 + 10 })).toMatchObject({ decision: 'ok' });
  });

  it('5. hourly_cap is exact when two referrals through one link are decided at the same instant', async () => {
    for (let i = 1; i < LIMITS.capPerHour; i++) expect(await arrive(i, { at: T0 + i })).toMatchObject({ decision: 'ok' });
    const [first, second] = [await presave(), await presave()];
    const arrival = (i: number, presaveId: number) => ({
      campaignId,
      code: owner.code,
      presaveId,
      added: true,
      account: `acct-key-${i}`,
      fan: fan(i),
    });
    // The last place under the cap is taken in a pre-save transaction that has not committed yet…
    let commitFirst!: () => void;
    let firstDecided!: () => void;
    const decided = new Promise<void>((r) => (firstDecided = r));
    const a = db.transaction().execute(async (trx) => {
      const out = await recordReferral(trx, arrival(50, first), LIMITS, T0 + 50);
      firstDecided();
      await new Promise<void>((r) => (commitFirst = r));
      return out;
    });
    await decided;
    // …when another arrives through the same link. Were it not made to wait, it would count the
    // referrals before the first committed (READ COMMITTED) and pass the cap.
    const b = db.transaction().execute((trx) => recordReferral(trx, arrival(51, second), LIMITS, T0 + 51));
    await new Promise((r) => setTimeout(r, 300));
    commitFirst();
    expect(await a).toMatchObject({ decision: 'ok' });
    expect(await b).toMatchObject({ decision: 'held', reason: 'hourly_cap' });
  });

  it('6. burst_device: the third from one device profile in the window holds the burst, not the counted ones', async () => {
    const a = await arrive(1, { fan: fan(1, { device: 'd-burst' }), at: T0 });
    const saved = await presave('saved');
    const b = await arrive(2, { fan: fan(2, { device: 'd-burst' }), presaveId: saved, at: T0 + 1000 });
    expect([a.decision, b.decision]).toEqual(['ok', 'ok']);
    const c = await arrive(3, { fan: fan(3, { device: 'd-burst' }), at: T0 + 2000 });
    expect(c).toMatchObject({ decision: 'held', reason: 'burst_device' });
    const list = await listReferrals(db, campaignId);
    const of = (id: number) => list.find((r) => r.presaveId === id)!;
    // The earlier pending one is held with it; the one already verified (saved) stays counted.
    expect([of(a.presaveId).state, of(a.presaveId).reason]).toEqual(['held', 'burst_device']);
    expect(of(saved).state).toBe('counted');
    // Outside the window, the same device profile is no burst.
    expect(await arrive(4, { fan: fan(4, { device: 'd-burst' }), at: T0 + LIMITS.burstWindowMs + 5000 })).toMatchObject({ decision: 'ok' });
  });

  it('6. burst_network: more than REFERRAL_BURST_PER_NETWORK from one network in the window', async () => {
    const first = [];
    for (let i = 1; i <= LIMITS.burstPerNetwork; i++) first.push(await arrive(i, { fan: fan(i, { network: 'n-burst' }), at: T0 + i }));
    expect(first.every((r) => r.decision === 'ok')).toBe(true);
    expect(await arrive(50, { fan: fan(50, { network: 'n-burst' }), at: T0 + 100 })).toMatchObject({
      decision: 'held',
      reason: 'burst_network',
    });
    const list = await listReferrals(db, campaignId);
    expect(list.filter((r) => r.state === 'held' && r.reason === 'burst_network')).toHaveLength(LIMITS.burstPerNetwork + 1);
  });

  it('7. ok: counts once the save is verified; an unknown code records nothing', async () => {
    expect(await arrive(1)).toMatchObject({ decision: 'ok', reason: null });
    const none = await recordReferral(
      db,
      { campaignId, code: 'zzzzzzzzzz', presaveId: await presave(), added: true, account: 'x', fan: fan(9) },
      LIMITS,
      T0,
    );
    expect(none).toBeNull();
    expect(await listReferrals(db, campaignId)).toHaveLength(1);
  });
});
