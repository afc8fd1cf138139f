import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import type { AppContext } from '../src/context.js';
import { backoffMs } from '../src/delivery/backoff.js';
import { claimDue, nextDue } from '../src/delivery/claim.js';
import { fencedUpdate } from '../src/delivery/fence.js';
import type { ClaimParams, Lent, WorkKind } from '../src/delivery/kind.js';
import { DeliveryLoop } from '../src/delivery/loop.js';
import { STANDARD_COLUMNS, type Lease, type QueueSpec } from '../src/delivery/queue-spec.js';
import { redriveFailed } from '../src/delivery/redrive.js';
import { Settler } from '../src/delivery/settler.js';
import { PresaveKind } from '../src/fulfillment/presave-kind.js';
import { createMailer } from '../src/mail/index.js';
import { libraryOf } from '../src/providers/sandbox/admin.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

/**
 * The delivery loop is generic over kinds of work item: a second kind, defined only here — a
 * "ping" queue in a table this test creates, sent over real HTTP to a far side this test runs —
 * goes through the same DeliveryLoop as pre-saves, with one concurrency budget and one rate
 * governor, reusing the delivery pieces (claim with a lease, fenced settle, Settler, backoff,
 * re-drive) without copying any of them.
 */
const PINGS: QueueSpec = { table: 'test_pings', columns: STANDARD_COLUMNS, statuses: { ready: 'queued', failed: 'failed' } };
const READY = sql`status = 'queued'`;
const KEY = 'ping:test';
/** The ping channel's budget: 3 requests a second, shared by every worker through the governor. */
const RATE = 3;
const MAX_FAILURES = 2;
const BACKOFF_BASE_MS = 300;

interface PingRow {
  id: number;
  status: string;
  attempts: number;
  failures: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_token: string | null;
  sent_by: string | null;
}
interface PingLease extends Lease {
  owner: string;
}
type PingOutcome =
  | { kind: 'sent'; by: string }
  | { kind: 'retry'; at: number; error: string }
  | { kind: 'failed'; error: string }
  | { kind: 'defer'; at: number }
  | { kind: 'unclaim' };

/** The ping queue's transitions, each one fenced statement (delivery/fence.ts). */
function writePings(ctx: AppContext, leases: PingLease[], s: PingOutcome, now: number): Promise<Set<number>> {
  const set: Record<string, unknown> =
    s.kind === 'sent'
      ? { status: 'sent', sent_by: s.by }
      : s.kind === 'retry'
        ? { next_attempt_at: s.at, failures: sql`failures + 1`, last_error: s.error }
        : s.kind === 'failed'
          ? { status: 'failed', failures: sql`failures + 1`, last_error: s.error }
          : s.kind === 'defer'
            ? { next_attempt_at: s.at, attempts: sql`attempts - 1` }
            : { attempts: sql`attempts - 1` };
  return fencedUpdate(ctx.db, PINGS, leases, set, READY, now);
}

/** The far side of the ping channel: records each call with the injected clock; refuses or holds some. */
class PingServer {
  readonly calls: { id: number; at: number }[] = [];
  readonly refuseOnce = new Set<number>();
  readonly refuse = new Set<number>();
  readonly hold = new Map<number, Promise<void>>();
  private server!: http.Server;
  url = '';

