import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { updateCampaign } from '../src/campaigns/service.js';
import { dueAtFor } from '../src/campaigns/timing.js';
import type { Campaign } from '../src/campaigns/repo.js';
import type { AppContext } from '../src/context.js';
import { LANGUAGES } from '../src/i18n/languages.js';
import { withdrawConsents } from '../src/reach/consents.js';
import { composeMessage, type ComposeInput } from '../src/reach/messages/compose/index.js';
import { enqueueMessage } from '../src/reach/messages/lifecycle/enqueue.js';
import { noticeDedupe } from '../src/reach/forever/store.js';
import { redriveFailedMessages } from '../src/reach/messages/lifecycle/redrive.js';
import { planMailMessages } from '../src/reach/messages/plan.js';
import { closeAfterEach } from './helpers/close-after-each.js';
import { envFor, runCli } from './helpers/cli.js';
import { testDialects } from './helpers/db.js';
import { startMailServer, type MailServer } from './helpers/mail-server.js';
import { seedPresaves } from './helpers/presaves.js';
import { messagesOf, reachCampaign, releaseWall, seedContact } from './helpers/reach.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

/**
 * What fans notice of the message engine's outcomes, through a real SMTP server: a pre-saver's
 * receipt (verified, or why it failed), a bounce that suppresses the address, a temporary refusal
 * retried later, no mail configured (recorded, visibly), a consent withdrawn before release, DKIM,
 * a moved release, a re-drive, and every language.
 */
const DAY = 86_400_000;

function campaign(ctx: AppContext, slug: string, timing: 'global' | 'local' = 'global') {
  return reachCampaign(ctx, slug, { timing });
}

