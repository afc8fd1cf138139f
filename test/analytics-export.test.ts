import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell, csvContentDisposition, csvRow, csvStream, deliveryReportCsv, fansCsv } from '../src/analytics/csv.js';
import { deliveryReport } from '../src/analytics/delivery.js';
import { MINUTE } from '../src/analytics/time.js';
import { parseCsv } from './helpers/csv.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

const NOW = 1_800_000_000_000;

describe('CSV cells', () => {
  it('neutralizes spreadsheet formulas and quotes per RFC 4180', () => {
    expect(csvCell('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(csvCell('+33 6 12')).toBe("'+33 6 12");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('\tTAB')).toBe("'\tTAB");
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
    expect(csvCell('  =1+1')).toBe("'  =1+1");
    expect(csvCell('＝1+1')).toBe("'＝1+1");
    expect(csvCell('=HYPERLINK("http://evil.example","click")')).toBe('"\'=HYPERLINK(""http://evil.example"",""click"")"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('plain text')).toBe('plain text');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvRow(['a', '=b', 3])).toBe("a,'=b,3\r\n");
    expect(csvContentDisposition('fans of "my-song" / 2026')).toBe('attachment; filename="fans-of-my-song-2026.csv"');
  });
});

describe.each(testDialects())('delivery report and CSV export (%s)', (dialect) => {
  let t: TestDb;
  let campaignId: number;
  let grantId: number;
  let n = 0;

  async function presave(p: {
    service: string;
    status: string;
    dueAt?: number;
    savedAt?: number | null;
    updatedAt?: number;
    reason?: string | null;
    market?: string | null;
    createdAt?: number;
  }) {
    n++;
    await t.db
      .insertInto('presaves')
      .values({
        public_id: `pub-${n}-xxxxxxxxxxxx`,
        campaign_id: campaignId,
        grant_id: grantId,
        service: p.service,
        account_id: `fan-account-${n}`,
        timezone: 'Europe/Paris',
        locale: 'fr-FR',
        follow_artist: 0,
        due_at: p.dueAt ?? NOW - 10 * MINUTE,
        next_attempt_at: p.dueAt ?? NOW - 10 * MINUTE,
        status: p.status,
        attempts: 1,
        failure_reason: p.reason ?? null,
        market: p.market === undefined ? 'FR' : p.market,
        saved_at: p.savedAt ?? null,
        created_at: p.createdAt ?? NOW - 86_400_000,
        updated_at: p.updatedAt ?? p.savedAt ?? NOW - 3_600_000,
      })
      .execute();
  }

  beforeAll(async () => {
    t = await createTestDb(dialect);
    const c = await t.db
      .insertInto('campaigns')
      .values({
        slug: 'export',
        artist_name: 'A',
        title: 'T',
        release_type: 'single',
        artwork_url: null,
        upc: '036000291452',
        isrcs: '[]',
        release_local: '2027-01-15T00:00:00',
        release_timezone: 'UTC',
        timing: 'local',
        first_release_at: NOW - 10 * MINUTE,
        last_release_at: NOW + 26 * 3_600_000,
        services: '["spotify","apple-music","deezer"]',
        follow_artist: 0,
        status: 'active',
        is_demo: 0,
        created_at: NOW,
        updated_at: NOW,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    campaignId = Number(c.id);
    const g = await t.db
      .insertInto('grants')
      .values({
        service: 'spotify',
        account_id: 'grant-account',
        display_name: null,
        access_token_enc: 'v1.secret-token',
        refresh_token_enc: 'v1.secret-refresh',
        access_expires_at: null,
        scopes: '',
        authorized_at: NOW,
        status: 'active',
        dead_reason: null,
        refresh_lock_owner: null,
        refresh_lock_until: null,
        created_at: NOW,
        updated_at: NOW,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    grantId = Number(g.id);

    // Spotify mid fan-out: 50 saves in the last 4 minutes, 5 failures 2 minutes ago, 20 still due.
    for (let i = 0; i < 50; i++) await presave({ service: 'spotify', status: 'saved', savedAt: NOW - 240_000 + i * 4_800 });
    for (let i = 0; i < 10; i++) await presave({ service: 'spotify', status: 'saved', savedAt: NOW - 3_600_000 });
    for (let i = 0; i < 5; i++)
      await presave({ service: 'spotify', status: 'failed', reason: 'release_not_found', updatedAt: NOW - 120_000 });
    for (let i = 0; i < 3; i++)
      await presave({ service: 'spotify', status: 'failed', reason: 'grant_revoked', updatedAt: NOW - 3_600_000 });
    for (let i = 0; i < 20; i++) await presave({ service: 'spotify', status: 'pending' });
    for (let i = 0; i < 7; i++) await presave({ service: 'spotify', status: 'cancelled', reason: 'campaign_archived' });
    // Apple Music: due but nothing moved in the window (stalled).
    for (let i = 0; i < 4; i++) await presave({ service: 'apple-music', status: 'pending' });
    // Deezer: local timing, these fans' release time is 3 hours away.
    for (let i = 0; i < 6; i++) await presave({ service: 'deezer', status: 'pending', dueAt: NOW + 3 * 3_600_000, market: null });
    // A hostile failure reason, to prove the export is safe to open in a spreadsheet.
    await presave({ service: 'deezer', status: 'failed', reason: '=HYPERLINK("http://evil.example","x")', updatedAt: NOW - 3_600_000 });
  });
  afterAll(() => t.drop());

  it('counts saved / failed by reason / due / scheduled / cancelled per service, with live rate and ETA', async () => {
    const r = await deliveryReport(t.db, campaignId, NOW);
    expect(r).toMatchObject({
      total: 106,
      saved: 60,
      failed: 9,
      due: 24,
      scheduled: 6,
      pending: 30,
      cancelled: 7,
      failureReasons: { release_not_found: 5, grant_revoked: 3, '=HYPERLINK("http://evil.example","x")': 1 },
      cancelReasons: { campaign_archived: 7 },
      nextDueAt: NOW + 3 * 3_600_000,
      // Progress is what reached fans' libraries: 60 saved of the 93 due (60 saved + 9 failed + 24 due).
      progress: { saved: 60, of: 93, fraction: Math.round((60 / 93) * 10_000) / 10_000 },
      state: 'delivering',
      outcome: null,
      pauses: [],
    });
    expect(Object.keys(r.byService)).toEqual(['apple-music', 'deezer', 'spotify']);
    const s = r.byService.spotify!;
    expect(s).toMatchObject({ total: 95, saved: 60, failed: 8, due: 20, scheduled: 0, cancelled: 7 });
    // 55 settled over the 4 minutes the window actually spans: 13.75 a minute; 20 due → 20/55 of 4 minutes.
    expect(s.live.finishedInWindow).toBe(55);
    expect(s.live.ratePerMinute).toBe(13.75);
    expect(s.live.etaMs).toBe(Math.round((20 / 55) * 240_000));
    expect(s.live.lastSavedAt).toBe(NOW - 240_000 + 49 * 4_800);
    expect(r.byService['apple-music']).toMatchObject({ due: 4, live: { finishedInWindow: 0, ratePerMinute: 0, etaMs: null } });
    expect(r.byService.deezer).toMatchObject({ scheduled: 6, due: 0, live: { etaMs: null } });
    expect(r.live).toMatchObject({ active: true, ratePerMinute: 13.75, etaMs: null, etaAt: null, stalled: ['apple-music'] });

    // Apple Music starts moving: the overall ETA is the slowest service's.
    const apple = await t.db.selectFrom('presaves').select('id').where('service', '=', 'apple-music').execute();
    await t.db
      .updateTable('presaves')
      .set({ status: 'saved', saved_at: NOW - 60_000, updated_at: NOW - 60_000 })
      .where('id', '=', apple[0]!.id)
      .execute();
    const r2 = await deliveryReport(t.db, campaignId, NOW);
    const appleEta = Math.round((3 / 1) * 60_000);
    expect(r2.byService['apple-music']!.live.etaMs).toBe(appleEta);
    expect(r2.live.stalled).toEqual([]);
    expect(r2.live.etaMs).toBe(Math.max(appleEta, s.live.etaMs!));
    expect(r2.live.etaAt).toBe(NOW + r2.live.etaMs!);

    // After the fan-out and the window: nothing due, nothing moving.
    const later = await deliveryReport(t.db, campaignId, NOW + 2 * 3_600_000);
    expect(later.live).toMatchObject({ ratePerMinute: 0 });
    expect(later.live.active).toBe(true); // still due: 20 spotify + 3 apple
  });

  it('streams the fans CSV in pages, safe against formula injection, without tokens or account ids', async () => {
    let text = '';
    for await (const chunk of fansCsv(t.db, campaignId, { pageSize: 7 })) text += chunk;
    expect(text.startsWith('\uFEFFcreated_at,service,country,timezone,status,failure_reason,saved_at\r\n')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual(['created_at', 'service', 'country', 'timezone', 'status', 'failure_reason', 'saved_at']);
    expect(rows).toHaveLength(1 + 106);
    const hostile = rows.find((r) => r[5]!.includes('HYPERLINK'))!;
    expect(hostile[5]).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(text).toContain('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    const saved = rows.find((r) => r[4] === 'saved')!;
    expect(saved).toEqual([
      new Date(NOW - 86_400_000).toISOString(),
      'spotify',
      'FR',
      'Europe/Paris',
      'saved',
      '',
      expect.stringMatching(/^2027-/),
    ]);
    expect(rows.filter((r) => r[1] === 'deezer' && r[4] === 'pending').every((r) => r[2] === '')).toBe(true);
    for (const secret of ['fan-account-', 'secret-token', 'secret-refresh', 'pub-', 'grant-account']) expect(text).not.toContain(secret);

    // As a Node stream for reply.send().
    let streamed = '';
    for await (const chunk of csvStream(fansCsv(t.db, campaignId, { bom: false }))) streamed += String(chunk);
    expect(streamed).toBe(text.slice(1));
  });

  it('exports the delivery report as CSV', async () => {
    const report = await deliveryReport(t.db, campaignId, NOW);
    const text = [...deliveryReportCsv(report, { bom: false })].join('');
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['service', 'status', 'reason', 'count']);
    expect(rows).toContainEqual(['spotify', 'failed', 'release_not_found', '5']);
    expect(rows).toContainEqual(['spotify', 'cancelled', 'campaign_archived', '7']);
    expect(rows).toContainEqual(['deezer', 'scheduled', '', '6']);
    expect(rows).toContainEqual(['deezer', 'failed', '\'=HYPERLINK("http://evil.example","x")', '1']);
    expect(rows).toContainEqual(['all', 'saved', '', String(report.saved)]);
  });
});
