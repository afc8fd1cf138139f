import http from 'node:http';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { OverloadGuard, QUEUE_MIN_ANSWERS, TURN_MIN_ADMITTED } from '../src/web/overload/guard.js';
import { PRESSURE_SAMPLES_IN_A_ROW, PressureStreak, pressureReason } from '../src/web/overload/pressure.js';
import type { OverloadConfig } from '../src/web/overload/config.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

/**
 * A saturated process refuses new work with a fast static 503 (Retry-After, the busy page or
 * JSON, the code in X-Dropday-Error), never a fan in the middle of an authorization, and serves
 * again once the pressure clears. The pressure signal is injected: no load, no clocks.
 */
describe.each(testDialects())('overload: refusing new work when busy (%s)', (dialect) => {
  let server: TestServer;
  let pressure: string | null = null;

  beforeAll(async () => {
    server = await startTestServer(dialect, { METRICS_TOKEN: 'overload-metrics' }, undefined, { pressure: () => pressure });
    const { ctx } = server;
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'launch',
        artistName: 'A',
        title: 'T',
        upc: '036000291452',
        releaseAt: '2028-06-01',
        timing: 'global',
        services: ['sandbox'],
      },
    );
  });
  afterAll(() => server.close());

  it('under pressure a fan page gets 503, Retry-After and the static busy page; JSON asks get JSON; then pages are served again', async () => {
    pressure = 'event loop delay';
    const page = await fetch(`${server.url}/launch`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('5');
    expect(page.headers.get('x-dropday-error')).toBe('DROPDAY_ERR_BUSY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    // Its inline style and script are allowed by hash: no nonce, nothing unsafe.
    expect(page.headers.get('content-security-policy')).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe');
    const html = await page.text();
    expect(html).toContain('Busy right now');
    // It tries again after Retry-After by a script allowed by hash (a timed meta refresh fails WCAG 2.2.1), or by its link.
    expect(html).toContain('<script>setTimeout(function(){location.reload()},5000)</script>');
    expect(html).toContain('<a href="">Try again now</a>');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(html).not.toContain('DROPDAY_ERR'); // fans read words; the code is in the header

    const json = await fetch(`${server.url}/launch`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(503);
    expect(json.headers.get('retry-after')).toBe('5');
    expect(await json.json()).toEqual({ error: { code: 'DROPDAY_ERR_BUSY', message: expect.stringContaining('busy') } });

    // A fan starting a pre-save is new work too.
    expect((await fetch(`${server.url}/connect/sandbox?campaign=launch`, { redirect: 'manual' })).status).toBe(503);

    pressure = null;
    const again = await fetch(`${server.url}/launch`, { headers: { accept: 'text/html' } });
    expect(again.status).toBe(200);
    expect(again.headers.get('x-dropday-error')).toBeNull();
    expect(await again.text()).toContain('<form');
  });

  it('a fan in the middle of an authorization is never refused: consent, token, identity and callback get through', async () => {
    const fan = new FanBrowser();
    const { consentUrl, requestId } = await fan.startPresave(server.url, 'launch', 'UTC');
    pressure = 'event loop delay';
    try {
      // The Sandbox's consent, then Dropday's callback (which calls the Sandbox's token and /v1/me).
      const callback = await fan.decide(consentUrl, requestId, 'busy-night-fan', 'allow');
      const done = await fan.get(callback);
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toMatch(/^\/p\//);
      // The Apple Music token POST is a callback too: it gets its own answer, never the busy one.
      const apple = await fetch(`${server.url}/callback/apple-music`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'state=nope',
      });
      expect(apple.status).not.toBe(503);
      expect(apple.headers.get('x-dropday-error')).not.toBe('DROPDAY_ERR_BUSY');
      // Monitoring sees a busy process, not a dead one.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const metrics = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer overload-metrics' } });
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/dropday_http_refused_total\{reason="pressure"\} [1-9]/);
    } finally {
      pressure = null;
    }
    const rows = await server.ctx.db.selectFrom('presaves').select('account_id').execute();
    expect(rows.map((r) => r.account_id)).toContain('busy-night-fan');
  });
});

const SETTINGS: OverloadConfig = loadConfig({ NODE_ENV: 'test' }).overload;

