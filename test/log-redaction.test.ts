import net from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { decryptGrant } from '../src/grants/repo.js';
import { createLogger } from '../src/log.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

describe('secrets never reach the logs', () => {
  let server: TestServer | undefined;
  afterAll(() => server?.close());

  it('a full pre-save and fulfillment at trace level logs no code, state, token or cookie', async () => {
    let logs = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        logs += chunk.toString();
        done();
      },
    });
    server = await startTestServer('sqlite', {}, undefined, { log: createLogger('trace', sink) });
    const { ctx, url } = server;
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'quiet',
        artistName: 'A',
        title: 'T',
        upc: '036000291452',
        releaseAt: new Date(Date.now() + 1500).toISOString(),
        timing: 'global',
        services: ['sandbox'],
      },
    );
    const fan = new FanBrowser();
    const { consentUrl, requestId } = await fan.startPresave(url, 'quiet', 'UTC');
    const callback = new URL(await fan.decide(consentUrl, requestId, 'hush', 'allow'));
    expect((await fan.get(callback.toString())).status).toBe(303);
    const grant = await ctx.db.selectFrom('grants').selectAll().executeTakeFirstOrThrow();
    const { accessToken, refreshToken } = decryptGrant(ctx, grant);
    const cookie = fan.cookies.get('dropday_oauth')!;

    server.worker.start();
    await waitFor(async () => (await ctx.db.selectFrom('presaves').select('status').executeTakeFirstOrThrow()).status === 'saved');

    // The receipt's address is the fan's key to cancel and erase: the request is logged, its id is not.
    const { public_id: publicId } = await ctx.db.selectFrom('presaves').select('public_id').executeTakeFirstOrThrow();
    expect((await fan.get(`${url}/p/${publicId}`)).status).toBe(200);
    expect((await fan.get(`${url}/p/${publicId}/cancel`)).status).toBeLessThan(500);
    expect(logs).toContain('/p/[REDACTED]');

    expect(logs).toContain('/callback/sandbox'); // requests were logged…
    for (const secret of [
      callback.searchParams.get('code')!,
      callback.searchParams.get('state')!,
      accessToken,
      refreshToken!,
      cookie,
      publicId,
    ]) {
      expect(secret.length).toBeGreaterThan(10);
      expect(logs).not.toContain(secret); // …but never their secrets
    }
  });

  it('a malformed request at trace level: the error is logged, the bytes it carried are not', async () => {
    let logs = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        logs += chunk.toString();
        done();
      },
    });
    const own = await startTestServer('sqlite', { METRICS_TOKEN: 'metrics-bearer-3f9a1c7e5b2d' }, undefined, {
      log: createLogger('trace', sink),
    });
    try {
      const port = new URL(own.url).port;
      const secrets = ['session-cookie-8d2e4f6a1b3c', 'metrics-bearer-3f9a1c7e5b2d', 'hunter2-passphrase-77'];
      const body = `email=fan%40example.com&password=${secrets[2]}`;
      const raw =
        'POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        `Cookie: __Host-dropday_session=${secrets[0]}\r\nAuthorization: Bearer ${secrets[1]}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n` +
        'Bad\u0001Header: x\r\n\r\n' +
        body;
      const answer = await new Promise<string>((resolve, reject) => {
        let got = '';
        const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(raw));
        socket.on('data', (d) => (got += d.toString()));
        socket.on('close', () => resolve(got));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400/);
      await new Promise((r) => setImmediate(r));
      expect(logs).toContain('client error'); // the event is there…
      // …without what the client sent, as text or as a serialized Buffer's bytes.
      const decoded = logs.replace(/\{"type":"Buffer","data":\[([\d,]*)\]\}/g, (_m, d: string) =>
        Buffer.from(d.split(',').map(Number)).toString('latin1'),
      );
      for (const secret of secrets) expect(decoded).not.toContain(secret);
      expect(logs).not.toContain('rawPacket');
    } finally {
      await own.close();
    }
  });
});
