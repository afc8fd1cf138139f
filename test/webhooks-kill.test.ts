import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/accounts/users.js';
import { createWorkspace } from '../src/accounts/workspaces.js';
import { TokenCipher } from '../src/util/token-cipher.js';
import { recordEvent } from '../src/webhooks/deliveries/index.js';
import { createEndpoint } from '../src/webhooks/endpoints.js';
import { envFor, startCli, stop } from './helpers/cli.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';
import { waitFor } from './helpers/wait.js';
import { WebhookReceiver } from './fakes/webhook-receiver/server.js';

const EVENTS = 50;

/**
 * Issue 14: deliveries survive a worker killed mid-run. 50 events to one endpoint whose receiver
 * takes a moment to answer; a `dropday worker` process is SIGKILLed while deliveries are in flight;
 * a restarted worker delivers every event at least once, each under its own stable webhook-id, and
 * every request verifies. (Run `npm run build` first: this spawns dist/cli.js.)
 */
describe.each(testDialects())('webhooks: a worker killed mid-delivery (%s)', (dialect) => {
  let t: TestDb;
  let rx: WebhookReceiver;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    rx = await new WebhookReceiver().start();
  });
  afterAll(async () => {
    await rx?.close();
    await t?.drop();
  });

  it('every event delivered at least once, with the same id, after a SIGKILL and a restart', async () => {
    const now = Date.now();
    const key = t.config.encryptionKeys![0]!;
    const cipher = new TokenCipher([{ id: 'test', key: key.key }]);
    const user = await createUser(t.db, { email: 'kill@example.com', password: null, emailVerified: true }, now);
    const ws = await createWorkspace(t.db, { slug: 'kill', name: 'Kill', kind: 'label' }, user.id, now);
    const { secret } = await createEndpoint(
      { db: t.db, cipher },
      { workspaceId: ws.id, url: `${rx.url}/in`, description: '', events: ['campaign.released'] },
      now,
    );
    rx.secrets = [secret];
    // Each answer takes 150 ms: with 4 slots the kill lands while deliveries are in flight.
    rx.delayMs = 150;
    const ids: string[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const r = await recordEvent(
        t.db,
        { workspaceId: ws.id, type: 'campaign.released', dedupe: `kill:${i}`, occurredAt: now, data: { i } },
        now,
      );
      ids.push(r!.msgId);
    }
    const env = envFor(t, {
      WORKER_POLL_MS: '100',
      WORKER_IDLE_MS: '200',
      WORKER_LEASE_MS: '3000',
      WORKER_CONCURRENCY: '4',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    });

    let worker = await startCli(['worker'], env, /fulfillment worker .* running/);
    await waitFor(async () => rx.received.length >= 8, { timeoutMs: 30_000, what: 'deliveries under way' });
    await stop(worker.child, 'SIGKILL');
    const held = await t.db.selectFrom('webhook_deliveries').select('id').where('status', '=', 'pending').execute();
    expect(held.length).toBeGreaterThan(0);

    worker = await startCli(['worker'], env, /fulfillment worker .* running/);
    try {
      await waitFor(
        async () =>
          (await t.db.selectFrom('webhook_deliveries').select('status').where('status', '<>', 'delivered').execute()).length === 0,
        { timeoutMs: 50_000, what: 'every delivery delivered after the restart' },
      );
    } finally {
      await stop(worker.child);
    }
    const got = new Set(rx.received.map((r) => r.headers['webhook-id']));
    expect(ids.filter((id) => !got.has(id))).toEqual([]); // none lost
    expect([...got].every((id) => ids.includes(id!))).toBe(true); // nothing but these
    expect(rx.received.every((r) => r.verdicts[0] === true)).toBe(true);
    // Each request carries the payload of its own event (a repeat is the same event again).
    for (const r of rx.received) expect(ids.indexOf(r.headers['webhook-id']!)).toBe((r.payload!.data as { i: number }).i);
  }, 120_000);
});
