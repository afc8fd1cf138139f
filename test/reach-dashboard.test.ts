import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { InjectAgent, captureLog } from '../src/accounts/testing.js';
import { createUser } from '../src/accounts/users.js';
import { createWorkspace } from '../src/accounts/workspaces.js';
import type { Analytics } from '../src/analytics/index.js';
import type { Campaign } from '../src/campaigns/repo.js';
import type { AppContext } from '../src/context.js';
import { NEWS_CSV_COLUMNS } from '../src/reach/export.js';
import { artistKey } from '../src/reach/audience.js';
import { explainMessageFailure } from '../src/reach/report-words.js';
import { parseCsv } from './helpers/csv.js';
import { testDialects } from './helpers/db.js';
import { bandCampaign, seedConsent, seedContact, seedForever, seedGrant, seedMessages, seedPush } from './helpers/reach-seed.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const PW = 'correct horse battery';
const DAY = 86_400_000;
const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36';

/** The text of the element carrying data-reach="key". */
function reach(body: string, key: string): string | null {
  const m = new RegExp(`data-reach="${key.replace(/\./g, '\\.')}"[^>]*>([^<]*)<`).exec(body);
  return m ? m[1]!.trim() : null;
}

describe('message failure reasons in words', () => {
  it('words the engine’s codes, keeps unknown ones visible', () => {
    expect(explainMessageFailure('bounced').kind).toBe('bounced');
    expect(explainMessageFailure('bounced: 550 5.1.1 no such user').kind).toBe('bounced');
    expect(explainMessageFailure('no_mail_configured').kind).toBe('no_mail');
    expect(explainMessageFailure('gone').kind).toBe('push_gone');
    expect(explainMessageFailure('gave_up').kind).toBe('gave_up');
    // The codes the message engine records (src/reach/messages/kind.ts).
    expect(explainMessageFailure('retries_exhausted').kind).toBe('gave_up');
    expect(explainMessageFailure('rejected').kind).toBe('refused');
    expect(explainMessageFailure('no_push_configured').kind).toBe('no_push');
    expect(explainMessageFailure('weird_code')).toEqual({ kind: 'unknown', what: 'Failed: weird_code' });
    expect(explainMessageFailure('').what).toBe('Failed (no reason recorded)');
    expect(artistKey('  The\u00a0 BAND ')).toBe('the band');
  });
});

