import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/repo.js';
import type { AppContext } from '../src/context.js';
import { drawEntries, runDraw, type DrawEntry } from '../src/growth/contests/draw.js';
import { contestOf } from '../src/growth/contests/read.js';
import { saveContest } from '../src/growth/contests/store.js';
import type { ContestFields } from '../src/growth/contests/validate.js';
import { envFor, runCli } from './helpers/cli.js';
import { parseCsv } from './helpers/csv.js';
import { testDialects } from './helpers/db.js';
import { seedReferrals, seedReferrer } from './helpers/growth-seed.js';
import { bandCampaign, seedConsent, seedContact } from './helpers/reach-seed.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/** A fixed, known seed per number: the tests are deterministic, never random. */
const seedOf = (i: number) => createHash('sha256').update(`dropday test seed ${i}`).digest('hex');
const codes = (w: { code: string }[]) => w.map((x) => x.code).join(',');

/**
 * The contest draw (docs/contests.md): a pure function of entries, seed, method and count, so the
 * same seed always picks the same winners; the doc's reference script agrees with the code; and
 * through the real `dropday` process (build first: `npm run build`) a stored draw verifies, a
 * different seed does not, and the draw is refused before the end and a second time.
 */
describe('the seeded draw (pure)', () => {
  const entries: DrawEntry[] = [
    { code: 'delta', points: 4 },
    { code: 'alpha', points: 10 },
    { code: 'zero', points: 0 },
    { code: 'charlie', points: 7 },
    { code: 'bravo', points: 7 },
    { code: 'echo', points: 1 },
  ];

  it('entries are those with points, in code order', () => {
    expect(drawEntries(entries).map((e) => e.code)).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
  });

  it('the same seed picks the same winners, every time, whatever order the entries come in', () => {
    for (const method of ['draw', 'top'] as const) {
      const a = runDraw({ entries, seed: seedOf(1), method, winners: 3 });
      const b = runDraw({ entries: [...entries].reverse(), seed: seedOf(1), method, winners: 3 });
      expect(b).toEqual(a);
      expect(a.map((w) => w.position)).toEqual([1, 2, 3]);
      expect(new Set(a.map((w) => w.code)).size).toBe(3);
    }
  });

  it('a different seed can pick others', () => {
    const picks = new Set<string>();
    for (let i = 0; i < 40; i++) picks.add(codes(runDraw({ entries, seed: seedOf(i), method: 'draw', winners: 2 })));
    expect(picks.size).toBeGreaterThan(5);
  });

  it('weights matter: over 2,000 seeds an entry with 9 of 10 points wins about 9 times in 10', () => {
    let heavy = 0;
    const pair = [
      { code: 'light', points: 1 },
      { code: 'heavy', points: 9 },
    ];
    for (let i = 0; i < 2000; i++)
      if (runDraw({ entries: pair, seed: seedOf(i), method: 'draw', winners: 1 })[0]!.code === 'heavy') heavy++;
    expect(heavy / 2000).toBeGreaterThan(0.86);
    expect(heavy / 2000).toBeLessThan(0.94);
  });

  it('never picks an entry twice, and everyone wins when winners ≥ entries', () => {
    const all = runDraw({ entries, seed: seedOf(7), method: 'draw', winners: 100 });
    expect(all.map((w) => w.code).sort()).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
  });

  it('top N: most points first; equal points ordered by the seed, which can order them either way', () => {
    const orders = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const w = runDraw({ entries, seed: seedOf(i), method: 'top', winners: 4 });
      expect(w[0]!.code).toBe('alpha');
      expect(new Set([w[1]!.code, w[2]!.code])).toEqual(new Set(['bravo', 'charlie']));
      expect(w[3]!.code).toBe('delta');
      orders.add(codes(w));
    }
    expect(orders.size).toBe(2);
  });

  it('the reference script in docs/contests.md re-runs the draw exactly', () => {
    const doc = fs.readFileSync(path.resolve('docs/contests.md'), 'utf8');
    const script = /```js\n([\s\S]*?)```/.exec(doc)![1]!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dropday-rerun-'));
    fs.writeFileSync(path.join(dir, 'rerun.mjs'), script);
    const list = drawEntries(entries);
    for (const method of ['draw', 'top'] as const)
      for (let i = 0; i < 5; i++) {
        const file = path.join(dir, `${method}-${i}.json`);
        fs.writeFileSync(file, JSON.stringify({ seed: seedOf(i), method, winners: 3, points: list.map((e) => e.points) }));
        const out = execFileSync(process.execPath, [path.join(dir, 'rerun.mjs'), file], { encoding: 'utf8' }).trim();
        expect(out).toBe(
          runDraw({ entries, seed: seedOf(i), method, winners: 3 })
            .map((w) => w.entry)
            .join(' '),
        );
      }
    fs.rmSync(dir, { recursive: true });
  });

  it('refuses a seed that is not 32 bytes of hex', () => {
    expect(() => runDraw({ entries, seed: 'abc', method: 'draw', winners: 1 })).toThrow(/64 hex/);
  });
});

