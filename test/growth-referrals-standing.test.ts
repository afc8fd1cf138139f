import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import type { Db } from '../src/db/index.js';
import { ensurePresaveCode } from '../src/growth/referrals/codes.js';
import { recordReferral } from '../src/growth/referrals/decide.js';
import { receiptStanding } from '../src/growth/referrals/standing.js';
import { referralStandings } from '../src/growth/referrals/state.js';
import { testDialects } from './helpers/db.js';
import { seedPresaves } from './helpers/presaves.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * The receipt's referral numbers (growth/referrals/standing.ts) without reading every link of the
 * campaign: for several fans, the counts and the rank a receipt shows are the artist's view's
 * (referralStandings), also right after a new referral; many receipts share one campaign-wide read.
 */
const RELEASE = Date.parse('2030-06-10T00:00:00Z');
const NOW = RELEASE - 10 * 86_400_000;
const HOUR = 3_600_000;

describe.each(testDialects())('a fan’s referral standing on the receipt (%s)', (dialect) => {
  let server: TestServer;
  let db: Db;
  let campaignId: number;
  const fans: { name: string; publicId: string; presaveId: number; code: string }[] = [];
  let n = 0;

  /** A referred fan's pre-save in the given state, arriving through `code` an hour after the last. */
  async function refer(code: string, status: 'pending' | 'saved' | 'cancelled') {
    const [presaveId] = await seedPresaves(db, { campaignId, count: 1, status, dueAt: RELEASE, createdAt: NOW });
    n++;
    const out = await recordReferral(
      db,
      {
        campaignId,
        code,
        presaveId: presaveId!,
        added: true,
        account: `acct-${dialect}-${n}`,
        fan: { browser: `b${n}`, device: `d${n}`, network: `n${n}` },
      },
      server.ctx.config.growth.referrals,
      NOW + n * HOUR,
    );
    expect(out?.decision).toBe('ok');
  }

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => NOW);
    db = server.ctx.db;
    const campaign = await createCampaign(
      { db, now: server.ctx.now, enabledServices: server.ctx.providers.enabled() },
      {
        slug: 'standings',
        artistName: 'Tally Hall Band',
        title: 'Counted',
        upc: '036000291452',
        releaseAt: '2030-06-10T00:00',
        timezone: 'UTC',
        timing: 'global',
        services: ['sandbox'],
      },
    );
    campaignId = campaign.id;
    for (const name of ['ana', 'ben', 'cleo', 'dev', 'eli']) {
      const [presaveId] = await seedPresaves(db, { campaignId, count: 1, status: 'pending', dueAt: RELEASE, createdAt: NOW });
      const row = await db.selectFrom('presaves').select('public_id').where('id', '=', presaveId!).executeTakeFirstOrThrow();
      const code = await ensurePresaveCode(
        db,
        { campaignId, presaveId: presaveId!, keys: { account: `owner-${name}`, browser: null, device: null, network: null } },
        NOW,
      );
      fans.push({ name, publicId: row.public_id, presaveId: presaveId!, code });
    }
    const [ana, ben, cleo, dev] = fans;
    // ana and ben tie (2 counted, 1 pending); cleo 1 counted 2 pending; dev 2 pending, 1 cancelled; eli none.
    for (const [f, states] of [
      [ana!, ['saved', 'saved', 'pending']],
      [ben!, ['pending', 'saved', 'saved']],
      [cleo!, ['pending', 'saved', 'pending']],
      [dev!, ['pending', 'cancelled', 'pending']],
    ] as const)
      for (const s of states) await refer(f.code, s);
  });
  afterAll(async () => {
    await server?.close();
  });

  /** What a fan's receipt shows: counts, rank and "of N" (null when no rank is shown). */
  async function shown(publicId: string) {
    const page = await (await fetch(`${server.url}/p/${publicId}?lang=en`)).text();
    const counts = /data-referral-counts data-counted="(\d+)" data-pending="(\d+)"/.exec(page);
    const rank = /data-referral-rank="(\d+)">You are #\d+ of (\d+)\./.exec(page);
    return {
      counted: Number(counts?.[1]),
      pending: Number(counts?.[2]),
      rank: rank ? Number(rank[1]) : null,
      total: rank ? Number(rank[2]) : null,
    };
  }

  /** The artist's view of the same links, as the receipt would show it. */
  async function artistView() {
    const all = await referralStandings(db, campaignId);
    return new Map(
      all.map((s) => [
        s.code,
        {
          counted: s.counted,
          pending: s.pending,
          rank: s.counted + s.pending > 0 ? s.rank : null,
          total: s.counted + s.pending > 0 ? all.length : null,
        },
      ]),
    );
  }

  it('counts and rank on each receipt equal the artist’s view, also right after a new referral', async () => {
    let view = await artistView();
    for (const f of fans) expect(await shown(f.publicId), f.name).toEqual(view.get(f.code));
    expect(await shown(fans[0]!.publicId)).toEqual({ counted: 2, pending: 1, rank: 1, total: 5 });
    expect(await shown(fans[1]!.publicId)).toEqual({ counted: 2, pending: 1, rank: 1, total: 5 });
    expect(await shown(fans[3]!.publicId)).toEqual({ counted: 0, pending: 2, rank: 4, total: 5 });

    // A new counted referral for cleo, recorded now: every receipt shows the new order at once.
    await refer(fans[2]!.code, 'saved');
    await refer(fans[2]!.code, 'saved');
    view = await artistView();
    expect(view.get(fans[2]!.code)).toMatchObject({ counted: 3, rank: 1 });
    for (const f of fans) expect(await shown(f.publicId), f.name).toEqual(view.get(f.code));
  });

  it('many receipts share one campaign-wide read; none reads every link of the campaign', async () => {
    const sqls: string[] = [];
    const spy: KyselyPlugin = {
      transformQuery: (args) => {
        sqls.push(spyDb.getExecutor().compileQuery(args.node, args.queryId).sql);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const spyDb: Db = db.withPlugin(spy);
    const view = await artistView();
    for (let round = 0; round < 3; round++)
      for (const f of fans) {
        const s = await receiptStanding(spyDb, campaignId, f.code);
        const want = view.get(f.code)!;
        expect({ counted: s.counted, pending: s.pending }, f.name).toEqual({ counted: want.counted, pending: want.pending });
        if (want.rank !== null) expect([s.rank, s.total], f.name).toEqual([want.rank, want.total]);
      }
    const campaignWide = sqls.filter((q) => !/"code" = /.test(q));
    // 15 standings: one read of the campaign's referrals and one count of its links, shared.
    expect(campaignWide).toHaveLength(2);
    expect(campaignWide.some((q) => /count\(\*\)/i.test(q) && /"referral_codes"/.test(q))).toBe(true);
    expect(sqls.filter((q) => /from "referral_codes"/.test(q) && !/count\(\*\)/i.test(q))).toEqual([]);
  });
});
