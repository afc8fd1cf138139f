import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FulfillmentWorker } from '../src/fulfillment/worker.js';
import { createEndpoint } from '../src/webhooks/endpoints.js';
import { recordEvent } from '../src/webhooks/deliveries/index.js';
import { addressRefusal, resolveAll, targetRefusal } from '../src/webhooks/targets.js';
import { apiWorkspace } from './helpers/api.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { found, WebhookReceiver } from './fakes/webhook-receiver/server.js';

/** Names the tests resolve themselves: one straight to loopback, one that rebinds after its first answer. */
function fakeResolver() {
  let rebindCalls = 0;
  return async (host: string): Promise<string[]> => {
    if (host === 'loopback.example.test') return ['127.0.0.1'];
    if (host === 'rebind.example.test') return ++rebindCalls === 1 ? ['93.184.216.34'] : ['127.0.0.1'];
    if (host === 'metadata.example.test') return ['169.254.169.254'];
    return resolveAll(host); // the system's answer (localhost)
  };
}

describe('webhooks: which addresses are refused', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['10.0.0.1', 'a private address'],
    ['172.16.5.4', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['169.254.169.254', 'a link-local address (cloud metadata lives here)'],
    ['100.64.1.1', 'a carrier-grade NAT address'],
    ['0.0.0.0', 'a "this network" address'],
    ['224.0.0.1', 'a multicast address'],
    ['::1', 'a loopback address'],
    ['fd00:ec2::254', 'a private address'],
    ['fe80::1', 'a link-local address'],
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:a9fe:a9fe', 'a link-local address (cloud metadata lives here)'],
    ['255.255.255.255', 'a reserved address'],
    ['::', 'the unspecified address'],
    // IPv6 forms with an IPv4 address inside: each reaches 127.0.0.1 through a gateway.
    ['::127.0.0.1', 'an IPv4-compatible address'],
    ['::7f00:1', 'an IPv4-compatible address'],
    ['::ffff:0:7f00:1', 'an IPv4-translated address'],
    ['0:0:0:0:ffff:0:a9fe:a9fe', 'an IPv4-translated address'],
    ['64:ff9b::7f00:1', 'a NAT64 address'],
    ['64:ff9b:1::7f00:1', 'a NAT64 address'],
    ['2002:7f00:1::', 'a 6to4 address'],
    ['2002:a9fe:a9fe::1', 'a 6to4 address'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'a Teredo address'],
    ['fec0::1', 'a site-local address'],
  ])('%s is %s', (ip, words) => {
    expect(addressRefusal(ip)).toBe(words);
  });

  it.each(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8'])('%s is public', (ip) => {
    expect(addressRefusal(ip)).toBeNull();
  });

  it('saving refuses bad targets with the reason, before any delivery', async () => {
    const resolve = fakeResolver();
    const refusal = (url: string) => targetRefusal(url, { allowPrivate: false, resolve });
    expect(await refusal('ftp://example.com/x')).toBe('only http and https URLs can receive webhooks');
    expect(await refusal('http://127.0.0.1:8080/')).toBe('127.0.0.1 is a loopback address');
    expect(await refusal('http://[::1]/')).toBe('::1 is a loopback address');
    expect(await refusal('http://localhost:3000/')).toBe('localhost is a local name');
    expect(await refusal('https://loopback.example.test/')).toBe('loopback.example.test resolves to 127.0.0.1, a loopback address');
    expect(await refusal('https://nowhere.invalid/')).toBe('nowhere.invalid does not resolve');
    expect(await refusal('https://user:pw@example.com/')).toBe('the URL must not contain a user name or password');
    expect(await refusal('http://evil@127.0.0.1/')).toBe('the URL must not contain a user name or password');
    // Decimal, hex, octal and short IPv4 forms are read as the address they are (WHATWG URL rules).
    expect(await refusal('http://2130706433/')).toBe('127.0.0.1 is a loopback address');
    expect(await refusal('http://0x7f.1/')).toBe('127.0.0.1 is a loopback address');
    expect(await refusal('http://017700000001:8080/')).toBe('127.0.0.1 is a loopback address');
    expect(await refusal('http://0/')).toBe('0.0.0.0 is a "this network" address');
    expect(await refusal('http://[2002:7f00:1::]/')).toBe('2002:7f00:1:: is a 6to4 address');
    expect(await refusal('http://[::ffff:127.0.0.1]/')).toBe('::ffff:7f00:1 is a loopback address');
    expect(await refusal('http://[fe80::1%25eth0]/')).toBe('the URL is not valid');
    // A name answering one public and one private address is refused for the private one.
    const mixed = (host: string) => (host === 'mixed.example.test' ? Promise.resolve(['93.184.216.34', '10.1.2.3']) : resolve(host));
    expect(await targetRefusal('https://mixed.example.test/', { allowPrivate: false, resolve: mixed })).toBe(
      'mixed.example.test resolves to 10.1.2.3, a private address',
    );
    // Passing the check when saved is not enough: the address connected to is checked again (below).
    expect(await refusal('https://rebind.example.test/')).toBeNull();
    expect(await targetRefusal('http://127.0.0.1:8080/', { allowPrivate: true })).toBeNull();
  });
});

