/**
 * The fan-out chaos harness: N pre-saves due at once on PostgreSQL, W `dropday worker` processes,
 * one of them SIGKILLed every few seconds and restarted; the fake service injects 5xx, 429s,
 * connection resets and hangs; the workers' PostgreSQL connections are cut once mid-run. When
 * every pre-save is settled (or the time is up) the checker compares the database with the fake's
 * own record. Used by chaos/fanout.ts (`npm run chaos:fanout`) and test/chaos-fanout.test.ts.
 */
import fs from 'node:fs';
import pg from 'pg';
import { albumUri, artistUri } from '../test/fakes/fanout/server.js';
import {
  countPending,
  DEFAULT_PG_URL,
  execSql,
  makeRunDir,
  openBenchDb,
  resolveCli,
  round,
  seedDatabase,
  sleep,
  startFakeProcess,
  startWorker,
  statusCounts,
  stopChild,
  workerEnv,
  type Child,
} from '../bench/fanout/lib.js';
import { checkCampaign, meetsTargets, type CheckResult } from './checker.js';

export interface ChaosOptions {
  presaves: number;
  db: 'postgres' | 'sqlite';
  workers: number;
  cli?: string;
  pgUrl?: string;
  concurrency: number;
  /** Mean seconds between SIGKILLs (each interval is jittered ±40 %); 0: never kill. */
  killEveryS: number;
  /** Cut every worker's PostgreSQL connection once, when this share of pre-saves is settled (null: never). */
  cutAt: number | null;
  faults: { p5xx: number; p429: number; preset: number; phang: number };
  faultRetryAfterS: number;
  leaseMs: number;
  retryBaseMs: number;
  outboundTimeoutMs: number;
  maxAttempts: number;
  timeoutS: number;
  follow: boolean;
  seed?: number;
  latencyMs: number;
  env: Record<string, string>;
  keep: boolean;
  /** Statements run on the fresh database before the workers start (experiments, e.g. an index). */
  sql: string[];
  log: (line: string) => void;
}

export const CHAOS_DEFAULTS: ChaosOptions = {
  presaves: 100_000,
  db: 'postgres',
  workers: 3,
  concurrency: 32,
  killEveryS: 5,
  cutAt: 0.4,
  faults: { p5xx: 0.05, p429: 0.02, preset: 0.01, phang: 0.01 },
  faultRetryAfterS: 1,
  leaseMs: 5000,
  retryBaseMs: 200,
  outboundTimeoutMs: 2000,
  maxAttempts: 8,
  timeoutS: 5400,
  follow: false,
  latencyMs: 0,
  env: {},
  keep: false,
  sql: [],
  log: () => {},
};

export interface ChaosResult {
  params: Record<string, unknown>;
  check: CheckResult;
  completed: boolean;
  wall_s: number;
  seed_s: number;
  kills: number;
  unexpected_exits: string[];
  connections_cut: number | null;
  counts: Record<string, number>;
  fake: Record<string, unknown>;
  ok: boolean;
}

