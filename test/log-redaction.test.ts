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

    expect(logs).toContain('/callback/sandbox'); // requests were logged…
    for (const secret of [callback.searchParams.get('code')!, callback.searchParams.get('state')!, accessToken, refreshToken!, cookie]) {
      expect(secret.length).toBeGreaterThan(10);
      expect(logs).not.toContain(secret); // …but never their secrets
    }
  });
});
