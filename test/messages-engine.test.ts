import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { dueAtFor } from '../src/campaigns/timing.js';
import type { AppContext } from '../src/context.js';
import { DeliveryLoop } from '../src/delivery/loop.js';
import { RateGovernor } from '../src/delivery/governor.js';
import { recordConsents } from '../src/reach/consents.js';
import { createFanMailer, type FanMail, type FanMailer } from '../src/reach/mail/transport.js';
import type { PushPayload, PushSender, SendOutcome } from '../src/reach/messages/channel.js';
import { MessageKind } from '../src/reach/messages/kind.js';
import { cancelMessages } from '../src/reach/messages/lifecycle/cancel.js';
import { claimDueMessages } from '../src/reach/messages/lifecycle/claim.js';
import { settleMessages } from '../src/reach/messages/lifecycle/settle.js';
import { planMailMessages, planReleaseMessages } from '../src/reach/messages/plan.js';
import { testDialects } from './helpers/db.js';
import { startMailServer, type MailServer } from './helpers/mail-server.js';
import { messagesOf, seedContact } from './helpers/reach.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

/**
 * The message kind in the delivery loop: a worker that dies holding messages loses none and sends
 * none twice (its leases run out; its late settle is fenced out); a send is never started without
 * room in its lease for the whole SMTP conversation; a message cancelled while in flight stays
 * cancelled; web push through a PushSender (a test double here — helper D's real one speaks to
 * push services): payload, 404/410 → the subscription is forgotten, Retry-After → the push
 * service's governor key is paused and the message waits without counting an attempt.
 */
const DAY = 86_400_000;

/** Real SMTP, with a gate the test opens: a send in flight for as long as the test needs. */
class GatedMailer implements FanMailer {
  readonly configured = true;
  entered = 0;
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;
  constructor(private readonly inner: FanMailer) {}
  hold(): void {
    this.gate = new Promise((r) => (this.open = r));
  }
  release(): void {
    this.open?.();
    this.gate = null;
  }
  async send(m: FanMail): Promise<SendOutcome> {
    this.entered++;
    if (this.gate) await this.gate;
    return this.inner.send(m);
  }
  close(): void {
    this.inner.close();
  }
}

/** A push service double: answers per endpoint; records what it was asked to deliver. */
class PushDouble implements PushSender {
  readonly delivered: { endpoint: string; payload: PushPayload }[] = [];
  readonly answers = new Map<string, SendOutcome>();
  send(subscription: string, payload: PushPayload): Promise<SendOutcome> {
    const endpoint = (JSON.parse(subscription) as { endpoint: string }).endpoint;
    const answer = this.answers.get(endpoint) ?? { ok: true };
    if (answer.ok) this.delivered.push({ endpoint, payload });
    return Promise.resolve(answer);
  }
}

