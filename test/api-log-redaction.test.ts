import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FulfillmentWorker } from '../src/fulfillment/worker.js';
import { createLogger, redactUrl } from '../src/log.js';
import { recordEvent } from '../src/webhooks/deliveries/index.js';
import { apiClient, apiKeyFor, apiWorkspace } from './helpers/api.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { found, WebhookReceiver } from './fakes/webhook-receiver/server.js';

/**
 * Issue 14's secrets at trace level: an API key (its Authorization header, a wrong one, one made
 * through the API and its idempotent replay), a webhook signing secret (made, rotated, used to sign
 * a delivery to an address with a token in its query) and a problem+json answer to a body that
 * carried a secret. None may appear in any log line.
 */
describe.each(testDialects())('API and webhook secrets never reach the logs (%s)', (dialect) => {
  let server: TestServer;
  let worker: FulfillmentWorker;
  let receiver: WebhookReceiver;
  let logs = '';

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logs += chunk.toString();
        done();
      },
    });
    server = await startTestServer(dialect, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }, undefined, { log: createLogger('trace', sink) });
    worker = new FulfillmentWorker(server.ctx);
    worker.start();
    receiver = await new WebhookReceiver().start();
  });
  afterAll(async () => {
    await worker?.stop();
    await server?.close();
    await receiver?.close();
  });

  it('keys, a made key and its replay, webhook secrets, a signed delivery and a refused body', async () => {
    const { workspaceId } = await apiWorkspace(server.ctx, 'quiet-api');
    const admin = await apiKeyFor(server.ctx, workspaceId);
    const api = apiClient(server.url, admin);
    const secrets: string[] = [admin];

    expect((await api.get('/workspace')).status).toBe(200);
    const guessed = `${admin.slice(0, 14)}${'x'.repeat(admin.length - 14)}`;
    expect((await apiClient(server.url, guessed).get('/workspace')).status).toBe(401);
    secrets.push(guessed);

    const idem = { 'idempotency-key': 'quiet-1' };
    const made = await api.post('/keys', { name: 'made', scopes: ['workspace:read'] }, idem);
    expect(made.status).toBe(201);
    const replayed = await api.post('/keys', { name: 'made', scopes: ['workspace:read'] }, idem);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.key).toBe(made.body.key);
    secrets.push(made.body.key);

    const hookToken = 'hook-query-token-5e1b7c9d2a';
    const hook = await api.post('/webhooks', { url: `${receiver.url}/in?token=${hookToken}`, events: ['campaign.released'] });
    expect(hook.status).toBe(201);
    const rotated = await api.post(`/webhooks/${hook.body.id}/rotate-secret`, {});
    expect(rotated.status).toBe(200);
    secrets.push(hook.body.secret, rotated.body.secret, hookToken);
    receiver.secrets = [rotated.body.secret];

    // A body that is not JSON, carrying a secret: the answer may quote the client's own bytes; no log may.
    const bodySecret = 'whsec_bodysecretbodysecret0123456789';
    const res = await fetch(`${server.url}/api/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: `{"url": "https://93.184.216.34/", "secret": ${bodySecret}}`,
    });
    expect(res.status).toBe(400);
    secrets.push(bodySecret);

    await recordEvent(
      server.ctx.db,
      { workspaceId, type: 'campaign.released', dedupe: 'quiet:1', occurredAt: server.ctx.now(), data: {} },
      server.ctx.now(),
    );
    worker.nudge();
    const got = await found(async () => receiver.events('campaign.released')[0]);
    expect(got.verdicts).toEqual([true]);

    expect(logs).toContain('/api/v1/keys'); // requests were logged…
    for (const secret of secrets) expect(logs, secret).not.toContain(secret); // …never a secret
    expect(logs).not.toContain(admin.split('_')[2]!);
  });

  it('query parameters that carry a platform secret are redacted from any logged address', () => {
    expect(redactUrl('/mp/collect?measurement_id=G-ABC&api_secret=s3cr3tvalue')).toBe(
      '/mp/collect?measurement_id=G-ABC&api_secret=[REDACTED]',
    );
    expect(redactUrl('/v21.0/123/events?access_token=EAAB123')).toBe('/v21.0/123/events?access_token=[REDACTED]');
  });
});