  constructor(private readonly now: () => number) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const id = Number(/^\/ping\/(\d+)$/.exec(req.url ?? '')?.[1]);
      this.calls.push({ id, at: this.now() });
      void (this.hold.get(id) ?? Promise.resolve()).then(() => {
        const no = this.refuse.has(id) || this.refuseOnce.delete(id);
        res.writeHead(no ? 503 : 200).end();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  callsOf(id: number): number {
    return this.calls.filter((c) => c.id === id).length;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** The ping kind: a WorkKind in a few lines, because the loop and the delivery pieces do the rest. */
class PingKind implements WorkKind<PingRow, null> {
  readonly name = 'ping';
  readonly rateLimits = { [KEY]: RATE };
  readonly stats = { claimed: 0, sent: 0, retried: 0, failed: 0, deferred: 0, fenced: 0 };
  /** When each permit was granted (by the injected clock): what the budget is checked against. */
  readonly grantedAt: number[] = [];
  /** The test stops this kind's claims (as if another worker held the queue) while it steals a lease. */
  claims = true;
  private readonly settler: Settler<PingLease, PingOutcome>;

  constructor(
    private readonly ctx: AppContext,
    private readonly far: PingServer,
  ) {
    this.settler = new Settler({ write: (leases, s, now) => writePings(ctx, leases, s, now) }, ctx.now);
  }

  keys = () => [KEY];
  keyOf = () => KEY;
  plan = async () => null;
  get backlog(): number {
    return this.settler.backlog;
  }
  flush = () => this.settler.flush();

  async claim(_plan: null, _round: unknown, p: ClaimParams): Promise<PingRow[]> {
    if (!this.claims) return [];
    const rows = await claimDue<PingRow>(this.ctx.db, this.ctx.dialect, PINGS, { ...p, which: READY });
    this.stats.claimed += rows.length;
    return rows.map((r) => ({ ...r, id: Number(r.id), failures: Number(r.failures) }));
  }

  nextDueAt(): Promise<number | null> {
    return nextDue(this.ctx.db, PINGS, READY);
  }

  async run(row: PingRow, lent: Lent): Promise<void> {
    const lease = { id: row.id, leaseToken: row.lease_token!, owner: lent.owner };
    const outcome = await this.send(row, lent);
    lent.done();
    const applied = await this.settler.settle(lease, outcome);
    if (!applied) this.stats.fenced++;
    else if (outcome.kind === 'defer' || outcome.kind === 'unclaim') this.stats.deferred++;
    else this.stats[outcome.kind === 'retry' ? 'retried' : outcome.kind]++;
  }

  private async send(row: PingRow, lent: Lent): Promise<PingOutcome> {
    const permit = await lent.governor.acquire(KEY, 0, { maxWaitMs: 5_000 });
    if (!permit.ok) return { kind: 'defer', at: permit.until };
    this.grantedAt.push(this.ctx.now());
    const res = await fetch(`${this.far.url}/ping/${row.id}`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
    if (res.ok) return { kind: 'sent', by: lent.owner };
    const failures = row.failures + 1;
    const error = `far side answered ${res.status}`;
    if (failures >= MAX_FAILURES) return { kind: 'failed', error };
    return { kind: 'retry', error, at: this.ctx.now() + backoffMs(failures, BACKOFF_BASE_MS, 10 * BACKOFF_BASE_MS, () => 1) };
  }

  unclaim(row: PingRow): Promise<boolean> {
    return this.settler.settle({ id: row.id, leaseToken: row.lease_token!, owner: '' }, { kind: 'unclaim' });
  }
}

describe.each(testDialects())('a second kind of work item through the same delivery loop as pre-saves (%s)', (dialect) => {
  let server: TestServer | undefined;
  let far: PingServer | undefined;
  let loop: DeliveryLoop | undefined;
  afterEach(async () => {
    await loop?.stop();
    await far?.close();
    await server?.close();
    server = far = loop = undefined;
  });

  it('pings beside pre-saves: leases, retries with backoff, re-drive, the rate budget, and a fenced settle after a stolen lease', async () => {
    // An injected clock that runs, so the governor's one-second slots pass; the test moves it on
    // to let a lease run out.
    let offset = 0;
    const now = () => Date.now() + offset;
    server = await startTestServer(dialect, {}, now);
    const { ctx, url } = server;
    far = new PingServer(now);
    await far.start();
    const id = dialect === 'postgres' ? sql`id BIGSERIAL PRIMARY KEY` : sql`id INTEGER PRIMARY KEY`;
    await sql`CREATE TABLE test_pings (${id}, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
      failures INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, lease_owner TEXT, lease_token TEXT,
      lease_until BIGINT, last_error TEXT, sent_by TEXT, updated_at BIGINT NOT NULL)`.execute(ctx.db);
    const pings = async () => (await sql<PingRow>`SELECT * FROM test_pings ORDER BY id`.execute(ctx.db)).rows;
    const insertPing = async () =>
      Number(
        (
          await sql<{
            id: number;
          }>`INSERT INTO test_pings (status, next_attempt_at, updated_at) VALUES ('queued', ${now()}, ${now()}) RETURNING id`.execute(
            ctx.db,
          )
        ).rows[0]!.id,
      );

    // Three fans pre-save a release that is out in a second; twelve pings are queued.
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'kinds',
        artistName: 'Kinds',
        title: 'Side by Side',
        upc: '036000291452',
        releaseAt: new Date(now() + 1000).toISOString(),
        timing: 'global',
        services: ['sandbox'],
      },
    );
    for (const f of ['k1', 'k2', 'k3']) await new FanBrowser().presave(url, 'kinds', f, 'UTC');
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push(await insertPing());
    const [flaky1, flaky2, broken] = [ids[2]!, ids[5]!, ids[7]!];
    far.refuseOnce.add(flaky1).add(flaky2); // a transient failure: retried with backoff
    far.refuse.add(broken); // fails every time: given up after MAX_FAILURES, then re-driven
    offset += 2000; // the release time has passed

    const presaves = new PresaveKind(ctx, createMailer({ ...ctx.config.accounts.mail, log: ctx.log }));
    const ping = new PingKind(ctx, far);
    loop = new DeliveryLoop(ctx, [presaves, ping]);
    loop.start();

    await waitFor(async () => (await pings()).filter((p) => p.status === 'sent').length === 11, {
      timeoutMs: 60_000,
      what: '11 pings sent',
    });
    await waitFor(async () => (await pings()).find((p) => Number(p.id) === broken)?.status === 'failed', {
      what: 'the broken ping given up',
    });
    await waitFor(async () => presaves.stats.saved === 3, { timeoutMs: 30_000, what: 'the three pre-saves saved' });
    for (const f of ['k1', 'k2', 'k3']) expect(await libraryOf(ctx.db, f)).toHaveLength(1);

    // Each ping claimed and sent once, the flaky ones twice — the retry no sooner than its backoff.
    for (const p of ids.filter((i) => i !== flaky1 && i !== flaky2 && i !== broken)) expect(far.callsOf(p)).toBe(1);
    for (const p of [flaky1, flaky2]) {
      const [first, second] = far.calls.filter((c) => c.id === p);
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(BACKOFF_BASE_MS);
      expect((await pings()).find((r) => Number(r.id) === p)).toMatchObject({ status: 'sent', sent_by: loop.owner });
    }
    const given = (await pings()).find((r) => Number(r.id) === broken)!;
    expect(Number(given.failures)).toBe(MAX_FAILURES);
    expect(given.lease_token).toBeNull();

    // Re-drive: the far side is fixed, the failed ping goes back and is sent.
    far.refuse.delete(broken);
    expect(await redriveFailed(ctx.db, PINGS, { which: sql`1 = 1`, now: now() })).toBe(1);
    loop.nudge();
    await waitFor(async () => (await pings()).every((p) => p.status === 'sent'), { what: 'every ping sent' });
    expect(far.callsOf(broken)).toBe(MAX_FAILURES + 1);

    // The governor held the ping channel to its budget in every one-second slot, and every call had a permit.
    const perSlot = new Map<number, number>();
    for (const at of ping.grantedAt) perSlot.set(Math.floor(at / 1000), (perSlot.get(Math.floor(at / 1000)) ?? 0) + 1);
    expect(Math.max(...perSlot.values())).toBeLessThanOrEqual(RATE);
    expect(perSlot.size).toBeGreaterThanOrEqual(Math.ceil(far.calls.length / RATE));
    expect(ping.grantedAt).toHaveLength(far.calls.length);

    // A stolen lease: a ping is in flight when its lease runs out; another worker claims and sends
    // it. The first worker's settle is fenced out and changes nothing.
    let letGo!: () => void;
    const stolen = await insertPing();
    far.hold.set(stolen, new Promise<void>((r) => (letGo = r)));
    loop.nudge();
    await waitFor(async () => far!.callsOf(stolen) === 1, { what: 'the ping in flight' });
    ping.claims = false;
    offset += ctx.config.worker.leaseMs + 1000;
    const [taken] = await claimDue<PingRow>(ctx.db, dialect, PINGS, {
      which: sql`id = ${stolen}`,
      owner: 'thief',
      leaseToken: 'thief-lease',
      limit: 1,
      leaseMs: ctx.config.worker.leaseMs,
      now: now(),
    });
    expect(taken).toBeDefined();
    expect([
      ...(await writePings(ctx, [{ id: stolen, leaseToken: 'thief-lease', owner: 'thief' }], { kind: 'sent', by: 'thief' }, now())),
    ]).toEqual([stolen]);
    letGo();
    await waitFor(async () => ping.stats.fenced === 1, { what: 'the late settle fenced out' });
    expect((await pings()).find((r) => Number(r.id) === stolen)).toMatchObject({ status: 'sent', sent_by: 'thief', lease_token: null });
    expect(ping.stats).toMatchObject({ sent: 12, retried: 3, failed: 1, fenced: 1 }); // the broken ping: one retry, then given up

    await loop.stop();
    expect(loop.modes.mode).toBe('stopped');
    expect(presaves.stats).toMatchObject({ saved: 3, failed: 0 });
  });
});