export async function runChaos(partial: Partial<ChaosOptions>): Promise<ChaosResult> {
  const o: ChaosOptions = { ...CHAOS_DEFAULTS, ...partial, faults: { ...CHAOS_DEFAULTS.faults, ...partial.faults } };
  const cli = resolveCli(o.cli);
  const pgUrl = o.pgUrl ?? DEFAULT_PG_URL;
  const dir = makeRunDir('dropday-chaos-');
  const appName = `dropday-chaos-${process.pid}-${Date.now().toString(36)}`;
  const children = new Set<Child>();
  const params = {
    presaves: o.presaves,
    db: o.db,
    workers: o.workers,
    concurrency: o.concurrency,
    kill_every_s: o.killEveryS,
    cut_at: o.cutAt,
    faults: o.faults,
    fault_retry_after_s: o.faultRetryAfterS,
    lease_ms: o.leaseMs,
    retry_base_ms: o.retryBaseMs,
    outbound_timeout_ms: o.outboundTimeoutMs,
    max_attempts: o.maxAttempts,
    follow_artist: o.follow,
    latency_ms: o.latencyMs,
    seed: o.seed ?? null,
    extra_sql: o.sql,
    cli,
  };

  const fake = await startFakeProcess([
    '--port',
    '0',
    '--latency-ms',
    String(o.latencyMs),
    '--p5xx',
    String(o.faults.p5xx),
    '--p429',
    String(o.faults.p429),
    '--preset',
    String(o.faults.preset),
    '--phang',
    String(o.faults.phang),
    '--fault-retry-after-s',
    String(o.faultRetryAfterS),
    ...(o.seed !== undefined ? ['--seed', String(o.seed)] : []),
  ]);
  children.add(fake);
  try {
    o.log(`fake at ${fake.url}; seeding ${o.presaves} pre-saves on ${o.db} …`);
    const seeded = await seedDatabase({ kind: o.db, n: o.presaves, cli, dir, pgUrl, follow: o.follow });
    o.log(`seeded in ${round(seeded.seedS, 1)} s → ${seeded.info.where}`);
    if (o.sql.length) {
      o.log(`applying ${o.sql.length} extra statement(s): ${o.sql.join('; ')}`);
      await execSql(seeded.info, o.sql, pgUrl);
    }
    const db = openBenchDb(seeded.info, pgUrl);
    const env = workerEnv(seeded.info, `${fake.url}/sandbox`, dir, {
      WORKER_CONCURRENCY: String(o.concurrency),
      WORKER_BATCH_SIZE: String(o.concurrency),
      WORKER_LEASE_MS: String(o.leaseMs),
      WORKER_RETRY_BASE_MS: String(o.retryBaseMs),
      WORKER_MAX_ATTEMPTS: String(o.maxAttempts),
      WORKER_POLL_MS: '200',
      WORKER_IDLE_MS: '1000',
      OUTBOUND_TIMEOUT_MS: String(o.outboundTimeoutMs),
      PGAPPNAME: appName,
      ...o.env,
    });

    const unexpectedExits: string[] = [];
    let stopping = false;
    let serial = 0;
    const live: Child[] = [];
    const killedByUs = new WeakSet<Child>();
    const launch = async (): Promise<Child> => {
      const w = await startWorker(cli, env, dir, `worker${++serial}`);
      children.add(w);
      live.push(w);
      void w.exited.then(({ code, signal }) => {
        const i = live.indexOf(w);
        if (i >= 0) live.splice(i, 1);
        children.delete(w);
        if (!stopping && !killedByUs.has(w)) {
          unexpectedExits.push(`${w.name} exited by itself (${code ?? signal}): ${w.tail().split('\n').slice(-40).join('\n')}`);
          o.log(`!! ${w.name} exited by itself (${code ?? signal}); restarting it`);
          void launch();
        }
      });
      return w;
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: o.workers }, () => launch()));
    o.log(
      `${o.workers} workers running; chaos begins (SIGKILL every ~${o.killEveryS} s, connections cut at ${o.cutAt === null ? 'never' : `${o.cutAt * 100}%`})`,
    );

    const jitter = () => o.killEveryS * 1000 * (0.6 + 0.8 * Math.random());
    let nextKill = o.killEveryS > 0 ? Date.now() + jitter() : Infinity;
    let kills = 0;
    let cut: number | null = null;
    let pending = o.presaves;
    let lastLog = Date.now();
    let completed = false;
    while (Date.now() - started < o.timeoutS * 1000) {
      await sleep(500);
      pending = await countPending(db).catch(() => pending);
      if (pending === 0) {
        completed = true;
        break;
      }
      const settled = o.presaves - pending;
      if (o.cutAt !== null && cut === null && o.db === 'postgres' && settled >= o.cutAt * o.presaves) {
        cut = await cutConnections(pgUrl, appName);
        o.log(`cut ${cut} PostgreSQL connections of the workers (at ${settled}/${o.presaves} settled)`);
      }
      if (Date.now() >= nextKill && live.length) {
        const victim = live[Math.floor(Math.random() * live.length)]!;
        killedByUs.add(victim);
        victim.child.kill('SIGKILL');
        await victim.exited;
        kills++;
        await launch();
        nextKill = Date.now() + jitter();
      }
      if (Date.now() - lastLog >= 10_000) {
        lastLog = Date.now();
        o.log(`  settled ${settled}/${o.presaves}, ${kills} kills, ${unexpectedExits.length} unexpected exits`);
      }
    }
    const wallS = (Date.now() - started) / 1000;
    stopping = true;
    await Promise.all([...live].map((w) => stopChild(w)));
    o.log(`${completed ? 'all settled' : 'TIMED OUT'} after ${round(wallS, 1)} s; ${kills} kills; checking …`);

    const counts = await statusCounts(db);
    const fakeStats = await fake.client.stats();
    const check = await checkCampaign({
      db,
      campaignId: seeded.info.campaignId,
      library: fake.client.library(),
      albumUri: albumUri(),
      artistUri: artistUri(),
    });
    if (!o.keep) await db.drop().catch(() => {});
    else await db.close();
    return {
      params,
      check,
      completed,
      wall_s: round(wallS, 1),
      seed_s: round(seeded.seedS, 1),
      kills,
      unexpected_exits: unexpectedExits,
      connections_cut: cut,
      counts,
      fake: {
        requests: fakeStats.requests,
        routes: fakeStats.routes,
        fault_429: fakeStats.fault_429,
        retry_after: fakeStats.retry_after,
        refreshes: fakeStats.refreshes,
        library: fakeStats.library,
      },
      ok: completed && meetsTargets(check),
    };
  } finally {
    for (const c of children) await stopChild(c, 3000).catch(() => {});
    if (!o.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Terminates every PostgreSQL backend of our workers (they connect with application_name = appName). */
async function cutConnections(pgUrl: string, appName: string): Promise<number> {
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  try {
    const r = await admin.query<{ n: string }>(
      `SELECT count(*) AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = $1 AND datname = current_database() AND pid <> pg_backend_pid()) t`,
      [appName],
    );
    return Number(r.rows[0]!.n);
  } finally {
    await admin.end();
  }
}
