import { afterEach, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

describe('Prometheus metrics', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('are off without METRICS_TOKEN, refuse a wrong token, and report pre-saves and governors', async () => {
    server = await startTestServer('sqlite');
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    await server.close();

    server = await startTestServer('sqlite', { METRICS_TOKEN: 'm-secret-token' });
    const { ctx, url } = server;
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'measured',
        artistName: 'M',
        title: 'T',
        upc: '036000291452',
        releaseAt: new Date(Date.now() + 1000).toISOString(),
        timing: 'global',
        services: ['sandbox'],
      },
    );
    await new FanBrowser().presave(url, 'measured', 'mx', 'UTC');
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    server.worker.start();
    await waitFor(async () => (await ctx.db.selectFrom('presaves').select('status').executeTakeFirstOrThrow()).status === 'saved');
    const res = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer m-secret-token' } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('dropday_presaves{campaign="measured",service="sandbox",status="saved"} 1');
    expect(text).toContain('dropday_service_paused{service="sandbox"} 0');
  });
});
