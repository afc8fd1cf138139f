import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import type { Campaign } from '../src/campaigns/repo.js';
import { createEndpoint, getEndpointById, rotateSecret } from '../src/webhooks/endpoints.js';
import type { WebhookEventType } from '../src/webhooks/events.js';
import { recordEvent } from '../src/webhooks/deliveries/index.js';
import { renderStatus, statusSnapshot } from '../src/cli/status.js';
import { apiWorkspace } from './helpers/api.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { bandCampaign } from './helpers/reach-seed.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { found, WebhookReceiver } from './fakes/webhook-receiver/server.js';

/**
 * Issue 14's webhook "done when", over real HTTP: a receiver verifying every request with the
 * `standardwebhooks` library gets `presave.created` when a fan pre-saves and, after the release,
 * `presave.saved` and `campaign.delivered`; a 500 is retried on the schedule and then delivered;
 * 410 turns the endpoint off; repeated failures turn it off at the configured count; a rotated
 * secret signs beside the old one. (The receivers run on 127.0.0.1: private targets allowed here;
 * test/webhooks-ssrf.test.ts runs with them refused.)
 */
describe.each(testDialects())('webhooks: signed deliveries (%s)', (dialect) => {
  let server: TestServer;
  let offset = 0;
  const now = () => Date.now() + offset;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    server = await startTestServer(
      dialect,
      {
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_FAILURES_BEFORE_DISABLE: '3',
        WEBHOOK_FAILURES_BEFORE_NOTICE: '2',
        METRICS_TOKEN: 'hooks-metrics-token',
      },
      now,
    );
    server.worker.start();
  });
  afterAll(async () => {
    await server?.close();
    for (const r of receivers) await r.close();
  });

  async function receiver(): Promise<WebhookReceiver> {
    const r = await new WebhookReceiver().start();
    receivers.push(r);
    return r;
  }

  async function endpointFor(slug: string, url: string, events: WebhookEventType[]) {
    const { workspaceId } = await apiWorkspace(server.ctx, slug);
    const made = await createEndpoint(server.ctx, { workspaceId, url, description: `${slug} hook`, events }, now());
    return { workspaceId, ...made };
  }

  const deliveriesOf = (endpointId: number) =>
    server.ctx.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).orderBy('id').execute();

  it('presave.created at the pre-save, then presave.saved and campaign.delivered after the release, every one verified', async () => {
    const rx = await receiver();
    const { workspaceId, endpoint, secret } = await endpointFor('hooks-story', `${rx.url}/hooks`, [
      'presave.created',
      'presave.saved',
      'campaign.released',
      'campaign.delivered',
    ]);
    rx.secrets = [secret];
    expect(secret).toMatch(/^whsec_/);
    const campaign: Campaign = await bandCampaign(server.ctx, 'hooks-story', '036000291452', now());
    await setCampaignWorkspace(server.ctx.db, campaign.id, workspaceId);

    const fan = new FanBrowser();
    const receipt = await fan.presave(server.url, 'hooks-story', 'hook-fan-1');
    const publicId = new URL(receipt).pathname.split('/')[2]!;

    const created = await found(async () => rx.events('presave.created')[0], { what: 'presave.created' });
    expect(created.verdicts).toEqual([true]);
    expect(created.path).toBe('/hooks');
    expect(created.payload!.data).toMatchObject({
      campaign: { slug: 'hooks-story', title: 'Song hooks-story', artist: 'The Band' },
      presave: { id: publicId, service: 'sandbox', status: 'pending' },
    });
    expect(created.headers['webhook-id']).toMatch(/^msg_/);
    // Nothing of the fan's account or tokens is in the body.
    expect(created.body).not.toContain('hook-fan-1');

    // The release comes: the worker saves the album, and the webhooks follow.
    offset += 3 * 86_400_000 + 60_000;
    server.worker.nudge();
    const saved = await found(async () => rx.events('presave.saved')[0], { what: 'presave.saved', timeoutMs: 30_000 });
    expect(saved.verdicts).toEqual([true]);
    expect(saved.payload!.data).toMatchObject({ presave: { id: publicId, status: 'saved' } });
    const delivered = await found(async () => rx.events('campaign.delivered')[0], { what: 'campaign.delivered', timeoutMs: 30_000 });
    expect(delivered.payload!.data).toMatchObject({ campaign: { slug: 'hooks-story' }, counts: { saved: 1, failed: 0, cancelled: 0 } });
    expect(rx.events('campaign.released')).toHaveLength(1);
    // Each event once, each with its own id; the delivery log says delivered with the code.
    const ids = rx.received.map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
    // (The receiver answers before the outcome is written: wait for the log to catch up.)
    const log = await found(async () => {
      const rows = await deliveriesOf(endpoint.id);
      return rows.every((d) => d.status === 'delivered') ? rows : null;
    });
    expect(log).toHaveLength(4);
    expect(log.map((d) => Number(d.last_status_code))).toEqual([200, 200, 200, 200]);
    // An operator sees them on /metrics: the table's count (every process the same) and this worker's outcomes.
    const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer hooks-metrics-token' } })).text();
    expect(metrics).toContain('dropday_webhook_deliveries{status="delivered"} 4');
    expect(metrics).toContain('dropday_webhook_outcomes_total{outcome="delivered"} 4');
  });

  it('a 500 is retried on the schedule (same webhook-id) and then delivered', async () => {
    const rx = await receiver();
    const { workspaceId, endpoint, secret } = await endpointFor('hooks-retry', rx.url, ['campaign.released']);
    rx.secrets = [secret];
    let calls = 0;
    rx.answer = () => (++calls === 1 ? { status: 500, body: 'database down' } : { status: 204 });
    await recordEvent(
      server.ctx.db,
      { workspaceId, type: 'campaign.released', dedupe: 'test:retry', occurredAt: now(), data: { n: 1 } },
      now(),
    );
    server.worker.nudge();
    await waitFor(async () => rx.received.length === 1, { what: 'first attempt' });
    const [first] = await found(async () => {
      const d = await deliveriesOf(endpoint.id);
      return d[0]?.last_status_code !== null && d[0]?.lease_token === null ? d : null;
    });
    expect(first).toMatchObject({ status: 'pending', last_error: 'answered 500', response_excerpt: 'database down' });
    expect(Number(first!.failures)).toBe(1);
    // The first step of the schedule: 5 s after the attempt (the settle is written just after it).
    const wait = Number(first!.next_attempt_at) - Number(first!.last_attempt_at);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(5_000);
    expect(rx.received).toHaveLength(1);
    offset += 6_000;
    server.worker.nudge();
    await waitFor(async () => (await deliveriesOf(endpoint.id))[0]?.status === 'delivered', { what: 'delivered' });
    expect(rx.received).toHaveLength(2);
    expect(rx.received[0]!.headers['webhook-id']).toBe(rx.received[1]!.headers['webhook-id']);
    expect(rx.received.map((r) => r.verdicts)).toEqual([[true], [true]]);
    expect((await getEndpointById(server.ctx.db, endpoint.id))!.consecutive_failures).toBe(0);
  });

  it('410 Gone turns the endpoint off, with the reason', async () => {
    const rx = await receiver();
    rx.answer = () => ({ status: 410 });
    const { workspaceId, endpoint } = await endpointFor('hooks-gone', rx.url, ['campaign.released']);
    await recordEvent(server.ctx.db, { workspaceId, type: 'campaign.released', dedupe: 'test:gone', occurredAt: now(), data: {} }, now());
    server.worker.nudge();
    const off = await found(async () => {
      const e = await getEndpointById(server.ctx.db, endpoint.id);
      return e && e.enabled === 0 ? e : null;
    });
    expect(off.disabled_reason).toBe('the receiver answered 410 Gone');
    expect((await deliveriesOf(endpoint.id))[0]).toMatchObject({ status: 'failed' });
    // A later event is not sent to it.
    await recordEvent(server.ctx.db, { workspaceId, type: 'campaign.released', dedupe: 'test:gone2', occurredAt: now(), data: {} }, now());
    expect(await deliveriesOf(endpoint.id)).toHaveLength(1);
  });

  it('failures counted once per window mail the owners and then turn the endpoint off at WEBHOOK_FAILURES_BEFORE_DISABLE', async () => {
    const rx = await receiver();
    rx.answer = () => ({ status: 503 });
    const { workspaceId, endpoint } = await endpointFor('hooks-failing', rx.url, ['campaign.released']);
    // One event per failure window (30 minutes by default): each failure counts.
    for (const i of [1, 2, 3]) {
      const stepStart = now();
      await recordEvent(
        server.ctx.db,
        { workspaceId, type: 'campaign.released', dedupe: `test:failing${i}`, occurredAt: now(), data: { i } },
        now(),
      );
      server.worker.nudge();
      await found(async () => {
        const e = await getEndpointById(server.ctx.db, endpoint.id);
        return e && (e.enabled === 0 || (e.failure_counted_at ?? 0) >= stepStart) ? e : null;
      });
      offset += 31 * 60_000;
    }
    const off = await found(async () => {
      const e = await getEndpointById(server.ctx.db, endpoint.id);
      return e && e.enabled === 0 ? e : null;
    });
    expect(off.disabled_reason).toMatch(/^no delivery got through since .*\(3 failures counted; the last: answered 503\)$/);
    expect(off.failure_notice_at).not.toBeNull();
    const log = await deliveriesOf(endpoint.id);
    expect(log.every((d) => d.last_error === 'answered 503')).toBe(true);

    // `dropday status` of a campaign of the workspace says so, with the reason, and never a secret.
    const campaign = await bandCampaign(server.ctx, 'hooks-failing', '036000291452', now());
    await setCampaignWorkspace(server.ctx.db, campaign.id, workspaceId);
    const snap = await statusSnapshot(server.ctx, 'hooks-failing');
    const host = `“hooks-failing hook” (${new URL(rx.url).host})`;
    expect(snap.webhooks).toEqual([
      { id: endpoint.public_id, endpoint: host, enabled: false, disabled_reason: off.disabled_reason, failures_in_a_row: 3 },
    ]);
    const text = renderStatus(snap, null).join('\n');
    expect(text).toContain(`webhook ${host}: turned off — ${off.disabled_reason}`);
    // Named by host (and description), never by the whole URL: a chat webhook's URL is a secret.
    expect(text).not.toContain(rx.url);
    expect(text).not.toMatch(/whsec_/);
  });

  it('after a rotation both secrets sign: a receiver holding either verifies', async () => {
    const rx = await receiver();
    const { workspaceId, endpoint, secret: oldSecret } = await endpointFor('hooks-rotate', rx.url, ['campaign.released']);
    const newSecret = await rotateSecret(server.ctx, endpoint, now());
    rx.secrets = [newSecret, oldSecret];
    await recordEvent(server.ctx.db, { workspaceId, type: 'campaign.released', dedupe: 'test:rotate', occurredAt: now(), data: {} }, now());
    server.worker.nudge();
    const got = await found(async () => rx.received[0]);
    expect(got.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(got.verdicts).toEqual([true, true]);
  });
});