async function seedPush(ctx: AppContext, campaignId: number, endpoint: string, now: number): Promise<number> {
  const hash = createHash('sha256').update(endpoint).digest('base64url');
  const sub = JSON.stringify({ endpoint, keys: { p256dh: 'x', auth: 'y' } });
  const row = await ctx.db
    .insertInto('push_subscriptions')
    .values({
      audience: `c:${campaignId}`,
      endpoint_hash: hash,
      subscription_enc: ctx.cipher.encrypt(sub, `push:${hash}`),
      endpoint_host: new URL(endpoint).host,
      manage_id: randomBytes(16).toString('base64url').slice(0, 22),
      lang: 'en',
      campaign_id: campaignId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const pushId = Number(row.id);
  await recordConsents(
    ctx.db,
    { pushId },
    [{ purpose: 'remind', text: 't', textVersion: 'v', lang: 'en', page: 'campaign', campaignId, presaveId: null, timezone: null }],
    now,
  );
  return pushId;
}

describe.each(testDialects())('messages in the delivery loop (%s)', (dialect) => {
  let server: TestServer | undefined;
  let smtp: MailServer | undefined;
  let loop: DeliveryLoop | undefined;
  /** Kinds made here: their SMTP pools close (else the mail server waits for the idle connections). */
  const kinds: MessageKind[] = [];
  afterEach(async () => {
    await loop?.stop();
    for (const k of kinds.splice(0)) k.close();
    await server?.close();
    await smtp?.close();
    server = smtp = loop = undefined;
  });

  async function start() {
    let offset = 0;
    const now = () => Date.now() + offset;
    smtp = await startMailServer();
    server = await startTestServer(dialect, { SMTP_URL: smtp.url, MAIL_FROM: 'hello@dropday.test' }, now);
    const { ctx } = server;
    const c = await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'engine',
        artistName: 'Mira Vale',
        title: 'Northern Lights',
        upc: '036000291452',
        releaseAt: new Date(Date.now() + 3 * DAY).toISOString().slice(0, 10) + 'T00:00',
        timezone: 'UTC',
        timing: 'global',
        services: ['sandbox'],
      },
    );
    const fan = async (email: string) => {
      const f = await seedContact(ctx, { campaignId: c.id, email, now: now() });
      await planMailMessages(
        ctx,
        {
          campaign: c,
          contactId: f.contactId,
          presaveId: null,
          timezone: null,
          lang: 'en',
        },
        now(),
      );
      return f;
    };
    return { ctx, c, now, fan, release: dueAtFor(c, 'UTC'), move: (to: number) => (offset += to - now()) };
  }

  it('a worker killed holding a message: nothing is sent during its lease, then exactly one mail; its late settle changes nothing', async () => {
    const { ctx, now, fan, release, move } = await start();
    const f = await fan('once@example.com');
    move(release + 1000);
    // The dying worker's claim: it holds the message, then dies before sending.
    const [held] = await claimDueMessages(ctx.db, ctx.dialect, {
      owner: 'dead-worker',
      leaseToken: 'dead-lease',
      limit: 10,
      leaseMs: ctx.config.worker.leaseMs,
      now: now(),
      excludeKeys: [],
    });
    expect(held?.contact_id).toBe(f.contactId);

    const kind = new MessageKind(ctx);
    kinds.push(kind);
    loop = new DeliveryLoop(ctx, [kind]);
    loop.start();
    // A sentinel due now proves the live worker has been round: it did not touch the held message.
    const sentinel = await fan('sentinel@example.com');
    await smtp!.next('sentinel@example.com');
    // (Its outcome written before the clock jumps: a jump past a lease while a send is in flight is the one window left.)
    await waitFor(async () => (await messagesOf(ctx, sentinel.contactId))[0]?.status === 'sent', { what: 'the sentinel settled' });
    expect((await messagesOf(ctx, f.contactId))[0]).toMatchObject({ status: 'pending', lease_token: 'dead-lease' });
    expect(smtp!.received.filter((m) => m.envelope.to.includes('once@example.com'))).toHaveLength(0);

    // The lease runs out: the live worker takes the message and sends it once.
    const got = smtp!.next('once@example.com');
    move(now() + ctx.config.worker.leaseMs + 1000);
    loop.nudge();
    await got;
    await waitFor(async () => (await messagesOf(ctx, f.contactId))[0]?.status === 'sent', { what: 'sent by the live worker' });
    // The dead worker wakes and settles: fenced out.
    expect([
      ...(await settleMessages(ctx.db, [{ id: held!.id, leaseToken: 'dead-lease' }], { kind: 'sent', variant: 'none' }, now())),
    ]).toEqual([]);
    expect((await messagesOf(ctx, f.contactId))[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp!.received.filter((m) => m.envelope.to.includes('once@example.com'))).toHaveLength(1);
    expect(smtp!.received.filter((m) => m.envelope.to.includes('sentinel@example.com'))).toHaveLength(1);
  });

  it('no send starts without room in the lease for the whole SMTP conversation; a message cancelled while in flight stays cancelled', async () => {
    const { ctx, now, fan, release, move } = await start();
    const short = await fan('short-lease@example.com');
    move(release + 1000);
    const kind = new MessageKind(ctx, { mailer: new GatedMailer(createFanMailer(ctx)) });
    const governor = new RateGovernor(ctx.db, ctx.now, kind.rateLimits);
    const [row] = await claimDueMessages(ctx.db, ctx.dialect, {
      owner: 'me',
      leaseToken: 'short',
      limit: 1,
      leaseMs: 10_000,
      now: now(),
      excludeKeys: [],
    });
    let done = 0;
    await kind.run(row!, { owner: 'me', governor, done: () => done++ });
    expect(done).toBe(1);
    // Deferred unsent: the claim is not counted; due again at once for a worker with a full lease.
    expect((await messagesOf(ctx, short.contactId))[0]).toMatchObject({ status: 'pending', attempts: 0, lease_token: null });
    expect(smtp!.received).toHaveLength(0);

    // In flight when the fan erases everything: the send finishes, the settle is fenced, the message stays cancelled.
    const gated = new GatedMailer(createFanMailer(ctx));
    const inflight = new MessageKind(ctx, { mailer: gated });
    gated.hold();
    const [row2] = await claimDueMessages(ctx.db, ctx.dialect, {
      owner: 'me',
      leaseToken: 'full',
      limit: 1,
      leaseMs: 60_000,
      now: now(),
      excludeKeys: [],
    });
    const running = inflight.run(row2!, { owner: 'me', governor, done: () => done++ });
    await waitFor(async () => gated.entered === 1, { what: 'the send in flight' });
    expect(await cancelMessages(ctx.db, { contactId: short.contactId }, now())).toBe(1);
    gated.release();
    await running;
    expect(inflight.stats.get('out_now|email|fenced')).toBe(1);
    expect((await messagesOf(ctx, short.contactId))[0]).toMatchObject({ status: 'cancelled' });
    kinds.push(kind, inflight);
  });

  it('web push: the payload from the catalog; 410 forgets the subscription; Retry-After pauses the push service and the message waits', async () => {
    const { ctx, c, now, release, move } = await start();
    const ok = await seedPush(ctx, c.id, 'https://push.example/ok/1', now());
    const gone = await seedPush(ctx, c.id, 'https://push.example/gone/2', now());
    const slow = await seedPush(ctx, c.id, 'https://busy.push.example/slow/3', now());
    for (const [pushId, host] of [
      [ok, 'push.example'],
      [gone, 'push.example'],
      [slow, 'busy.push.example'],
    ] as const)
      await planReleaseMessages(
        ctx,
        { campaign: c, channel: 'push', to: { pushId }, channelKey: `push:${host}`, presaveId: null, timezone: null, lang: 'en' },
        now(),
      );
    const push = new PushDouble();
    push.answers.set('https://push.example/gone/2', { ok: false, kind: 'gone', reason: 'push service answered 410' });
    push.answers.set('https://busy.push.example/slow/3', { ok: false, kind: 'retry_after', reason: '429', retryAfterMs: 120_000 });
    const forgotten: number[] = [];
    const kind = new MessageKind(ctx, {
      pushSender: push,
      onGone: async (id) => {
        forgotten.push(id);
        await Promise.resolve();
      },
    });
    kinds.push(kind);
    move(release + 1000);
    loop = new DeliveryLoop(ctx, [kind]);
    loop.start();
    const byPush = async (pushId: number) =>
      (await ctx.db.selectFrom('messages').selectAll().where('push_id', '=', pushId).executeTakeFirstOrThrow()) as {
        status: string;
        failure_reason: string | null;
        attempts: number;
        next_attempt_at: number;
      };

    await waitFor(async () => (await byPush(ok)).status === 'sent', { what: 'the push delivered' });
    expect(push.delivered).toEqual([
      {
        endpoint: 'https://push.example/ok/1',
        payload: {
          title: 'Northern Lights is out now',
          body: 'By Mira Vale. Tap to listen.',
          url: `${ctx.config.publicUrl}/engine`,
          tag: 'out_now:engine',
        },
      },
    ]);
    await waitFor(async () => (await byPush(gone)).status === 'failed', { what: 'the gone subscription failed' });
    expect(await byPush(gone)).toMatchObject({ failure_reason: 'gone' });
    await waitFor(async () => forgotten.length === 1, { what: 'onGone called' });
    expect(forgotten).toEqual([gone]);

    await waitFor(async () => Number((await byPush(slow)).next_attempt_at) > now() + 60_000, { what: 'the push deferred' });
    expect(await byPush(slow)).toMatchObject({ status: 'pending' });
    expect(Number((await byPush(slow)).attempts)).toBe(0);
    const gov = await ctx.db
      .selectFrom('service_governors')
      .selectAll()
      .where('service', '=', 'push:busy.push.example')
      .executeTakeFirstOrThrow();
    expect(Number(gov.paused_until)).toBeGreaterThan(now() + 60_000);
    // The push services' budget (PUSH_RATE) applies to hosts known only from the queue.
    expect(Number(gov.max_rate_per_s)).toBe(ctx.config.reach.push.ratePerSecond);
  });
});