describe.each(testDialects())('the artist’s side of reach (%s)', (dialect) => {
  let server: TestServer;
  let ctx: AppContext;
  let app: FastifyInstance;
  let analytics: Analytics;
  const clock = Date.UTC(2026, 5, 1, 12, 0);
  let campaign: Campaign;
  let second: Campaign;
  let foreign: Campaign;
  let audience: string;
  const logs = captureLog();
  const agents: Record<'owner' | 'editor' | 'viewer' | 'outsider' | 'operator', InjectAgent> = {} as never;

  async function signIn(email: string, ip: string): Promise<InjectAgent> {
    const a = new InjectAgent(app, ip);
    await a.get('/login');
    expect((await a.post('/login', { email, password: PW })).statusCode).toBe(303);
    return a;
  }

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => clock, { log: logs.log, analytics: { flushIntervalMs: 60_000 } });
    ({ ctx, app } = server);
    analytics = app.analytics!;

    const owner = await createUser(ctx.db, { email: 'owner@example.com', password: PW }, clock);
    const editor = await createUser(ctx.db, { email: 'editor@example.com', password: PW }, clock);
    const viewer = await createUser(ctx.db, { email: 'viewer@example.com', password: PW }, clock);
    const outsider = await createUser(ctx.db, { email: 'outsider@example.com', password: PW }, clock);
    await createUser(ctx.db, { email: 'ops@example.com', password: PW, instanceAdmin: true }, clock);
    const ws = await createWorkspace(ctx.db, { slug: 'band', name: 'The Band', kind: 'artist' }, owner.id, clock);
    for (const [user, role] of [
      [editor, 'editor'],
      [viewer, 'viewer'],
    ] as const) {
      await ctx.db
        .insertInto('workspace_members')
        .values({ workspace_id: ws.id, user_id: user.id, role, created_at: clock, updated_at: clock })
        .execute();
    }
    const other = await createWorkspace(ctx.db, { slug: 'others', name: 'Others', kind: 'label' }, outsider.id, clock);
    campaign = await bandCampaign(ctx, 'night-drive', '036000291452', clock);
    second = await bandCampaign(ctx, 'second-song', '012345678905', clock);
    foreign = await bandCampaign(ctx, 'not-yours', '4006381333931', clock);
    const quiet = await bandCampaign(ctx, 'quiet-one', '5901234123457', clock);
    await setCampaignWorkspace(ctx.db, quiet.id, ws.id);
    await setCampaignWorkspace(ctx.db, campaign.id, ws.id);
    await setCampaignWorkspace(ctx.db, second.id, ws.id);
    await setCampaignWorkspace(ctx.db, foreign.id, other.id);
    audience = `w:${ws.id}`;
    const id = campaign.id;
    const t = clock - 2 * DAY;

    // Contacts of the workspace, as the fan side leaves them.
    const ann = await seedContact(ctx, { audience, email: 'Ann@Example.com', status: 'confirmed', campaignId: id, lang: 'fr', at: t });
    await seedConsent(ctx, { holder: { contactId: ann }, campaignId: id, purpose: 'remind', at: t });
    await seedConsent(ctx, {
      holder: { contactId: ann },
      campaignId: id,
      purpose: 'news',
      at: t,
      lang: 'fr',
      text: 'Des nouvelles de The Band',
    });
    // An address and consent words that a spreadsheet would run as formulas.
    const formula = await seedContact(ctx, { audience, email: '=cmd@example.com', status: 'confirmed', campaignId: id, at: t });
    await seedConsent(ctx, {
      holder: { contactId: formula },
      campaignId: id,
      purpose: 'news',
      at: t + 1000,
      text: '=HYPERLINK("http://evil.example","x")',
    });
    // Not confirmed yet (still in time), and one whose link expired.
    const bob = await seedContact(ctx, {
      audience,
      email: 'bob@example.com',
      status: 'unconfirmed',
      campaignId: id,
      confirmExpiresAt: clock + DAY,
      at: t,
    });
    await seedConsent(ctx, { holder: { contactId: bob }, campaignId: id, purpose: 'remind', at: t, confirmedAt: null });
    await seedConsent(ctx, { holder: { contactId: bob }, campaignId: id, purpose: 'news', at: t, confirmedAt: null });
    const old = await seedContact(ctx, {
      audience,
      email: 'old@example.com',
      status: 'unconfirmed',
      campaignId: id,
      confirmExpiresAt: clock - DAY,
      at: t,
    });
    await seedConsent(ctx, { holder: { contactId: old }, campaignId: id, purpose: 'remind', at: t, confirmedAt: null });
    // A confirmed address someone else typed in with "news": waiting for its owner's click, it is
    // no consent yet (awaiting, not exported).
    const dave = await seedContact(ctx, {
      audience,
      email: 'dave@example.com',
      status: 'confirmed',
      campaignId: id,
      confirmExpiresAt: clock + DAY,
      at: t,
    });
    await seedConsent(ctx, { holder: { contactId: dave }, campaignId: id, purpose: 'news', at: t, confirmedAt: null });
    // Bounced (suppressed: its consent withdrawn by the bounce), and one who unsubscribed.
    const sup = await seedContact(ctx, { audience, email: 'sup@example.com', status: 'suppressed', campaignId: id, at: t });
    await seedConsent(ctx, {
      holder: { contactId: sup },
      campaignId: id,
      purpose: 'news',
      at: t,
      withdrawn: { at: clock - DAY, via: 'bounce' },
    });
    const gone = await seedContact(ctx, { audience, email: 'gone@example.com', status: 'confirmed', campaignId: id, at: t });
    for (const purpose of ['remind', 'news'] as const) {
      await seedConsent(ctx, {
        holder: { contactId: gone },
        campaignId: id,
        purpose,
        at: t,
        withdrawn: { at: clock - DAY, via: 'unsubscribe' },
      });
    }
    // Agreed to news first on the second campaign's receipt page, then here too.
    const carla = await seedContact(ctx, {
      audience,
      email: 'carla@example.com',
      status: 'confirmed',
      campaignId: second.id,
      lang: 'pt-BR',
      at: t - DAY,
    });
    await seedConsent(ctx, {
      holder: { contactId: carla },
      campaignId: second.id,
      purpose: 'news',
      at: t - DAY,
      page: 'receipt',
      lang: 'pt-BR',
      text: 'Novidades de The Band',
    });
    await seedConsent(ctx, { holder: { contactId: carla }, campaignId: id, purpose: 'news', at: t });
    // Another workspace's fan: never in this workspace's numbers or export.
    const stranger = await seedContact(ctx, {
      audience: `w:${other.id}`,
      email: 'stranger@example.com',
      status: 'confirmed',
      campaignId: foreign.id,
      at: t,
    });
    await seedConsent(ctx, { holder: { contactId: stranger }, campaignId: foreign.id, purpose: 'news', at: t });

    // Push subscribers: two reminded, one unsubscribed.
    for (let i = 0; i < 3; i++) {
      const p = await seedPush(ctx, { audience, campaignId: id, at: t });
      await seedConsent(ctx, {
        holder: { pushId: p },
        campaignId: id,
        purpose: 'remind',
        at: t,
        ...(i === 2 ? { withdrawn: { at: clock - DAY, via: 'unsubscribe' as const } } : {}),
      });
    }

    // Messages of this campaign.
    const m = { campaignId: id, at: t };
    await seedMessages(ctx, { ...m, type: 'confirm', channel: 'email', status: 'sent', count: 4, dueAt: t });
    await seedMessages(ctx, { ...m, type: 'confirm', channel: 'email', status: 'pending', dueAt: clock - 1000 });
    await seedMessages(ctx, { ...m, type: 'out_now', channel: 'email', status: 'pending', count: 2, dueAt: clock + 3 * DAY });
    await seedMessages(ctx, { ...m, type: 'out_now', channel: 'email', status: 'sent', variant: 'verified', dueAt: t });
    await seedMessages(ctx, { ...m, type: 'out_now', channel: 'email', status: 'sent', variant: 'failed', dueAt: t });
    await seedMessages(ctx, { ...m, type: 'out_now', channel: 'email', status: 'sent', variant: 'none', dueAt: t });
    await seedMessages(ctx, { ...m, type: 'out_now', channel: 'email', status: 'failed', reason: 'bounced', dueAt: t });
    await seedMessages(ctx, {
      ...m,
      type: 'out_now',
      channel: 'email',
      status: 'not_sent',
      reason: 'no_mail_configured',
      count: 2,
      dueAt: t,
    });
    await seedMessages(ctx, { ...m, type: 'out_now', channel: 'email', status: 'cancelled', dueAt: t });
    await seedMessages(ctx, { ...m, type: 'reauth', channel: 'email', status: 'pending', dueAt: clock + DAY });
    await seedMessages(ctx, { ...m, type: 'out_now', channel: 'push', status: 'sent', dueAt: t });
    await seedMessages(ctx, { ...m, type: 'out_now', channel: 'push', status: 'failed', reason: 'gone', dueAt: t });
    await seedMessages(ctx, { ...m, type: 'out_now', channel: 'push', status: 'pending', dueAt: clock + 3 * DAY });
    // Another campaign's messages stay out of this one's report.
    await seedMessages(ctx, { campaignId: second.id, at: t, type: 'out_now', channel: 'email', status: 'sent', count: 7, dueAt: t });

    // Forever save of The Band here: two standing, one stopped; other artists and workspaces apart.
    const grant = await seedGrant(ctx, t);
    const f1 = await seedForever(ctx, { audience, artistKey: 'the band', grantId: grant, at: t });
    await seedConsent(ctx, { holder: { foreverId: f1 }, campaignId: id, purpose: 'forever', at: t });
    await seedForever(ctx, { audience, artistKey: 'the band', grantId: await seedGrant(ctx, t), at: t });
    await seedForever(ctx, { audience, artistKey: 'the band', grantId: await seedGrant(ctx, t), at: t, stoppedAt: clock - DAY });
    await seedForever(ctx, { audience, artistKey: 'someone else', grantId: grant, at: t });
    await seedForever(ctx, { audience: `w:${other.id}`, artistKey: 'the band', grantId: grant, at: t });

    // 40 unique visitors of the campaign page (and none of the second campaign's).
    for (let i = 0; i < 40; i++) {
      analytics.capture({
        event: 'page_view',
        campaignId: id,
        at: clock - 3_600_000,
        ip: `81.2.69.${10 + i}`,
        userAgent: DESKTOP,
        referer: null,
        url: `/${campaign.slug}`,
        host: '127.0.0.1',
      });
    }
    await analytics.flush();

    agents.owner = await signIn('owner@example.com', '10.0.0.1');
    agents.editor = await signIn('editor@example.com', '10.0.0.2');
    agents.viewer = await signIn('viewer@example.com', '10.0.0.3');
    agents.outsider = await signIn('outsider@example.com', '10.0.0.4');
    agents.operator = await signIn('ops@example.com', '10.0.0.5');
  });

  afterAll(async () => {
    await server?.close();
  });

  it('shows who can be reached, per purpose, and the opt-in rate with its denominator', async () => {
    const res = await agents.viewer.get('/w/band/campaigns/night-drive');
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toContain('<h2 id="reach-h">Fans you can reach</h2>');
    expect(body).toMatch(/<table id="reach-contacts">[\s\S]*<th>Agreed to<\/th>[\s\S]*<th class="n">Confirmed email<\/th>/);
    // Reminder: Ann confirmed, Bob awaiting (Old's link expired; Gone unsubscribed); two push subscribers.
    expect(reach(body, 'remind.confirmed')).toBe('1');
    expect(reach(body, 'remind.awaiting')).toBe('1');
    expect(reach(body, 'remind.push')).toBe('2');
    // News: Ann, =cmd and Carla confirmed; Bob and Dave (a confirmed address, its news not confirmed by its owner)
    // awaiting; the bounced and unsubscribed ones not.
    expect(reach(body, 'news.confirmed')).toBe('3');
    expect(reach(body, 'news.awaiting')).toBe('2');
    expect(reach(body, 'news.push')).toBe('0');
    expect(reach(body, 'any.confirmed')).toBe('3');
    expect(reach(body, 'any.awaiting')).toBe('2');
    expect(reach(body, 'any.push')).toBe('2');
    expect(reach(body, 'kpi.confirmed')).toBe('3');
    expect(body).toContain('1 never confirmed their address in time');
    // 5 addresses + 3 browsers agreed on this campaign and confirmed it (withdrawn since or not) ÷ 40 visitors;
    // Bob's, Old's and Dave's consents were never confirmed by the address's owner.
    expect(reach(body, 'optin.optedIn')).toBe('8');
    expect(reach(body, 'optin.visitors')).toBe('40');
    expect(reach(body, 'optin.rate')).toBe('20 %');
    expect(body).toContain('unique visitors of its pages');
  });

  it('shows "—" as the opt-in rate of a campaign analytics saw no visitor of', async () => {
    const body = (await agents.viewer.get('/w/band/campaigns/second-song')).body;
    expect(reach(body, 'optin.rate')).toBe('—');
    expect(body).toContain('no visitors recorded by the page’s analytics yet; 1 opted in');
    expect(body).not.toContain('data-reach="optin.visitors"');
  });

  it('says plainly when nobody opted in yet, without a table of zeros', async () => {
    const body = (await agents.viewer.get('/w/band/campaigns/quiet-one')).body;
    expect(body).toContain('Nobody has left an address or allowed notifications on this campaign yet.');
    expect(body).not.toContain('id="reach-contacts"');
    expect(body).toContain('No messages yet');
    expect(reach(body, 'optin.rate')).toBe('—');
  });

  it('reports messages per channel and type, reasons in words, unsubscribes, receipts and forever saves', async () => {
    const body = (await agents.viewer.get('/w/band/campaigns/night-drive')).body;
    expect(body).toMatch(/<table id="reach-messages">[\s\S]*<th>Channel<\/th>[\s\S]*<th class="n">Not delivered<\/th>/);
    expect(reach(body, 'email.confirm.sent')).toBe('4');
    expect(reach(body, 'email.confirm.sending')).toBe('1');
    expect(reach(body, 'email.out_now.scheduled')).toBe('2');
    expect(reach(body, 'email.out_now.sent')).toBe('3');
    expect(reach(body, 'email.out_now.notDelivered')).toBe('3');
    expect(reach(body, 'email.out_now.cancelled')).toBe('1');
    expect(reach(body, 'email.reauth.scheduled')).toBe('1');
    expect(reach(body, 'push.out_now.sent')).toBe('1');
    expect(reach(body, 'push.out_now.notDelivered')).toBe('1');
    expect(reach(body, 'push.out_now.scheduled')).toBe('1');
    // No forever notice was sent: no row for it.
    expect(body).not.toContain('data-type="forever_notice"');
    expect(body).toContain('Why messages were not delivered');
    expect(body).toMatch(/data-message-failure="no_mail" data-channel="email">\s*<strong>2 × Not sent: no mail server is configured/);
    expect(body).toMatch(/data-message-failure="bounced" data-channel="email">\s*<strong>1 × Bounced/);
    expect(body).toMatch(/data-message-failure="push_gone" data-channel="push">\s*<strong>1 × Push subscription gone/);
    expect(reach(body, 'withdrawn.unsubscribe.email')).toBe('1');
    expect(reach(body, 'withdrawn.unsubscribe.push')).toBe('1');
    expect(reach(body, 'withdrawn.bounce.email')).toBe('1');
    expect(body).not.toContain('data-withdrawn="erase"');
    expect(reach(body, 'receipts.verified')).toBe('1');
    expect(reach(body, 'receipts.failed')).toBe('1');
    expect(reach(body, 'receipts.plain')).toBe('2');
    expect(reach(body, 'forever.standing')).toBe('2');
    expect(reach(body, 'forever.stopped')).toBe('1');
    expect(reach(body, 'forever.askedHere')).toBe('1');
  });

  it('offers the export to editors and up only; viewers and operators see who can', async () => {
    const viewer = (await agents.viewer.get('/w/band/campaigns/night-drive')).body;
    expect(viewer).not.toContain('/w/band/contacts.csv');
    expect(viewer).toContain('Editors of this workspace can export the contacts who agreed to news.');
    const operator = await agents.operator.get('/w/band/campaigns/night-drive');
    expect(operator.statusCode).toBe(200);
    expect(operator.body).not.toContain('/w/band/contacts.csv');
    for (const a of [agents.owner, agents.editor]) {
      expect((await a.get('/w/band/campaigns/night-drive')).body).toContain('href="/w/band/contacts.csv" download data-export="news"');
    }
    // The workspace overview offers it too, to the same people.
    expect((await agents.owner.get('/w/band')).body).toContain('href="/w/band/contacts.csv" download data-export="news"');
    expect((await agents.viewer.get('/w/band')).body).not.toContain('/w/band/contacts.csv');
    expect((await agents.operator.get('/w/band')).body).not.toContain('/w/band/contacts.csv');
    const refused = await agents.viewer.get('/w/band/contacts.csv');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain('example.com');
    expect((await agents.operator.get('/w/band/contacts.csv')).statusCode).toBe(403);
    expect((await agents.outsider.get('/w/band/contacts.csv')).statusCode).toBe(404);
    const anon = await new InjectAgent(app).get('/w/band/contacts.csv');
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe(`/login?next=${encodeURIComponent('/w/band/contacts.csv')}`);
  });

  it('exports confirmed contacts with a standing news consent, formula-safe, for Mailchimp and Klaviyo', async () => {
    const before = logs.lines.length;
    const res = await agents.editor.get('/w/band/contacts.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="band-news-contacts.csv"');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(res.body.slice(1));
    expect(rows[0]).toEqual([...NEWS_CSV_COLUMNS]);
    expect(rows[0]).toEqual([
      'Email Address',
      'Language',
      'Consent Time',
      'Confirmation Time',
      'Consent Source',
      'Consent Text',
      'Consent Version',
      'Tags',
    ]);
    const byEmail = new Map(rows.slice(1).map((r) => [r[0], r]));
    // Ann, =cmd, Carla. Not Bob (unconfirmed), the bounced one, the one who unsubscribed, nor another workspace's.
    expect([...byEmail.keys()].sort()).toEqual(["'=cmd@example.com", 'Ann@example.com', 'carla@example.com']);
    const t = clock - 2 * DAY;
    expect(byEmail.get('Ann@example.com')).toEqual([
      'Ann@example.com',
      'fr',
      new Date(t).toISOString(),
      new Date(t).toISOString(),
      'night-drive (campaign page)',
      'Des nouvelles de The Band',
      'contact.news.v1',
      'dropday,news,night-drive',
    ]);
    expect(byEmail.get("'=cmd@example.com")![5]).toBe('\'=HYPERLINK("http://evil.example","x")');
    // Carla's proof is her first consent (the second campaign's receipt page); tags name both campaigns.
    expect(byEmail.get('carla@example.com')).toEqual([
      'carla@example.com',
      'pt-BR',
      new Date(t - DAY).toISOString(),
      new Date(t - DAY).toISOString(),
      'second-song (receipt page)',
      'Novidades de The Band',
      'contact.news.v1',
      'dropday,news,second-song,night-drive',
    ]);
    expect(res.body).not.toContain('bob@example.com');
    expect(res.body).not.toContain('dave@example.com');
    expect(res.body).not.toContain('stranger@example.com');
    expect(res.body).not.toContain('sup@example.com');
    expect(res.body).not.toContain('gone@example.com');

    // Logged: who, which workspace, how many — never an address.
    const lines = logs.lines.slice(before);
    const entry = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'contacts_export');
    expect(entry).toMatchObject({ rows: 3, unreadable: 0 });
    expect(typeof entry!.user).toBe('number');
    expect(lines.join('\n')).not.toMatch(/example\.com/);
  });
});