describe.each(testDialects())('the draw through `dropday contest` (%s)', (dialect) => {
  let server: TestServer;
  let ctx: AppContext;
  let env: Record<string, string>;
  let ended: Campaign;
  // The `dropday` process reads the real clock: the contest ended long before it, the other ends long after.
  const clock = Date.UTC(2025, 0, 2, 12, 0);
  const DAY = 86_400_000;
  const fields = (o: Partial<ContestFields>): ContestFields => ({
    prize: 'Signed vinyl',
    rules: 'Open to everyone. One entry per fan.',
    startsAt: clock,
    endsAt: clock + 10 * DAY,
    pointsPresave: 1,
    pointsReferral: 3,
    pointsContact: 2,
    method: 'top',
    winners: 2,
    ...o,
  });

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => clock);
    ctx = server.ctx;
    env = envFor(server.testDb, { PORT: new URL(server.url).port });
    ended = await bandCampaign(ctx, 'vinyl', '036000291452', clock);
    const at = clock + DAY;
    const due = clock + 3 * DAY;
    const ana = await seedReferrer(ctx, { campaignId: ended.id, at, dueAt: due, displayName: 'Ana', code: 'code-ana', visits: 5 });
    await seedReferrals(ctx, { campaignId: ended.id, code: ana.code, at, dueAt: due, count: 2, status: 'saved' });
    await seedReferrals(ctx, {
      campaignId: ended.id,
      code: ana.code,
      at,
      dueAt: due,
      status: 'pending',
      decision: 'held',
      reason: 'burst_device',
    });
    const ben = await seedReferrer(ctx, { campaignId: ended.id, at, dueAt: due, displayName: '=cmd()', code: 'code-ben' });
    await seedReferrals(ctx, { campaignId: ended.id, code: ben.code, at, dueAt: due, status: 'saved' });
    await seedReferrals(ctx, {
      campaignId: ended.id,
      code: ben.code,
      at,
      dueAt: due,
      status: 'saved',
      decision: 'excluded',
      reason: 'self_referral',
    });
    await seedReferrer(ctx, { campaignId: ended.id, at, dueAt: due, code: 'code-cy' });
    // Ben left an address on his pre-save and confirmed it: the only winner the artist may contact.
    const contact = await seedContact(ctx, {
      audience: `c:${ended.id}`,
      email: 'ben@example.org',
      status: 'confirmed',
      campaignId: ended.id,
      at,
    });
    await seedConsent(ctx, { holder: { contactId: contact }, campaignId: ended.id, purpose: 'remind', at });
    await ctx.db.updateTable('consents').set({ presave_id: ben.presaveId }).where('contact_id', '=', contact).execute();
    // Ana's address was never confirmed: not contactable, no points for it.
    const unconfirmed = await seedContact(ctx, {
      audience: `c:${ended.id}`,
      email: 'ana@example.org',
      status: 'unconfirmed',
      campaignId: ended.id,
      at,
    });
    await seedConsent(ctx, { holder: { contactId: unconfirmed }, campaignId: ended.id, purpose: 'remind', at, confirmedAt: null });
    await ctx.db.updateTable('consents').set({ presave_id: ana.presaveId }).where('contact_id', '=', unconfirmed).execute();
    await saveContest(ctx.db, ended.id, fields({}), clock);

    const running = await bandCampaign(ctx, 'running', '012345678905', clock);
    await saveContest(ctx.db, running.id, fields({ endsAt: Date.UTC(2099, 0, 1) }), clock);
  });
  afterAll(() => server.close());

  it('is refused before the end, with the end named', async () => {
    const r = await runCli(['contest', 'draw', 'running'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/winners can be drawn only after that/);
    expect(r.stderr).toContain('2099');
    const c = await contestOf(
      ctx.db,
      (await ctx.db.selectFrom('campaigns').select('id').where('slug', '=', 'running').executeTakeFirstOrThrow()).id,
    );
    expect(c!.drawn_at).toBeNull();
  });

  it('verify is refused before any draw', async () => {
    const r = await runCli(['contest', 'verify', 'vinyl'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not been drawn yet/);
  });

  it('draws once; a re-run with the same seed matches, a different seed does not; a second draw is refused', async () => {
    const show = await runCli(['contest', 'show', 'vinyl', '--json'], env);
    expect(show.code, show.stderr).toBe(0);
    const shown = JSON.parse(show.stdout) as { seed: string; standings: { code: string; points: number; pendingPoints: number }[] };
    expect(shown.seed).toMatch(/^[0-9a-f]{64}$/);
    // Ana: own save 1 + 2 counted referrals × 3 (the held one is not counted). Ben: 1 + 3 + contact 2. Cy: 1.
    expect(shown.standings.map((s) => [s.code, s.points])).toEqual([
      ['code-ana', 7],
      ['code-ben', 6],
      ['code-cy', 1],
    ]);

    const draw = await runCli(['contest', 'draw', 'vinyl'], env);
    expect(draw.code, draw.stderr).toBe(0);
    expect(draw.stdout).toContain('Drew 2 winners from 3 entries');
    expect(draw.stdout).toMatch(/1\. entry #1 \[code-ana\] 7 points/);
    expect(draw.stdout).toMatch(/2\. entry #2 \[code-ben\] 6 points/);

    const verify = await runCli(['contest', 'verify', 'vinyl'], env);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain(`seed ${shown.seed}`);
    expect(verify.stdout).toContain('The stored winners match the draw.');

    // Points move after the draw (Cy brings three verified fans): the frozen entries still verify.
    await seedReferrals(ctx, { campaignId: ended.id, code: 'code-cy', at: clock + DAY, dueAt: clock + 3 * DAY, count: 3, status: 'saved' });
    expect((await runCli(['contest', 'verify', 'vinyl'], env)).code).toBe(0);

    const c = (await contestOf(ctx.db, ended.id))!;
    expect(JSON.parse(c.entries!)).toEqual([
      ['code-ana', 7],
      ['code-ben', 6],
      ['code-cy', 1],
    ]);
    const bad = await runCli(['contest', 'verify', 'vinyl', '--seed', 'xyz'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--seed: must be 64 hex digits/);

    const again = await runCli(['contest', 'draw', 'vinyl'], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already drawn .*--redraw/);
  });

  it('a weighted draw verifies with its seed and not with another that picks others', async () => {
    const weighted = await bandCampaign(ctx, 'weighted', '4006381333931', clock);
    const at = clock + DAY;
    const due = clock + 3 * DAY;
    for (const [code, n] of [
      ['w-a', 1],
      ['w-b', 2],
      ['w-c', 3],
      ['w-d', 4],
    ] as const) {
      await seedReferrer(ctx, { campaignId: weighted.id, at, dueAt: due, code });
      await seedReferrals(ctx, { campaignId: weighted.id, code, at, dueAt: due, count: n, status: 'saved' });
    }
    await saveContest(ctx.db, weighted.id, fields({ method: 'draw', winners: 2 }), clock);
    const draw = await runCli(['contest', 'draw', 'weighted'], env);
    expect(draw.code, draw.stderr).toBe(0);
    const c = (await contestOf(ctx.db, weighted.id))!;
    const entries = (JSON.parse(c.entries!) as [string, number][]).map(([code, points]) => ({ code, points }));
    const mine = codes(runDraw({ entries, seed: c.seed!, method: 'draw', winners: 2 }));
    let other = '';
    for (let i = 0; !other && i < 100; i++)
      if (codes(runDraw({ entries, seed: seedOf(i), method: 'draw', winners: 2 })) !== mine) other = seedOf(i);
    expect(other).not.toBe('');

    expect((await runCli(['contest', 'verify', 'weighted'], env)).code).toBe(0);
    const differs = await runCli(['contest', 'verify', 'weighted', '--seed', other], env);
    expect(differs.code).toBe(1);
    expect(differs.stdout).toContain('The stored winners do NOT match this draw.');

    // --redraw replaces the draw: with the same seed and entries, the same winners.
    const redraw = await runCli(['contest', 'draw', 'weighted', '--redraw'], env);
    expect(redraw.code, redraw.stderr).toBe(0);
    const rows = await ctx.db
      .selectFrom('contest_winners')
      .select('code')
      .where('campaign_id', '=', weighted.id)
      .orderBy('position')
      .execute();
    expect(rows.map((r) => r.code).join(',')).toBe(mine);
  });

  it('exports the winners: an address only for the one who agreed to be contacted; the count on stderr', async () => {
    const r = await runCli(['contest', 'winners', 'vinyl', '--csv'], env);
    expect(r.code, r.stderr).toBe(0);
    const rows = parseCsv(r.stdout.replace(/^\uFEFF/, ''));
    expect(rows).toEqual([
      ['position', 'name', 'points', 'email'],
      ['1', 'Ana', '7', 'did not agree to be contacted'],
      // Formula-safe: a name starting with "=" opens as text.
      ['2', "'=cmd()", '6', 'ben@example.org'],
    ]);
    expect(r.stderr).toContain('Exported 2 winners, 1 with an address.');
    expect(r.stderr).not.toContain('@example.org');
  });

  it('`dropday referrals` lists referrers with their states and reasons (text, JSON, CSV)', async () => {
    const text = await runCli(['referrals', 'vinyl'], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Ana [code-ana]: 2 counted, 0 pending, 1 held, 0 not counted; 5 visits');
    expect(text.stdout).toContain('Part of a burst from one device profile: 1');
    const json = await runCli(['referrals', 'vinyl', '--json'], env);
    const j = JSON.parse(json.stdout) as {
      referrers: { code: string; counted: number; notCounted: number; reasons: { reason: string }[] }[];
    };
    const ben = j.referrers.find((x) => x.code === 'code-ben')!;
    expect(ben.counted).toBe(1);
    expect(ben.notCounted).toBe(1);
    expect(ben.reasons.map((x) => x.reason)).toEqual(['self_referral']);
    const csv = await runCli(['referrals', 'vinyl', '--csv'], env);
    const rows = parseCsv(csv.stdout.replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual([
      'rank',
      'referrer_code',
      'display_name',
      'name_hidden',
      'counted',
      'pending',
      'held',
      'not_counted',
      'visits',
      'reasons',
    ]);
    expect(rows.find((x) => x[1] === 'code-ben')).toEqual([
      expect.any(String),
      'code-ben',
      "'=cmd()",
      'no',
      '1',
      '0',
      '0',
      '1',
      '0',
      "The referrer's own account, browser or device: 1",
    ]);
  });
});
