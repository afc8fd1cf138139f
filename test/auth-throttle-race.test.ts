import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordHashing, setHashConcurrency } from '../src/accounts/passwords.js';
import { InjectAgent, captureLog } from '../src/accounts/testing.js';
import { throttleKey } from '../src/accounts/throttle.js';
import { createUser } from '../src/accounts/users.js';
import { buildApp } from '../src/app.js';
import { createContext } from '../src/bootstrap.js';
import type { AppContext } from '../src/context.js';
import { WorkGate, GateFull } from '../src/util/work-gate.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

const PW = 'correct horse battery';
const COOKIE = '__Host-dropday_session';

/**
 * Sign-in under concurrency: however many attempts arrive at once, at most the limit are checked
 * (each takes its slot atomically before hashing), throttled and refused attempts never hash, and
 * hashing is bounded so a burst of sign-ins is answered at once with a 503 instead of starving
 * the server.
 */
describe.each(testDialects())('sign-in under concurrent attempts (%s)', (dialect) => {
  let t: TestDb;
  let ctx: AppContext & { close(): Promise<void> };
  let app: FastifyInstance;
  const clock = Date.UTC(2030, 0, 1);
  beforeAll(async () => {
    t = await createTestDb(dialect);
    ctx = await createContext(t.config, { now: () => clock, log: captureLog().log });
    app = await buildApp(ctx);
    // Room for the 20 an address may try at once; the default on a small machine queues fewer.
    setHashConcurrency(2);
    for (const email of ['target@example.com', 'busy@example.com']) await createUser(ctx.db, { email, password: PW }, clock);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
    await t.drop();
  });

  async function agentAt(ip: string): Promise<InjectAgent> {
    const a = new InjectAgent(app, ip);
    await a.get('/login');
    return a;
  }
  const hashes = () => passwordHashing.stats.started;

  it('100 wrong passwords at once for one account: only 5 are checked, then even the right one waits', async () => {
    const before = hashes();
    const agents = await Promise.all(Array.from({ length: 100 }, (_, i) => agentAt(`10.1.${Math.floor(i / 200)}.${i % 200}`)));
    const answers = await Promise.all(
      agents.map((a, i) => a.post('/login', { email: 'target@example.com', password: `wrong guess ${i}` })),
    );
    expect(answers.every((r) => r.statusCode === 401)).toBe(true);
    expect(hashes() - before).toBe(5);
    const right = await (await agentAt('10.2.0.1')).post('/login', { email: 'target@example.com', password: PW });
    expect(right.statusCode).toBe(401);
    expect(right.body).toMatch(/too many attempts; try again in 15 minutes/);
    expect(right.cookies.find((c) => c.name === COOKIE)).toBeUndefined();
    expect(hashes() - before).toBe(5);
  });

  it('100 attempts at once from one address on different accounts: only 20 are checked', async () => {
    const before = hashes();
    const a = await agentAt('10.9.9.9');
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => a.post('/login', { email: `spray${i}@example.com`, password: 'some guess 123' })),
    );
    expect(answers.every((r) => r.statusCode === 401)).toBe(true);
    expect(hashes() - before).toBe(20);
    // Every refused attempt gave its account slot back: a sprayed account is not locked for its owner.
    const counts = await ctx.db.selectFrom('throttles').select(['scope', 'count']).where('scope', '=', 'account').execute();
    expect(counts.reduce((n, r) => n + Number(r.count), 0)).toBe(20 + 5);
  });

  it('while hashing is saturated, a sign-in is answered at once with 503 and Retry-After, costs no hashing and is not counted', async () => {
    const gate = passwordHashing.stats;
    // Other sign-ins hold every slot and every place in the queue.
    const { concurrency, queue } = passwordHashing.limits;
    const holds: (() => void)[] = [];
    const held = Array.from({ length: concurrency + queue }, () =>
      passwordHashing.run(() => new Promise<void>((resolve) => holds.push(resolve))),
    );
    await new Promise((r) => setImmediate(r));
    expect(gate).toMatchObject({ running: concurrency, waiting: queue });
    const before = gate.started;
    const a = await agentAt('10.3.0.1');
    const res = await a.post('/login', { email: 'busy@example.com', password: PW });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toContain('Too many people are signing in');
    expect(res.body).toContain('value="busy@example.com"');
    expect(gate.started).toBe(before);
    // The public pages still answer.
    expect((await app.inject({ method: 'GET', url: '/login' })).statusCode).toBe(200);
    // The attempt gave its slots back: it was not checked, so it is not a failure.
    const keys = [throttleKey('account', 'busy@example.com'), throttleKey('ip', '10.3.0.1')];
    const slots = await ctx.db.selectFrom('throttles').select('count').where('key_hash', 'in', keys).execute();
    expect(slots.map((r) => Number(r.count))).toEqual([0, 0]);
    // When the burst is over, the same sign-in works.
    while (holds.length) {
      holds.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(held);
    const ok = await a.post('/login', { email: 'busy@example.com', password: PW });
    expect(ok.statusCode).toBe(303);
    expect(gate.peakRunning).toBeLessThanOrEqual(concurrency);
  });
});

describe('the hashing gate', () => {
  it('runs at most `concurrency` jobs, queues at most `queue`, refuses the rest at once without running them', async () => {
    const gate = new WorkGate(2, 3);
    const finish: (() => void)[] = [];
    let ran = 0;
    const jobs = Array.from({ length: 10 }, () =>
      gate.run(() => {
        ran++;
        return new Promise<void>((resolve) => finish.push(resolve));
      }),
    );
    const outcomes = jobs.map((j) =>
      j.then(
        () => 'done',
        (e: unknown) => (e instanceof GateFull ? 'refused' : 'error'),
      ),
    );
    await new Promise((r) => setImmediate(r));
    expect(ran).toBe(2);
    expect(gate.stats).toMatchObject({ running: 2, waiting: 3, refused: 5 });
    while (finish.length) {
      finish.shift()!();
      await new Promise((r) => setImmediate(r));
      expect(gate.stats.running).toBeLessThanOrEqual(2);
    }
    expect(await Promise.all(outcomes)).toEqual([...Array(5).fill('done'), ...Array(5).fill('refused')]);
    expect(gate.stats).toMatchObject({ started: 5, running: 0, waiting: 0, peakRunning: 2 });
  });
});