describe.each(testDialects())('message outcomes a fan notices (%s)', (dialect) => {
  let server: TestServer | undefined;
  let smtp: MailServer | undefined;
  const closing = closeAfterEach();

  async function start(env: Record<string, string> = {}, withSmtp = true) {
    let offset = 0;
    const now = () => Date.now() + offset;
    smtp = withSmtp ? closing(await startMailServer()) : undefined;
    server = closing(
      await startTestServer(
        dialect,
        { ...(smtp ? { SMTP_URL: smtp.url } : {}), MAIL_FROM: 'Mira Vale Team <hello@dropday.test>', ...env },
        now,
      ),
    );
    return { ctx: server.ctx, url: server.url, now, move: (to: number) => (offset += to - now()) };
  }

  async function remind(ctx: AppContext, c: Campaign, email: string, now: number, extra: { presaveId?: number; lang?: string } = {}) {
    const fan = await seedContact(ctx, { campaignId: c.id, email, now, presaveId: extra.presaveId ?? null, lang: extra.lang ?? 'en' });
    await planMailMessages(
      ctx,
      {
        campaign: c,
        contactId: fan.contactId,
        presaveId: extra.presaveId ?? null,
        timezone: null,
        lang: extra.lang ?? 'en',
      },
      now,
    );
    return fan;
  }

  it('a pre-saver’s message is a receipt: verified when saved, why and a link to listen anyway when it failed, and it waits while still saving', async () => {
    const { ctx, url, now, move } = await start();
    const c = await campaign(ctx, 'receipts');
    const release = dueAtFor(c, 'UTC');
    const [saved] = await seedPresaves(ctx.db, {
      campaignId: c.id,
      count: 1,
      status: 'saved',
      dueAt: release,
      savedAt: release,
      createdAt: now(),
    });
    const [failed] = await seedPresaves(ctx.db, {
      campaignId: c.id,
      count: 1,
      status: 'failed',
      dueAt: release,
      reason: 'authorization no longer valid (grant_dead)',
      createdAt: now(),
    });
    const [saving] = await seedPresaves(ctx.db, { campaignId: c.id, count: 1, status: 'pending', dueAt: release, createdAt: now() });
    const v = await remind(ctx, c, 'verified@example.com', now(), { presaveId: saved! });
    const f = await remind(ctx, c, 'failed@example.com', now(), { presaveId: failed! });
    const s = await remind(ctx, c, 'saving@example.com', now(), { presaveId: saving! });
    // The pre-save still saving is a pre-save of the worker's: keep it from being processed (the test decides its outcome).
    await ctx.db
      .updateTable('presaves')
      .set({ next_attempt_at: release + 365 * DAY })
      .where('id', '=', saving!)
      .execute();

    const gotVerified = smtp!.next('verified@example.com');
    const gotFailed = smtp!.next('failed@example.com');
    move(release + 1000);
    server!.worker.start();
    const mv = await gotVerified;
    expect(mv.parsed.subject).toBe('Northern Lights is in your Sandbox library');
    expect(mv.parsed.text).toContain('It’s in your Sandbox library — verified.');
    expect(mv.links()).toContain(`${url}/receipts/listen/sandbox`);
    const mf = await gotFailed;
    expect(mf.parsed.subject).toBe('Northern Lights by Mira Vale is out now');
    expect(mf.parsed.text).toContain(
      'Dropday could not save “Northern Lights” by Mira Vale to your Sandbox library: your permission on Sandbox ended before release day.',
    );
    expect(mf.parsed.text).toContain(`Listen anyway: ${url}/receipts/listen/sandbox`);
    expect(mf.parsed.text).not.toContain('grant_dead'); // the service's words stay on the dashboard
    await waitFor(async () => (await messagesOf(ctx, f.contactId))[0]?.status === 'sent', { what: 'failed receipt settled' });
    expect((await messagesOf(ctx, v.contactId))[0]).toMatchObject({ status: 'sent', variant: 'verified' });
    expect((await messagesOf(ctx, f.contactId))[0]).toMatchObject({ status: 'sent', variant: 'failed' });

    // Still saving at the release moment: the receipt waits (deferred, not counted as an attempt).
    await waitFor(async () => (await messagesOf(ctx, s.contactId))[0]!.next_attempt_at > release + 1000, { what: 'the receipt deferred' });
    expect(await messagesOf(ctx, s.contactId)).toMatchObject([{ status: 'pending', attempts: 0, failures: 0 }]);
    expect(smtp!.received.filter((m) => m.envelope.to.includes('saving@example.com'))).toHaveLength(0);
    // Saved meanwhile: the next look sends the verified receipt.
    await ctx.db.updateTable('presaves').set({ status: 'saved', saved_at: now() }).where('id', '=', saving!).execute();
    const gotSaving = smtp!.next('saving@example.com');
    move(now() + 61_000);
    server!.worker.nudge();
    expect((await gotSaving).parsed.text).toContain('verified');
  });

  it('550 on RCPT: the address is suppressed, its consents withdrawn, nothing more is sent; 451: retried later and delivered', async () => {
    const { ctx, now, move } = await start();
    const c = await campaign(ctx, 'bounces');
    const other = await campaign(ctx, 'bounces-two');
    const gone = await remind(ctx, c, 'gone@example.com', now());
    // The same contact also waits for another message (a second campaign's release).
    await enqueueMessage(
      ctx.db,
      {
        campaignId: other.id,
        type: 'out_now',
        channel: 'email',
        contactId: gone.contactId,
        dedupe: 'x',
        channelKey: 'mail:smtp',
        lang: 'en',
        dueAt: dueAtFor(other, 'UTC') + 60_000,
      },
      now(),
    );
    await seedConsent(ctx, gone.contactId, other.id, now());
    const later = await remind(ctx, c, 'later@example.com', now());
    smtp!.reject('gone@example.com', 550);
    smtp!.reject('later@example.com', 451);

    move(dueAtFor(c, 'UTC') + 1000);
    server!.worker.start();
    await waitFor(async () => (await messagesOf(ctx, gone.contactId))[0]?.status === 'failed', { what: 'the bounce recorded' });
    expect((await messagesOf(ctx, gone.contactId))[0]).toMatchObject({ failure_reason: 'bounced', failures: 1 });
    expect((await messagesOf(ctx, gone.contactId))[0]!.last_error).not.toContain('gone@example.com');
    await waitFor(
      async () =>
        (await ctx.db.selectFrom('contacts').select('status').where('id', '=', gone.contactId).executeTakeFirst())?.status === 'suppressed',
      { what: 'suppressed' },
    );
    expect((await messagesOf(ctx, gone.contactId))[1]).toMatchObject({ status: 'cancelled' });
    const standing = await ctx.db.selectFrom('consents').select('withdrawn_via').where('contact_id', '=', gone.contactId).execute();
    expect(standing.every((r) => r.withdrawn_via === 'bounce')).toBe(true);

    // 451: a transient refusal — kept, retried after its backoff.
    await waitFor(async () => (await messagesOf(ctx, later.contactId))[0]?.failures === 1, { what: 'the 451 counted' });
    const [retry] = await messagesOf(ctx, later.contactId);
    expect(retry).toMatchObject({ status: 'pending' });
    expect(retry!.next_attempt_at).toBeGreaterThan(now());
    expect(retry!.last_error).toMatch(/^smtp 451/);
    smtp!.reject('later@example.com', null);
    const delivered = smtp!.next('later@example.com');
    move(Number(retry!.next_attempt_at) + 1000);
    server!.worker.nudge();
    await delivered;
    await waitFor(async () => (await messagesOf(ctx, later.contactId))[0]?.status === 'sent', { what: 'delivered after the retry' });

    // Nothing more to the bounced address, even at the second campaign's release.
    move(dueAtFor(other, 'UTC') + 120_000);
    server!.worker.nudge();
    await waitFor(async () => (await ctx.db.selectFrom('messages').select('id').where('status', '=', 'pending').execute()).length === 0, {
      what: 'queue drained',
    });
    expect(smtp!.received.filter((m) => m.envelope.to.includes('gone@example.com'))).toHaveLength(0);
  });

  it('a consent withdrawn before release: nothing is sent, the message is cancelled', async () => {
    const { ctx, now, move } = await start();
    const c = await campaign(ctx, 'withdrawn');
    const fan = await remind(ctx, c, 'changed-mind@example.com', now());
    const stays = await remind(ctx, c, 'stays@example.com', now());
    // Withdrawn at the consents only (as the preference page does): the queued message is caught at send time.
    await withdrawConsents(ctx.db, { contactId: fan.contactId }, 'preferences', now(), { purposes: ['remind'] });
    const sentinel = smtp!.next('stays@example.com');
    move(dueAtFor(c, 'UTC') + 1000);
    server!.worker.start();
    await sentinel;
    await waitFor(async () => (await messagesOf(ctx, fan.contactId))[0]?.status === 'cancelled', { what: 'cancelled at send time' });
    expect((await messagesOf(ctx, fan.contactId))[0]).toMatchObject({ failure_reason: 'consent_withdrawn' });
    expect(smtp!.received.filter((m) => m.envelope.to.includes('changed-mind@example.com'))).toHaveLength(0);
    expect((await messagesOf(ctx, stays.contactId))[0]?.type).toBe('out_now');
  });

  it('no SMTP_URL: the message is recorded as not sent (no_mail_configured), visibly', async () => {
    const { ctx, now, move } = await start({ METRICS_TOKEN: 'metrics-token-for-tests-0123456789' }, false);
    const c = await campaign(ctx, 'no-mail');
    const fan = await remind(ctx, c, 'nomail@example.com', now());
    move(dueAtFor(c, 'UTC') + 1000);
    server!.worker.start();
    await waitFor(async () => (await messagesOf(ctx, fan.contactId))[0]?.status === 'not_sent', { what: 'not_sent' });
    expect((await messagesOf(ctx, fan.contactId))[0]).toMatchObject({ failure_reason: 'no_mail_configured', sent_at: null });
    expect(server!.worker.messageStats.get('out_now|email|not_sent')).toBe(1);
    const res = await fetch(`${server!.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-for-tests-0123456789' } });
    const metrics = await res.text();
    expect(metrics).toContain('dropday_messages{type="out_now",channel="email",status="not_sent"} 1');
    expect(metrics).toContain('dropday_message_outcomes_total{type="out_now",channel="email",outcome="not_sent"} 1');
  });

  it('DKIM-signs with the configured key; the sender name, Reply-To, and Arabic mail right to left', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dkim-'));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const keyFile = path.join(dir, 'dkim.pem');
    fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const { ctx, now, move } = await start({
      DKIM_DOMAIN: 'dropday.test',
      DKIM_SELECTOR: 'mail2026',
      DKIM_PRIVATE_KEY_FILE: keyFile,
      MAIL_REPLY_TO: 'team@dropday.test',
      MAIL_POSTAL_ADDRESS: 'صندوق بريد 12',
    });
    const c = await campaign(ctx, 'signed');
    await remind(ctx, c, 'arabic@example.com', now(), { lang: 'ar' });
    const got = smtp!.next('arabic@example.com');
    move(dueAtFor(c, 'UTC') + 1000);
    server!.worker.start();
    const m = await got;
    expect(m.header('DKIM-Signature')).toMatch(/d=dropday\.test;.*s=mail2026;/);
    expect(m.parsed.from?.value[0]).toMatchObject({ name: 'Mira Vale Team', address: 'hello@dropday.test' });
    expect(m.header('Reply-To')).toBe('team@dropday.test');
    expect(m.parsed.subject).toBe('\u2068Northern Lights\u2069 من \u2068Mira Vale\u2069 صدر الآن');
    expect(m.parsed.html).toContain('dir="rtl"');
    expect(m.parsed.text).toContain('صندوق بريد 12');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('re-authorization: a pre-saver whose grant ends before release day is sent the link in time; a forever-saver is told of the new save', async () => {
    const { ctx, url, now, move } = await start();
    const c = await reachCampaign(ctx, 'far-off', { title: 'Long Way', days: 200 });
    const release = dueAtFor(c, 'UTC');
    const [presave] = await seedPresaves(ctx.db, { campaignId: c.id, count: 1, status: 'pending', dueAt: release, createdAt: now() });
    const fan = await seedContact(ctx, { campaignId: c.id, email: 'reauth@example.com', presaveId: presave!, now: now() });
    const plan = await planMailMessages(
      ctx,
      {
        campaign: c,
        contactId: fan.contactId,
        presaveId: presave!,
        timezone: null,
        lang: 'en',
      },
      now(),
    );
    expect(plan.reauth).not.toBeNull();
    const ends = now() + 183 * DAY;
    const reauth = (await messagesOf(ctx, fan.contactId)).find((m) => m.type === 'reauth')!;
    expect(Math.abs(Number(reauth.next_attempt_at) - (ends - 14 * DAY))).toBeLessThan(60_000);

    // The forever save of this fan's grant (reach/forever/ creates these) and its notice, whose dedupe names it as fan-out.ts does.
    const grant = await ctx.db.selectFrom('presaves').select('grant_id').where('id', '=', presave!).executeTakeFirstOrThrow();
    const forever = await ctx.db
      .insertInto('forever_saves')
      .values({
        audience: `c:${c.id}`,
        artist_key: 'mira vale',
        grant_id: grant.grant_id,
        service: 'sandbox',
        presave_id: presave!,
        contact_id: fan.contactId,
        manage_id: 'F'.repeat(22),
        lang: 'en',
        timezone: 'UTC',
        locale: null,
        created_at: now(),
        stopped_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await enqueueMessage(
      ctx.db,
      {
        campaignId: c.id,
        type: 'forever_notice',
        channel: 'email',
        contactId: fan.contactId,
        presaveId: presave!,
        dedupe: noticeDedupe(Number(forever.id), c.id),
        channelKey: 'mail:smtp',
        lang: 'en',
        dueAt: now(),
      },
      now(),
    );
    const notice = smtp!.next('reauth@example.com');
    server!.worker.start();
    const n = await notice;
    expect(n.parsed.subject).toMatch(/^We’ll save Long Way on /);
    expect(n.parsed.text).toContain('“Long Way” will be saved to your Sandbox library on');
    expect(n.links()).toContain(`${url}/f/${'F'.repeat(22)}`);
    // Its outcome is written in a batch after the send: moving the clock months ahead before then
    // would expire its lease and send it again, in place of the re-authorization awaited next.
    await waitFor(async () => (await messagesOf(ctx, fan.contactId)).find((x) => x.type === 'forever_notice')?.status === 'sent', {
      what: 'the forever notice settled',
    });

    const got = smtp!.next('reauth@example.com');
    move(Number(reauth.next_attempt_at) + 1000);
    server!.worker.nudge();
    const m = await got;
    expect(m.parsed.subject).toBe('Pre-save Long Way again: your Sandbox permission ends before release day');
    expect(m.links()).toContain(`${url}/far-off`);
    expect(m.header('List-Unsubscribe')).toBe(`<${url}/c/${fan.manageId}/unsubscribe>`);
  });

  it('a moved release moves the pending "out now" with it; a failed message can be re-driven from the CLI', async () => {
    const { ctx, now } = await start();
    const c = await campaign(ctx, 'moving', 'local');
    const fan = await seedContact(ctx, { campaignId: c.id, email: 'mover@example.com', timezone: 'Asia/Tokyo', now: now() });
    await planMailMessages(
      ctx,
      {
        campaign: c,
        contactId: fan.contactId,
        presaveId: null,
        timezone: 'Asia/Tokyo',
        lang: 'en',
      },
      now(),
    );
    expect((await messagesOf(ctx, fan.contactId))[0]!.next_attempt_at).toBe(dueAtFor(c, 'Asia/Tokyo'));
    const moved = await updateCampaign({ db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() }, 'moving', {
      releaseAt: releaseWall(10),
    });
    expect(Number((await messagesOf(ctx, fan.contactId))[0]!.next_attempt_at)).toBe(dueAtFor(moved, 'Asia/Tokyo'));

    await ctx.db
      .updateTable('messages')
      .set({ status: 'failed', failure_reason: 'retries_exhausted', failures: 8 })
      .where('contact_id', '=', fan.contactId)
      .execute();
    // The operator re-drives from the CLI (`npm run build` first).
    const env = envFor(server!.testDb);
    const first = await runCli(['fulfillment', 'retry-messages', 'moving'], env);
    expect(first.stdout).toContain('Re-queued 1 failed message(s) of moving.');
    expect((await messagesOf(ctx, fan.contactId))[0]).toMatchObject({ status: 'pending', failures: 0, attempts: 0, failure_reason: null });
    expect((await runCli(['fulfillment', 'retry-messages', 'moving'], env)).stdout).toContain('No failed messages of moving to re-queue.');
    // Bounced addresses stay failed.
    await ctx.db
      .updateTable('messages')
      .set({ status: 'failed', failure_reason: 'bounced' })
      .where('contact_id', '=', fan.contactId)
      .execute();
    expect(await redriveFailedMessages(ctx.db, { campaignId: c.id, now: now() })).toBe(0);
  });
});

async function seedConsent(ctx: AppContext, contactId: number, campaignId: number, now: number) {
  const { confirmConsents, recordConsents } = await import('../src/reach/consents.js');
  await recordConsents(
    ctx.db,
    { contactId },
    [{ purpose: 'remind', text: 't', textVersion: 'v', lang: 'en', page: 'campaign', campaignId, presaveId: null, timezone: null }],
    now,
  );
  // Its owner confirmed it (a standing consent).
  await confirmConsents(ctx.db, contactId, now, now);
}

describe('every message renders in all eight languages', () => {
  it('confirm, out_now (plain, verified, failed), reauth and forever_notice: no placeholder left, the artist’s words kept, text and HTML', async () => {
    const ctx = {
      config: {
        publicUrl: 'https://drop.example',
        accounts: { mail: { from: 'hello@drop.example' } },
        reach: { postalAddress: '1 Street', senderName: 'Dropday' },
        encryptionKeys: [{ id: 'k', key: Buffer.alloc(32, 7) }],
        dataDir: os.tmpdir(),
      },
      log: console,
    } as unknown as AppContext;
    const base = {
      campaign: { title: 'Northern Lights', artist_name: 'Mira Vale', slug: 'northern', artwork_url: '/uploads/a/1000.jpg' },
      manageId: 'm'.repeat(22),
    };
    const inputs: Omit<ComposeInput, 'lang'>[] = [
      {
        ...base,
        type: 'confirm',
        confirm: { contactId: 1, expiresAt: Date.UTC(2027, 0, 1), zone: 'UTC', issuedAt: Date.UTC(2026, 11, 29) },
      },
      // A new choice on an address already confirmed: the mail asks about that choice, listed.
      {
        ...base,
        type: 'confirm',
        confirm: {
          contactId: 1,
          expiresAt: Date.UTC(2027, 0, 1),
          zone: 'UTC',
          issuedAt: Date.UTC(2026, 11, 29),
          choices: ['News from Mira Vale about Northern Lights'],
          addressConfirmed: true,
        },
      },
      { ...base, type: 'out_now', outNow: { service: 'youtube-music', receipt: null } },
      { ...base, type: 'out_now', outNow: { service: null, receipt: { variant: 'verified', service: 'spotify' } } },
      {
        ...base,
        type: 'out_now',
        outNow: { service: null, receipt: { variant: 'failed', service: 'spotify', reason: 'release not found' } },
      },
      { ...base, type: 'reauth', reauth: { service: 'spotify', endsAt: Date.UTC(2027, 0, 1), zone: 'Asia/Kolkata' } },
      { ...base, type: 'forever_notice', forever: { service: 'spotify', at: Date.UTC(2027, 0, 1), zone: 'UTC', manageId: 'f'.repeat(22) } },
    ];
    const subjects = new Map<string, Set<string>>();
    for (const lang of LANGUAGES) {
      for (const input of inputs) {
        const m = composeMessage(ctx, { ...input, lang });
        for (const part of [m.subject, m.text, m.html, m.push.title, m.push.body]) {
          expect(part, `${lang} ${input.type}`).not.toMatch(/\{[a-z_]+\}/);
          expect(part.length).toBeGreaterThan(0);
        }
        expect(m.text).toContain('Northern Lights');
        expect(m.html).toContain('https://drop.example/uploads/a/1000.jpg');
        expect(m.html).toContain(`lang="${lang}"`);
        const key = `${input.type}:${input.outNow?.receipt?.variant ?? ''}:${input.confirm?.addressConfirmed ?? ''}`;
        if (input.confirm?.choices) expect(m.text).toContain('• News from Mira Vale about Northern Lights');
        subjects.set(key, (subjects.get(key) ?? new Set()).add(m.subject));
        if (input.type === 'confirm') expect(m.unsubscribe).toBeNull();
        else expect(m.unsubscribe).toBe(`https://drop.example/c/${'m'.repeat(22)}/unsubscribe`);
      }
    }
    // Each language says it in its own words.
    for (const [key, set] of subjects) expect(set.size, key).toBe(LANGUAGES.length);
  });

  it('escapes what the artist typed in the HTML part', () => {
    const ctx = {
      config: {
        publicUrl: 'https://drop.example',
        accounts: { mail: { from: 'hello@drop.example' } },
        reach: { postalAddress: null, senderName: 'Dropday' },
      },
    } as unknown as AppContext;
    const m = composeMessage(ctx, {
      type: 'out_now',
      lang: 'en',
      campaign: { title: '<script>x</script>', artist_name: 'A & B', slug: 's', artwork_url: 'javascript:alert(1)' },
      manageId: 'm',
      outNow: { service: null, receipt: null },
    });
    expect(m.html).not.toContain('<script>x');
    expect(m.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(m.html).not.toContain('javascript:');
  });
});