describe.each(testDialects())('webhooks: SSRF attempts refused at connect time (%s)', (dialect) => {
  let server: TestServer;
  let worker: FulfillmentWorker;
  let victim: WebhookReceiver;
  // One resolver for the check when saved and for the worker: the rebinding name answers a public
  // address to the first and 127.0.0.1 to the second.
  const resolve = fakeResolver();

  beforeAll(async () => {
    server = await startTestServer(dialect, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' });
    worker = new FulfillmentWorker(server.ctx, undefined, { webhooks: { resolve } });
    worker.start();
    victim = await new WebhookReceiver().start();
  });
  afterAll(async () => {
    await worker?.stop();
    await server?.close();
    await victim?.close();
  });

  it('loopback, private, metadata, [::1], localhost, a name resolving to 127.0.0.1, a rebinding name: nothing is sent, the log says why', async () => {
    const port = new URL(victim.url).port;
    const targets: [string, string | RegExp][] = [
      [`http://127.0.0.1:${port}/`, 'refused: 127.0.0.1 is a loopback address'],
      ['http://10.0.0.1/', 'refused: 10.0.0.1 is a private address'],
      ['http://192.168.1.1/', 'refused: 192.168.1.1 is a private address'],
      ['http://169.254.169.254/latest/meta-data/', 'refused: 169.254.169.254 is a link-local address (cloud metadata lives here)'],
      [`http://[::1]:${port}/`, 'refused: ::1 is a loopback address'],
      [`http://localhost:${port}/`, /^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address$/],
      [`http://loopback.example.test:${port}/`, 'refused: loopback.example.test resolves to 127.0.0.1, a loopback address'],
      [
        `http://metadata.example.test/`,
        'refused: metadata.example.test resolves to 169.254.169.254, a link-local address (cloud metadata lives here)',
      ],
      [`http://rebind.example.test:${port}/`, 'refused: rebind.example.test resolves to 127.0.0.1, a loopback address'],
    ];
    const { workspaceId } = await apiWorkspace(server.ctx, 'ssrf');
    const ids: number[] = [];
    for (const [url] of targets) {
      // Stored as if it had passed the check when saved (a name can change its answer later).
      ids.push(
        (await createEndpoint(server.ctx, { workspaceId, url, description: url, events: ['campaign.released'] }, server.ctx.now())).endpoint
          .id,
      );
    }
    // The rebinding name's first answer (public) went to the check when it was saved.
    expect(await targetRefusal(targets[8]![0], { allowPrivate: false, resolve })).toBeNull();
    await recordEvent(
      server.ctx.db,
      { workspaceId, type: 'campaign.released', dedupe: 'ssrf:1', occurredAt: server.ctx.now(), data: {} },
      server.ctx.now(),
    );
    worker.nudge();
    const log = await found(async () => {
      const rows = await server.ctx.db
        .selectFrom('webhook_deliveries')
        .select(['endpoint_id', 'last_error', 'status'])
        .where('endpoint_id', 'in', ids)
        .execute();
      return rows.length === ids.length && rows.every((r) => r.last_error) ? rows : null;
    });
    const byEndpoint = new Map(log.map((r) => [Number(r.endpoint_id), r]));
    targets.forEach(([url, why], i) => expect(byEndpoint.get(ids[i]!)!.last_error, url).toMatch(why));
    expect(log.every((r) => r.status === 'pending')).toBe(true); // retried on the schedule, never sent
    expect(victim.received).toHaveLength(0);
  });
});

describe.each(testDialects())('webhooks: redirects are not followed (%s)', (dialect) => {
  let server: TestServer;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    // The redirecting receiver is on 127.0.0.1 too, so private targets are allowed here: what is
    // shown is that a 3xx ends the attempt, whatever it points at.
    server = await startTestServer(dialect, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    server.worker.start();
  });
  afterAll(async () => {
    await server?.close();
    for (const r of receivers) await r.close();
  });

  it('a receiver answering 302 to 127.0.0.1: the target gets nothing, the log says redirects are not followed', async () => {
    const target = await new WebhookReceiver().start();
    const redirector = await new WebhookReceiver().start();
    receivers.push(target, redirector);
    redirector.answer = () => ({ status: 302, location: `${target.url}/admin` });
    const { workspaceId } = await apiWorkspace(server.ctx, 'redirect');
    const { endpoint } = await createEndpoint(
      server.ctx,
      { workspaceId, url: redirector.url, description: '', events: ['campaign.released'] },
      server.ctx.now(),
    );
    await recordEvent(
      server.ctx.db,
      { workspaceId, type: 'campaign.released', dedupe: 'redirect:1', occurredAt: server.ctx.now(), data: {} },
      server.ctx.now(),
    );
    server.worker.nudge();
    const row = await found(() =>
      server.ctx.db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('endpoint_id', '=', endpoint.id)
        .where('last_error', 'is not', null)
        .executeTakeFirst(),
    );
    expect(row).toMatchObject({ status: 'pending', last_error: 'answered 302: redirects are not followed' });
    expect(Number(row.last_status_code)).toBe(302);
    expect(redirector.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
  });
});
