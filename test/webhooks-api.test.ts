import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../src/webhooks/deliveries/index.js';
import { apiClient, apiKeyFor, apiWorkspace, type ApiClient } from './helpers/api.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { WebhookReceiver } from './fakes/webhook-receiver/server.js';

/**
 * /api/v1/webhooks over real HTTP: endpoints made, read, changed, turned off and deleted with the
 * webhooks scopes; the secret shown once (create, rotate); refused targets and bad fields a clear
 * 400 with nothing stored; the delivery log in cursor pages; "send again" under the same id.
 */
describe.each(testDialects())('webhooks API (%s)', (dialect) => {
  let server: TestServer;
  let api: ApiClient;
  let reader: ApiClient;
  let workspaceId: number;
  const clock = Date.UTC(2026, 5, 1, 12);

  beforeAll(async () => {
    // Private targets refused: the API's check is what is tested here (deliveries: webhooks-delivery).
    server = await startTestServer(dialect, {}, () => clock);
    ({ workspaceId } = await apiWorkspace(server.ctx, 'api-hooks'));
    api = apiClient(server.url, await apiKeyFor(server.ctx, workspaceId));
    reader = apiClient(server.url, await apiKeyFor(server.ctx, workspaceId, { scopes: ['webhooks:read'] }));
  });
  afterAll(() => server?.close());

  const count = async () =>
    (await server.ctx.db.selectFrom('webhook_endpoints').select('id').where('workspace_id', '=', workspaceId).execute()).length;

  it('refuses loopback, private and metadata targets and bad fields, naming the field; nothing stored', async () => {
    for (const [url, why] of [
      ['http://127.0.0.1:9000/hook', '127.0.0.1 is a loopback address'],
      ['http://10.1.2.3/', '10.1.2.3 is a private address'],
      ['http://169.254.169.254/latest', '169.254.169.254 is a link-local address (cloud metadata lives here)'],
      ['http://[::1]/', '::1 is a loopback address'],
      ['http://localhost/', 'localhost is a local name'],
      ['file:///etc/passwd', 'only http and https URLs can receive webhooks'],
    ]) {
      const res = await api.post('/webhooks', { url, events: ['presave.created'] });
      expect(res.status, url).toBe(400);
      expect(res.body.code).toBe('DROPDAY_ERR_WEBHOOK_TARGET_REFUSED');
      expect(res.body.errors).toEqual({ 'body.url': why });
    }
    const bad = await api.post('/webhooks', { url: 'https://93.184.216.34/hook', events: ['presave.exploded'] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors['body.events']).toMatch(/unknown event "presave.exploded"/);
    const extra = await api.post('/webhooks', { url: 'https://93.184.216.34/hook', events: ['presave.created'], secret: 'mine' });
    expect(extra.status).toBe(400);
    expect(await count()).toBe(0);
    expect((await reader.post('/webhooks', { url: 'https://93.184.216.34/hook', events: ['presave.created'] })).status).toBe(403);
  });

  it('a webhooks:write key cannot have data it may not read sent to an endpoint (adding one, or changing its address)', async () => {
    const hooksOnly = apiClient(server.url, await apiKeyFor(server.ctx, workspaceId, { scopes: ['webhooks:write', 'campaigns:read'] }));
    const before = await count();
    for (const events of [['presave.created'], ['contact.confirmed'], ['campaign.released', 'referral.counted']]) {
      const res = await hooksOnly.post('/webhooks', { url: 'https://93.184.216.34/hook', events });
      expect(res.status, events.join()).toBe(403);
      expect(res.body.code).toBe('DROPDAY_ERR_API_SCOPE_MISSING');
      expect(Object.keys(res.body.errors)).toEqual(['body.events']);
    }
    expect(await count()).toBe(before);
    // An endpoint the full key made for pre-saves: the narrow key can neither point it elsewhere nor keep its events.
    const made = await api.post('/webhooks', { url: 'https://93.184.216.34/crm', events: ['presave.created'] });
    expect(made.status).toBe(201);
    const moved = await hooksOnly.patch(`/webhooks/${made.body.id}`, { url: 'https://93.184.216.35/mine' });
    expect(moved.status).toBe(403);
    expect((await api.get(`/webhooks/${made.body.id}`)).body.url).toBe('https://93.184.216.34/crm');
    // What it may read is fine.
    const ok = await hooksOnly.post('/webhooks', { url: 'https://93.184.216.34/hook', events: ['campaign.released'] });
    expect(ok.status).toBe(201);
    expect((await hooksOnly.patch(`/webhooks/${made.body.id}`, { events: ['campaign.delivered'] })).status).toBe(200);
    await api.delete(`/webhooks/${made.body.id}`);
    await api.delete(`/webhooks/${ok.body.id}`);
  });

  it('create (secret once) → list → get → patch → rotate → deliveries page → resend → delete', async () => {
    const made = await api.post('/webhooks', {
      url: 'https://93.184.216.34/hook',
      events: ['campaign.released', 'presave.created'],
      description: 'CRM',
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      url: 'https://93.184.216.34/hook',
      events: ['presave.created', 'campaign.released'],
      enabled: true,
      description: 'CRM',
    });
    expect(made.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const id = made.body.id as string;
    expect(id).toMatch(/^we_/);
    // The secret is never shown again, and never stored in the clear.
    const got = await reader.get(`/webhooks/${id}`);
    expect(got.status).toBe(200);
    expect(JSON.stringify(got.body)).not.toContain(made.body.secret.slice(6, 20));
    const row = await server.ctx.db.selectFrom('webhook_endpoints').selectAll().where('public_id', '=', id).executeTakeFirstOrThrow();
    expect(row.secret_enc).not.toContain(made.body.secret.slice(6, 20));
    expect((await reader.get('/webhooks')).body.data.map((e: { id: string }) => e.id)).toEqual([id]);

    const off = await api.patch(`/webhooks/${id}`, { enabled: false });
    expect(off.body).toMatchObject({ enabled: false, disabled_reason: 'turned off by the workspace' });
    const on = await api.patch(`/webhooks/${id}`, { enabled: true, events: ['campaign.released'] });
    expect(on.body).toMatchObject({ enabled: true, disabled_reason: null, events: ['campaign.released'] });
    expect((await api.patch(`/webhooks/${id}`, { url: 'http://192.168.0.10/' })).status).toBe(400);
    expect((await reader.get(`/webhooks/${id}`)).body.url).toBe('https://93.184.216.34/hook');

    const rotated = await api.post(`/webhooks/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(made.body.secret);
    expect(rotated.body.previous_secret_until).toBe(new Date(clock + 86_400_000).toISOString());

    // Three deliveries in the log (the worker is not running: they wait), two to a page.
    const endpointId = Number(row.id);
    for (const i of [1, 2, 3]) {
      await recordEvent(
        server.ctx.db,
        { workspaceId, type: 'campaign.released', dedupe: `api:${i}`, occurredAt: clock, data: { i } },
        clock,
      );
    }
    const p1 = await reader.get(`/webhooks/${id}/deliveries?limit=2`);
    expect(p1.status).toBe(200);
    expect(p1.body.data).toHaveLength(2);
    expect(p1.body.data[0]).toMatchObject({ event_type: 'campaign.released', status: 'pending', attempts: 0 });
    expect(p1.body.data[0].event_id).toMatch(/^msg_/);
    const p2 = await reader.get(`/webhooks/${id}/deliveries?limit=2&cursor=${p1.body.next_cursor}`);
    expect(p2.body.data).toHaveLength(1);
    expect(p2.body.next_cursor).toBeNull();
    // A delivered one goes back to pending with its id kept.
    const d = p2.body.data[0];
    await server.ctx.db
      .updateTable('webhook_deliveries')
      .set({ status: 'delivered', delivered_at: clock })
      .where('endpoint_id', '=', endpointId)
      .execute();
    const again = await api.post(`/webhooks/${id}/deliveries/${d.id}/resend`);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id: d.id, event_id: d.event_id, status: 'pending', delivered_at: null });
    expect((await api.post(`/webhooks/${id}/deliveries/wd_nope/resend`)).status).toBe(404);
    expect((await reader.get('/webhooks/we_nope')).status).toBe(404);

    expect((await api.delete(`/webhooks/${id}`)).status).toBe(204);
    expect(await count()).toBe(0);
    expect(await server.ctx.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpointId).execute()).toHaveLength(
      0,
    );
  });
});

describe.each(testDialects())('webhooks API: "send again" reaches the receiver under the same id (%s)', (dialect) => {
  let server: TestServer;
  let rx: WebhookReceiver;
  beforeAll(async () => {
    server = await startTestServer(dialect, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    rx = await new WebhookReceiver().start();
    server.worker.start();
  });
  afterAll(async () => {
    await server?.close();
    await rx?.close();
  });

  it('resend → a second verified request with the same webhook-id', async () => {
    const { workspaceId } = await apiWorkspace(server.ctx, 'api-resend');
    const api = apiClient(server.url, await apiKeyFor(server.ctx, workspaceId));
    const made = await api.post('/webhooks', { url: `${rx.url}/in`, events: ['campaign.released'] });
    expect(made.status).toBe(201);
    rx.secrets = [made.body.secret];
    await recordEvent(
      server.ctx.db,
      { workspaceId, type: 'campaign.released', dedupe: 'resend:1', occurredAt: server.ctx.now(), data: {} },
      server.ctx.now(),
    );
    server.worker.nudge();
    const [d] = await waitFor(async () => {
      const log = (await api.get(`/webhooks/${made.body.id}/deliveries`)).body.data;
      return log[0]?.status === 'delivered' ? log : null;
    });
    expect(d.last_status_code).toBe(200);
    expect((await api.post(`/webhooks/${made.body.id}/deliveries/${d.id}/resend`)).status).toBe(202);
    server.worker.nudge();
    await waitFor(async () => rx.received.length === 2);
    expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual([d.event_id, d.event_id]);
    expect(rx.received.map((r) => r.verdicts)).toEqual([[true], [true]]);
  });
});
