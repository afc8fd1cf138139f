import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/accounts/users.js';
import { recordEvent } from '../src/webhooks/deliveries/index.js';
import { createEndpoint, getEndpointById } from '../src/webhooks/endpoints.js';
import { apiWorkspace } from './helpers/api.js';
import { testDialects } from './helpers/db.js';
import { startMailServer, type MailServer } from './helpers/mail-server.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { found, WebhookReceiver } from './fakes/webhook-receiver/server.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * What an operator expects of "told after repeated failures, turned off after a configurable
 * number" (docs/webhooks.md "Disabling"), with the default settings (notice at 5, off at 15, one
 * failure counted per 30 minutes): a receiver down for five minutes while fifty events wait is
 * one failure, nobody is mailed and nothing is turned off; a receiver that stays dead is reported
 * once to the owners and admins (not the viewers) and then turned off, each mail saying which
 * endpoint, why and how to turn it on again. Real HTTP, a real SMTP server, an injected clock.
 */
describe.each(testDialects())('webhooks: failure streaks, notices and turning off (%s)', (dialect) => {
  let server: TestServer;
  let mail: MailServer;
  let offset = 0;
  const now = () => Date.now() + offset;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    mail = await startMailServer();
    server = await startTestServer(
      dialect,
      {
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_RATE: '1000',
        SMTP_URL: mail.url,
        MAIL_FROM: 'hello@dropday.test',
        MAIL_POSTAL_ADDRESS: '1 Harbour Street, Leith',
      },
      now,
    );
    server.worker.start();
  });
  afterAll(async () => {
    await server?.close();
    for (const r of receivers) await r.close();
    await mail?.close();
  });

  async function receiver(status: () => number): Promise<WebhookReceiver> {
    const r = await new WebhookReceiver().start();
    r.answer = () => ({ status: status(), body: 'maintenance' });
    receivers.push(r);
    return r;
  }

  const deliveriesOf = (endpointId: number) =>
    server.ctx.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).execute();

  /** Every delivery of the endpoint that is due now has been attempted and settled. */
  async function attemptsSettled(endpointId: number): Promise<void> {
    server.worker.nudge();
    await waitFor(
      async () => {
        const rows = await deliveriesOf(endpointId);
        return rows.every((d) => d.lease_token === null && (d.status !== 'pending' || Number(d.next_attempt_at) > now()));
      },
      { what: 'the due deliveries settled', timeoutMs: 30_000 },
    );
  }

  let seq = 0;
  const record = (workspaceId: number) =>
    recordEvent(
      server.ctx.db,
      { workspaceId, type: 'campaign.released', dedupe: `test:streak:${++seq}`, occurredAt: now(), data: { n: seq } },
      now(),
    );

  it('a five-minute outage with fifty events waiting counts once: no mail, not turned off', async () => {
    let down = true;
    const rx = await receiver(() => (down ? 503 : 204));
    const { workspaceId } = await apiWorkspace(server.ctx, 'blip');
    const { endpoint } = await createEndpoint(
      server.ctx,
      { workspaceId, url: rx.url, description: 'blip hook', events: ['campaign.released'] },
      now(),
    );
    for (let i = 0; i < 50; i++) await record(workspaceId);

    await attemptsSettled(endpoint.id); // every event tried once: 503
    offset += 6_000; // the first retry (5 s): 503 again
    await attemptsSettled(endpoint.id);
    expect(rx.received).toHaveLength(100);
    const during = await waitFor(async () => {
      const e = await getEndpointById(server.ctx.db, endpoint.id);
      return e && e.consecutive_failures > 0 ? e : null;
    });
    expect(during).toMatchObject({ enabled: 1, consecutive_failures: 1 });

    // Five minutes later the receiver is back: the second retry of every event gets through.
    down = false;
    offset += 5 * MINUTE;
    await attemptsSettled(endpoint.id);
    expect((await deliveriesOf(endpoint.id)).every((d) => d.status === 'delivered')).toBe(true);
    const after = await waitFor(async () => {
      const e = await getEndpointById(server.ctx.db, endpoint.id);
      return e && e.failing_since === null ? e : null;
    });
    expect(after).toMatchObject({ enabled: 1, consecutive_failures: 0, disabled_reason: null });
    expect(mail.received.filter((m) => m.envelope.to.includes('blip@example.com'))).toHaveLength(0);
  });

  it('a receiver dead for hours: one notice to the owners and admins, then turned off and told how to turn it on', async () => {
    const rx = await receiver(() => 503);
    const { workspaceId } = await apiWorkspace(server.ctx, 'dead');
    const t = now();
    for (const [email, role] of [
      ['dead-admin@example.com', 'admin'],
      ['dead-viewer@example.com', 'viewer'],
      ['dead-editor@example.com', 'editor'],
    ] as const) {
      const u = await createUser(server.ctx.db, { email, password: null, emailVerified: true }, t);
      await server.ctx.db
        .insertInto('workspace_members')
        .values({ workspace_id: workspaceId, user_id: u.id, role, created_at: t, updated_at: t })
        .execute();
    }
    const { endpoint } = await createEndpoint(
      server.ctx,
      { workspaceId, url: `${rx.url}/in`, description: 'CRM sync', events: ['campaign.released'] },
      now(),
    );
    const host = new URL(rx.url).host;
    const started = now();

    // An event an hour, the receiver answering 503 to every attempt: one failure counted per hour.
    let hour = 0;
    let noticeAt: number | null = null;
    for (; hour < 72; hour++) {
      const stepStart = now();
      await record(workspaceId);
      await attemptsSettled(endpoint.id);
      const e = await found(async () => {
        const x = await getEndpointById(server.ctx.db, endpoint.id);
        return x && (x.enabled === 0 || (x.failure_counted_at ?? 0) >= stepStart) ? x : null;
      });
      if (noticeAt === null && e.failure_notice_at !== null) noticeAt = hour;
      if (e.enabled === 0) break;
      offset += HOUR;
    }
    // Counted 1, 2, … per hour: the notice at the 5th, turned off at the 15th.
    expect(noticeAt).toBe(4);
    expect(hour).toBe(14);
    const off = (await getEndpointById(server.ctx.db, endpoint.id))!;
    // The streak began at the first attempt, 14 hours before.
    const since = new Date(off.failing_since!).toISOString();
    expect(off.failing_since! - started).toBeGreaterThanOrEqual(0);
    expect(off.failing_since! - started).toBeLessThan(HOUR);
    expect(off.disabled_reason).toContain(`no delivery got through since ${since}`);
    expect(off.disabled_reason).toContain('answered 503');

    // Two mails each to the owner and the admin — failing, then turned off —, none to the others.
    const to = (a: string) => mail.received.filter((m) => m.envelope.to.includes(a));
    await waitFor(async () => to('dead@example.com').length === 2 && to('dead-admin@example.com').length === 2, { what: 'the mails' });
    expect(to('dead-viewer@example.com')).toHaveLength(0);
    expect(to('dead-editor@example.com')).toHaveLength(0);
    const [failing, disabled] = to('dead@example.com');
    expect(failing!.parsed.subject).toBe(`Webhook deliveries to ${host} are failing`);
    const failingText = failing!.parsed.text ?? '';
    expect(failingText).toContain(`“CRM sync” (${host})`);
    expect(failingText).toContain(`failing since ${since}`);
    expect(failingText).toContain('answered 503');
    expect(failingText).not.toContain('/in'); // the URL's path is not in the mail (a chat URL is a secret)
    expect(disabled!.parsed.subject).toBe('A webhook endpoint of Workspace dead was turned off');
    const disabledText = disabled!.parsed.text ?? '';
    expect(disabledText).toContain(`“CRM sync” (${host}) was turned off`);
    expect(disabledText).toContain('answered 503');
    expect(disabledText).toContain('Turn on');
    expect(disabled!.links()).toContain(`${server.ctx.config.publicUrl.replace(/\/$/, '')}/w/dead/webhooks`);
  });
});
