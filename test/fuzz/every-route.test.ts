import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog } from '../../src/accounts/testing.js';
import { testDialects } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { buildWorld, classicPlans, plan, RAW_REQUESTS, send, sendRaw, type Answer, type Sent, type World } from './harness.js';
import { fuzzRuns, fuzzSeed, Rng } from './random.js';
import { rowCounts, tableNames } from './rows.js';
import { routesOf, type RouteInfo } from './routes.js';
import { startSpotifyFake, type SpotifyFake } from '../fakes/spotify/index.js';

/**
 * The fuzz suite: random, reproducible requests at every route of the real app over real HTTP —
 * wrong types, NUL and invalid UTF-8, huge and deep bodies, odd methods, headers and content
 * types, anonymous and signed in (owner, editor) with a valid CSRF token. It asserts no answer is
 * a 5xx, the server stays up, and a refused (4xx) request stored nothing (row counts of every
 * table before and after). FUZZ_RUNS scales it (`npm run fuzz`), FUZZ_SEED replays a run.
 */
const RUNS = fuzzRuns(1500);
const SEED = fuzzSeed();

interface Finding {
  sent: Sent;
  answer: Answer;
  problem: string;
}

describe.each(testDialects())('fuzzing every route (%s)', (dialect) => {
  let s: TestServer;
  let spotify: SpotifyFake;
  let world: World;
  let routes: RouteInfo[];
  let tables: string[];
  const log = captureLog();

  beforeAll(async () => {
    // Analytics are written by a timer: keep it out of the row counts (events are flushed at the end).
    // Spotify (its fake) is offered too: the in-app rescue's step is only for services that need it.
    spotify = await startSpotifyFake();
    // The API's limits are proved elsewhere (api-rate-limit.test.ts): here they would end the run in 429s.
    const apiLimits = { API_RATE_LIMIT: '1000000', API_AUTH_FAILURES_PER_MINUTE: '100000' };
    s = await startTestServer(dialect, { ...spotify.env(), ...apiLimits }, undefined, {
      log: log.log,
      analytics: { flushIntervalMs: 3_600_000, batchSize: 1_000_000 },
    });
    world = await buildWorld(s);
    routes = routesOf(s.app);
    tables = await tableNames(s.ctx);
  });
  afterAll(async () => {
    await s?.close();
    await spotify?.close();
  });

  it('finds the routes from the app itself', () => {
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    // A few that must be there; the rest are whatever the app registers.
    for (const k of [
      'POST /login',
      'POST /w/:workspace/campaigns/:slug/edit',
      'GET /:slug/listen/:service',
      'POST /callback/apple-music',
    ]) {
      expect(keys).toContain(k);
    }
    expect(routes.length).toBeGreaterThan(40);
  });

  /** Sends one request, records a 5xx or a refused request that stored something. */
  async function probe(sent: Sent, go: () => Promise<Answer>, findings: Finding[], statuses: Record<number, number>): Promise<void> {
    const before = await rowCounts(s.ctx, tables);
    const answer = await go();
    statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    if (answer.status >= 500) findings.push({ sent, answer, problem: `answered ${answer.status}` });
    else if (answer.status >= 400 || answer.status === 0) {
      const after = await rowCounts(s.ctx, tables);
      const keptForReplay = await judgedRefusalKept(sent, answer, before, after);
      const changed = tables
        .filter((t) => before[t] !== after[t] && !(t === 'api_idempotency' && keptForReplay))
        .map((t) => `${t} ${before[t]}→${after[t]}`);
      if (changed.length) findings.push({ sent, answer, problem: `refused (${answer.status}) but stored: ${changed.join(', ')}` });
    }
  }

  /**
   * The one row a refusal may leave: an API handler's 4xx under the request's Idempotency-Key,
   * kept with that very status so a retry gets it again (docs/api.md "Retrying safely"). A refusal
   * before the handler (validation, authentication, rate limit) keeps nothing, and neither does
   * one without a key: both are checked by the row counts as for every other table.
   */
  async function judgedRefusalKept(sent: Sent, answer: Answer, before: Record<string, number>, after: Record<string, number>) {
    if (sent.idempotencyKey === undefined || after.api_idempotency !== before.api_idempotency! + 1) return false;
    const row = await s.ctx.db
      .selectFrom('api_idempotency')
      .select(['status', 'method'])
      .where('idem_key', '=', sent.idempotencyKey)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    return row !== undefined && row.method === sent.method && Number(row.status) === answer.status && answer.status !== 400;
  }

  /** The server is still up and answering. */
  async function healthy(): Promise<number> {
    const port = Number(new URL(s.url).port);
    return (await sendRaw(port, Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'))).status;
  }

  function report(findings: Finding[]): string[] {
    return findings
      .slice(0, 15)
      .map(
        (f) => `${f.problem}: ${f.sent.who} ${f.sent.method} ${f.sent.url.slice(0, 200)} [${f.sent.body}] → ${f.answer.text.slice(0, 160)}`,
      );
  }

  it(
    'answers the classic bad inputs at every route, as every identity, without a 5xx or a stored refusal',
    // A bound on a long walk, not a timing assertion: ~90 routes × every identity × the classic inputs,
    // each with a row count before and after; PostgreSQL on a busy 2-core machine needs the room.
    { timeout: 900_000 },
    async () => {
      const findings: Finding[] = [];
      const statuses: Record<number, number> = {};
      const answered = new Map<string, Set<number>>();
      for (const route of routes) {
        const seen = new Set<number>();
        answered.set(`${route.method} ${route.url}`, seen);
        for (const p of classicPlans(world, route)) {
          await probe(
            p.sent,
            async () => {
              const a = await send(s.url, p);
              seen.add(a.status);
              return a;
            },
            findings,
            statuses,
          );
        }
      }
      expect(report(findings)).toEqual([]);
      // The fan pages' newer routes, and the API's behind a key, were reached past their look-ups (a
      // success among the refusals): the world (a pre-save's ps_ id, a webhook endpoint with a
      // delivery, a spare key to revoke) and the fan queries fit them, so the bad inputs met their handlers.
      for (const key of [
        'GET /:slug',
        'GET /:slug/escape/:service',
        'GET /:slug/qr.svg',
        'GET /:slug/qr.png',
        'GET /:slug/card/social.png',
        'POST /w/:workspace/campaigns/:slug/found-links/:service/accept',
        'POST /w/:workspace/campaigns/:slug/found-links/:service/remove',
        'GET /api/v1/campaigns/:slug/presaves/:id',
        'GET /api/v1/webhooks/:id/deliveries',
        'POST /api/v1/webhooks/:id/deliveries/:delivery_id/resend',
        'GET /api/v1/webhooks/:id',
        'GET /api/v1/campaigns/:slug/links/:service',
        'DELETE /api/v1/keys/:prefix',
        'GET /api/v1/errors/:code',
      ]) {
        const seen = [...(answered.get(key) ?? [])];
        expect(
          seen.some((st) => st < 400),
          `${key}: ${seen.join(', ')}`,
        ).toBe(true);
        expect(
          seen.some((st) => st >= 400),
          `${key}: ${seen.join(', ')}`,
        ).toBe(true);
      }
      // In an app's browser with this server's escape id: the step's own page, not only its redirects.
      expect([...answered.get('GET /:slug/escape/:service')!]).toContain(200);
      expect(await healthy(), 'the server stopped answering').toBe(200);
    },
  );

  it(
    `answers ${RUNS} random requests (seed ${SEED}) without a 5xx, and stores nothing it refuses`,
    { timeout: 120_000 + RUNS * 100 },
    async () => {
      const rng = new Rng(SEED);
      const findings: Finding[] = [];
      const statuses: Record<number, number> = {};
      const port = Number(new URL(s.url).port);
      for (let i = 0; i < RUNS; i++) {
        const raw = i % 20 === 19;
        const route = routes[i % routes.length]!; // every route, round-robin; the request is random
        const p = raw ? null : plan(rng, world, route);
        const bytes = rng.pick(RAW_REQUESTS);
        const sent: Sent = p?.sent ?? {
          method: 'RAW',
          url: bytes.toString('latin1').split('\r\n')[0]!.slice(0, 120),
          who: 'anonymous',
          body: 'raw',
          raw: true,
        };
        await probe(sent, () => (p ? send(s.url, p) : sendRaw(port, bytes)), findings, statuses);
        if (i % 100 === 99) {
          expect(await healthy(), `the server stopped answering after request ${i} (seed ${SEED})`).toBe(200);
        }
      }
      expect(report(findings), `replay with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`).toEqual([]);
      // What the requests left for analytics is written too, and nothing went wrong on the way.
      await s.app.analytics?.flush();
      const errors = log.lines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50).map((l) => l.slice(0, 300));
      expect(errors, `errors logged (seed ${SEED})`).toEqual([]);
      // The requests reached the handlers, not only the guards: some were answered with success.
      expect(Object.keys(statuses).filter((k) => Number(k) < 400).length, JSON.stringify(statuses)).toBeGreaterThan(2);
    },
  );
});