describe('the overload guard', () => {
  it('refuses beyond OVERLOAD_MAX_IN_FLIGHT at once, and admits again as answers finish (real HTTP)', async () => {
    const held: http.ServerResponse[] = [];
    const guard = new OverloadGuard({ ...SETTINGS, maxInFlight: 2, turnBudgetMs: 0 }, { warn: () => {} });
    const server = guard.serverFactory((_req, res) => void held.push(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/launch`;
    try {
      const first = fetch(url);
      const second = fetch(url);
      await waitFor(async () => held.length >= 2, { intervalMs: 5, what: '2 request(s) held by the handler' });
      const third = await fetch(url);
      expect(third.status).toBe(503);
      expect(third.headers.get('x-dropday-error')).toBe('DROPDAY_ERR_BUSY');
      // A callback is never refused, even over the cap.
      const callback = fetch(`${url.replace('/launch', '/callback/sandbox')}?code=x`);
      await waitFor(async () => held.length >= 3, { intervalMs: 5, what: '3 request(s) held by the handler' });
      for (const res of held.splice(0)) res.end('ok');
      expect((await first).status).toBe(200);
      expect((await second).status).toBe(200);
      expect((await callback).status).toBe(200);
      const fourth = fetch(url);
      await waitFor(async () => held.length >= 1, { intervalMs: 5, what: '1 request(s) held by the handler' });
      held.pop()!.end('ok');
      expect((await fourth).status).toBe(200);
      expect(guard.stats()).toMatchObject({ refusedInFlight: 1 });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('once an event-loop turn has spent OVERLOAD_TURN_BUDGET_MS, the rest of the turn is refused; the next turn starts afresh', async () => {
    let now = 1000;
    const guard = new OverloadGuard({ ...SETTINGS, turnBudgetMs: 50, maxInFlight: 0 }, { warn: () => {} }, () => now);
    const served: string[] = [];
    const answers: number[] = [];
    const call = (url: string, cost: number) => {
      const res = Object.assign(new EventEmitter(), {
        writeHead: (status: number) => answers.push(status),
        end: () => {},
      });
      guard.handle({ url, headers: {} } as http.IncomingMessage, res as unknown as http.ServerResponse, () => {
        served.push(url);
        now += cost; // the work this request did on the loop
      });
    };
    const turn = async (count: number, cost: number) => {
      for (let i = 0; i < count; i++) call(`/t${i}`, cost);
      await new Promise((r) => setImmediate(r)); // the turn ends
    };
    // A slow request with a few others is not overload: over budget, but few admitted.
    call('/slow', 200);
    call('/next', 1);
    await new Promise((r) => setImmediate(r));
    await turn(1, 1);
    // One long turn is a burst: all served.
    await turn(40, 5);
    expect(answers).toEqual([]);
    served.length = 0;
    // The next turn is long too: saturation. Once it has spent its budget, the rest are refused.
    const n = Math.max(TURN_MIN_ADMITTED, 11) + 3;
    for (let i = 0; i < n; i++) call(`/p${i}`, 5);
    call('/callback/sandbox?code=x', 1); // never refused, even in a full turn
    const admitted = Math.max(TURN_MIN_ADMITTED, 11); // 11 × 5 ms passes 50 ms; never fewer than the minimum
    expect(served).toEqual([...Array.from({ length: admitted }, (_, i) => `/p${i}`), '/callback/sandbox?code=x']);
    expect(answers).toEqual([503, 503, 503]);
    await new Promise((r) => setImmediate(r)); // the turn ends
    // A short turn ends the saturation: the next long turn is a burst again.
    call('/d', 1);
    await new Promise((r) => setImmediate(r));
    await turn(40, 5);
    expect(served).toContain('/d');
    expect(answers).toHaveLength(3);
    expect(guard.stats().refusedTurn).toBe(3);
  });

  it('a standing queue (even the quickest answer of a sample slower than OVERLOAD_MAX_QUEUE_MS) refuses new work until answers are quick again', () => {
    let now = 0;
    const guard = new OverloadGuard({ ...SETTINGS, maxQueueMs: 250, maxInFlight: 0, turnBudgetMs: 0 }, { warn: () => {} }, () => now);
    const statuses: number[] = [];
    const open: EventEmitter[] = [];
    const call = () => {
      const res = Object.assign(new EventEmitter(), { writeHead: (status: number) => statuses.push(status), end: () => {} });
      guard.handle({ url: '/launch', headers: {} } as http.IncomingMessage, res as unknown as http.ServerResponse, () => open.push(res));
    };
    const answerAll = () => {
      for (const res of open.splice(0)) res.emit('close');
    };
    try {
      // One slow answer among few is not a queue.
      call();
      now += 2000;
      answerAll();
      guard.sampleQueue();
      call();
      expect(statuses).toEqual([]);
      answerAll();
      guard.sampleQueue();
      // Many answers, the quickest 300 ms: a standing queue.
      for (let i = 0; i < QUEUE_MIN_ANSWERS; i++) call();
      now += 300;
      answerAll();
      guard.sampleQueue();
      call();
      expect(statuses).toEqual([503]);
      for (let i = 0; i < QUEUE_MIN_ANSWERS; i++) call();
      expect(statuses).toHaveLength(1 + QUEUE_MIN_ANSWERS);
      // While refusing, the queue drains; a sample without the evidence clears it.
      guard.sampleQueue();
      call();
      expect(open).toHaveLength(1);
      // Answers quick again: no queue.
      for (let i = 0; i < QUEUE_MIN_ANSWERS; i++) call();
      answerAll();
      guard.sampleQueue();
      call();
      expect(statuses).toHaveLength(1 + QUEUE_MIN_ANSWERS);
      answerAll();
      guard.sampleQueue();
      // Many in flight through two samples and too few answers: answers so slow none came.
      for (let i = 0; i < QUEUE_MIN_ANSWERS; i++) call();
      guard.sampleQueue();
      call();
      expect(statuses).toHaveLength(1 + QUEUE_MIN_ANSWERS);
      guard.sampleQueue();
      call();
      expect(statuses).toHaveLength(2 + QUEUE_MIN_ANSWERS);
      // They drain (the refusals let them): the queue clears.
      answerAll();
      guard.sampleQueue();
      guard.sampleQueue();
      call();
      expect(statuses).toHaveLength(2 + QUEUE_MIN_ANSWERS);
      expect(guard.stats().refusedQueue).toBe(2 + QUEUE_MIN_ANSWERS);
    } finally {
      guard.close();
    }
  });

  it('pressure: the first limit exceeded, in words; a limit of 0 is off', () => {
    const calm = { eventLoopDelay: 5, eventLoopUtilized: 0.5, heapUsed: 100, rssBytes: 200 };
    const c = { ...SETTINGS, maxEventLoopDelayMs: 100, maxEventLoopUtilizationPercent: 90, maxHeapUsedBytes: 1000, maxRssBytes: 2000 };
    expect(pressureReason(calm, c)).toBeNull();
    expect(pressureReason({ ...calm, eventLoopDelay: 150 }, c)).toBe('event loop delay');
    expect(pressureReason({ ...calm, eventLoopUtilized: 0.95 }, c)).toBe('event loop utilisation');
    expect(pressureReason({ ...calm, heapUsed: 5000 }, c)).toBe('heap');
    expect(pressureReason({ ...calm, rssBytes: 5000 }, c)).toBe('resident memory');
    expect(
      pressureReason(
        { ...calm, eventLoopDelay: 150, eventLoopUtilized: 0.99 },
        { ...c, maxEventLoopDelayMs: 0, maxEventLoopUtilizationPercent: 0 },
      ),
    ).toBeNull();
  });

  it('pressure refuses only once it lasts: one sample over a limit is a blip, two in a row is saturation', () => {
    const streak = new PressureStreak();
    streak.observe('event loop delay');
    expect(streak.current()).toBeNull();
    streak.observe(null);
    streak.observe('event loop delay');
    expect(streak.current()).toBeNull();
    for (let i = 1; i < PRESSURE_SAMPLES_IN_A_ROW; i++) streak.observe('event loop delay');
    expect(streak.current()).toBe('event loop delay');
    streak.observe('heap');
    expect(streak.current()).toBe('heap');
    streak.observe(null);
    expect(streak.current()).toBeNull();
  });

  it('bad settings are configuration errors, all reported at once', () => {
    let err: unknown;
    try {
      loadConfig({
        NODE_ENV: 'test',
        OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: 'soon',
        OVERLOAD_MAX_EVENT_LOOP_UTILIZATION: '140',
        OVERLOAD_MAX_IN_FLIGHT: '-1',
        HTTP_HEADERS_TIMEOUT_MS: '20000',
        HTTP_REQUEST_TIMEOUT_MS: '10000',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toMatch(/OVERLOAD_MAX_EVENT_LOOP_DELAY_MS must be a whole number from 0 to 60000 \(got "soon"\)/);
    expect(problems).toMatch(/OVERLOAD_MAX_EVENT_LOOP_UTILIZATION must be a whole number from 0 to 100/);
    expect(problems).toMatch(/OVERLOAD_MAX_IN_FLIGHT must be a whole number/);
    expect(problems).toMatch(/HTTP_REQUEST_TIMEOUT_MS must be at least HTTP_HEADERS_TIMEOUT_MS/);
  });
});
