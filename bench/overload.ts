/**
 * `npm run bench:overload`: the campaign page beyond its capacity. Starts the real server
 * (`dropday serve` as a child process, worker running, SQLite by default or `--db postgres`),
 * seeds a campaign, finds the page's capacity with a closed loop on the server with the overload
 * guard off (the rate at which it saturates), runs the highest level there (the server as it was
 * before the guard), then restarts it as configured and offers 1×, 2× and 4× that rate with an
 * open loop (constant arrival rate, so overload is real), while a separate probe opens a FRESH
 * connection every `--probe-interval-ms` and times a new visitor's answer (200 or 503). After
 * each level it measures recovery: the time from the end of the load until fresh visitors get a
 * normal 200 again.
 *
 * Prints its parameters first and ends with ONE JSON line. The capacity measured in the same run
 * is the baseline every level is a multiple of; the unguarded run is the comparison.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createCampaign } from '../src/campaigns/service.js';
import { createContext } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { freePort } from '../test/helpers/server.js';
import { resolveCli, ROOT } from './fanout/lib.js';
import { probeOnce, startFreshProbe, summarizeProbe, type ProbeSample } from './lib/fresh-probe.js';
import { runOpenLoop, type OpenLoopResult } from './lib/open-loop.js';
import { parseParams, printParams, progress } from './lib/params.js';
import { percentiles, round, writeResult } from './lib/results.js';

const params = parseParams('bench/overload.ts', {
  db: { default: 'sqlite', help: 'database', choices: ['sqlite', 'postgres'] },
  databaseUrl: {
    default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    help: 'PostgreSQL server for --db postgres (a fresh schema is created and dropped)',
  },
  levels: { default: '1,2,4', help: 'multiples of the measured capacity to offer, in order' },
  levelSeconds: { default: 10, help: 'seconds of load at each level' },
  capacitySeconds: { default: 6, help: 'seconds of the closed loop that measures capacity' },
  capacityConcurrency: { default: 32, help: 'requests outstanding while measuring capacity (guard off)' },
  connections: { default: 400, help: 'keep-alive connections the open-loop client may open' },
  probeIntervalMs: { default: 100, help: 'a fresh-connection visitor every this many ms' },
  timeoutMs: { default: 30_000, help: 'a request or probe with no answer after this long counts as a timeout' },
  recoveryTimeoutS: { default: 60, help: 'give up waiting for recovery after this long' },
  logLevel: { default: 'info', help: "the server's LOG_LEVEL (info is the production default)" },
  cli: { default: 'dist/cli.js', help: 'the built CLI to run (npm run build first)' },
  unguarded: {
    default: true,
    help: 'also run the highest level with every overload limit off (the server before the guard), for comparison',
  },
  keep: { default: false, help: 'keep the data directory (and server log) afterwards' },
});
const shownParams = { ...params, databaseUrl: params.databaseUrl.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@') };
printParams('bench/overload.ts', shownParams);

const levels = params.levels.split(',').map(Number);
if (levels.some((l) => !(l > 0))) throw new Error(`--levels must be positive numbers (got ${params.levels})`);

const SLUG = 'overload-bench';
/** Every limit of src/web/overload off: the server as it was before the guard. */
const UNGUARDED_ENV = {
  OVERLOAD_TURN_BUDGET_MS: '0',
  OVERLOAD_MAX_QUEUE_MS: '0',
  OVERLOAD_MAX_IN_FLIGHT: '0',
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
  OVERLOAD_MAX_EVENT_LOOP_UTILIZATION: '0',
  OVERLOAD_MAX_HEAP_MB: '0',
  OVERLOAD_MAX_RSS_MB: '0',
};
const PAGE_HEADERS = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'accept-language': 'en-GB,en;q=0.8',
  accept: 'text/html',
};

/** CPU seconds the child has used so far (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

async function waitForHealth(url: string, child: ChildProcess, logFile: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null)
      throw new Error(`the server exited (${child.exitCode}):\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    const s = await probeOnce(`${url}/healthz`, 1000);
    if (s.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not become healthy in 60 s');
}

/**
 * Recovery: after the load stops, a fresh visitor every 100 ms; recovered at the first of three
 * consecutive normal answers (200 within `normalMs`, the idle figure with headroom).
 */
async function measureRecovery(url: string, normalMs: number, stoppedAt: number): Promise<number | null> {
  let run = 0;
  let firstOfRun = 0;
  while (performance.now() - stoppedAt < params.recoveryTimeoutS * 1000) {
    const sentAt = performance.now();
    const s = await probeOnce(url, 5000);
    if (s.status === 200 && s.answerMs !== null && s.answerMs <= normalMs) {
      if (run++ === 0) firstOfRun = sentAt;
      if (run >= 3) return round((firstOfRun - stoppedAt) / 1000);
    } else run = 0;
    const wait = 100 - (performance.now() - sentAt);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return null;
}

interface LevelFigures {
  multiple: number;
  offered_rps: number;
  answered_rps: number;
  ok_rps: number;
  rate_503: number;
  p50_ms: number;
  p99_ms: number;
  ok_p99_ms: number;
  timeouts: number;
  errors: number;
  new_visitor_p50_ms: number;
  new_visitor_p99_ms: number;
  new_visitor_max_ms: number;
  new_visitor_connect_p99_ms: number;
  new_visitor_timeouts: number;
  new_visitor_503: number;
  server_cpu: number;
  server_rss_mib: number;
  recovery_s: number | null;
}

function figures(
  multiple: number,
  load: OpenLoopResult,
  probe: ProbeSample[],
  cpu: number,
  rss: number,
  recovery: number | null,
): LevelFigures {
  const p = summarizeProbe(probe, params.timeoutMs);
  const refused = load.statuses['503'] ?? 0;
  return {
    multiple,
    offered_rps: Math.round(load.offeredRps),
    answered_rps: load.answeredRps,
    ok_rps: load.okRps,
    rate_503: round(refused / Math.max(1, load.sent), 3),
    p50_ms: load.latencyMs.p50,
    p99_ms: load.latencyMs.p99,
    ok_p99_ms: load.okLatencyMs.p99,
    timeouts: load.timeouts,
    errors: load.errors,
    new_visitor_p50_ms: p.answerMs.p50,
    new_visitor_p99_ms: p.answerMs.p99,
    new_visitor_max_ms: p.answerMs.max,
    new_visitor_connect_p99_ms: p.connectMs.p99,
    new_visitor_timeouts: p.timeouts,
    new_visitor_503: p.statuses['503'] ?? 0,
    server_cpu: cpu,
    server_rss_mib: rss,
    recovery_s: recovery,
  };
}

async function main(): Promise<void> {
  const cli = resolveCli(params.cli);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dropday-overload-'));
  const schema = params.db === 'postgres' ? `bench_${randomBytes(5).toString('hex')}` : undefined;
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    LOG_LEVEL: params.logLevel,
    DEMO: 'false',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    ...(params.db === 'postgres'
      ? { DATABASE_URL: params.databaseUrl, DATABASE_SCHEMA: schema! }
      : { DATABASE_URL: `sqlite:${path.join(dataDir, 'bench.sqlite')}` }),
  };
  // Seed through the app's own code (migrations included), then hand the database to the server.
  const ctx = await createContext(loadConfig(env));
  await createCampaign(
    { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
    {
      slug: SLUG,
      artistName: 'Overload Artist',
      title: 'Launch Night',
      upc: '036000291452',
      releaseAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      timing: 'global',
      services: ['sandbox'],
    },
  );
  await ctx.close();

  const logFile = path.join(dataDir, 'server.log');
  const logFd = fs.openSync(logFile, 'w');
  const origin = `http://127.0.0.1:${port}`;
  const pageUrl = `${origin}/${SLUG}`;
  const out: Record<string, unknown> = { db: params.db, log_level: params.logLevel };
  let server: ChildProcess | null = null;

  /** `dropday serve` on the seeded database, healthy and warmed up. */
  const startServer = async (extraEnv: Record<string, string>): Promise<ChildProcess> => {
    // stdout (the request log) goes nowhere: a pipe read by this process would slow the server
    // down when this process is busy; stderr is kept for a failure report.
    const child = spawn(process.execPath, [cli, 'serve'], {
      cwd: ROOT,
      env: { ...process.env, ...env, ...extraEnv },
      stdio: ['ignore', params.keep ? logFd : 'ignore', logFd],
    });
    server = child;
    await waitForHealth(origin, child, logFile);
    progress(`server ${child.pid} up at ${origin}${Object.keys(extraEnv).length ? ` with ${JSON.stringify(extraEnv)}` : ''}; warming up`);
    await runOpenLoop({
      origin,
      path: `/${SLUG}`,
      concurrency: 16,
      durationMs: 2000,
      connections: 16,
      timeoutMs: 5000,
      headers: PAGE_HEADERS,
    });
    return child;
  };
  const stopServer = async () => {
    const child = server;
    server = null;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await new Promise((r) => child.once('exit', r));
    clearTimeout(killer);
  };

  /** One level: the open loop at `rate` with the fresh-connection probe beside it, then recovery. */
  const runLevel = async (pid: number, multiple: number, rate: number, normalMs: number): Promise<LevelFigures> => {
    progress(`${multiple}×: ${rate} req/s for ${params.levelSeconds} s, a fresh visitor every ${params.probeIntervalMs} ms`);
    const c0 = cpuSeconds(pid);
    const t0 = performance.now();
    const probe = startFreshProbe(pageUrl, { intervalMs: params.probeIntervalMs, timeoutMs: params.timeoutMs });
    const loadDone = runOpenLoop({
      origin,
      path: `/${SLUG}`,
      rate,
      durationMs: params.levelSeconds * 1000,
      connections: params.connections,
      timeoutMs: params.timeoutMs,
      headers: PAGE_HEADERS,
    });
    // The probe stops with the offered load; recovery is timed from that moment.
    await new Promise((r) => setTimeout(r, params.levelSeconds * 1000));
    const stoppedAt = performance.now();
    const cpu = round((cpuSeconds(pid) - c0) / ((stoppedAt - t0) / 1000));
    const rss = rssMiB(pid);
    const probeSamples = probe.stop();
    const recovery = await measureRecovery(pageUrl, normalMs, stoppedAt);
    const level = figures(multiple, await loadDone, await probeSamples, cpu, rss, recovery);
    progress(JSON.stringify(level));
    // Let the server settle completely before the next level.
    await new Promise((r) => setTimeout(r, 2000));
    return level;
  };

  try {
    // Capacity is the server's own, so it is measured with the guard off (a refusal is not
    // capacity); the same server then takes the highest level unguarded, for comparison.
    const rawPid = (await startServer(UNGUARDED_ENV)).pid!;
    const idle: number[] = [];
    while (idle.length < 30) {
      const s = await probeOnce(pageUrl, 5000);
      if (s.status !== 200) throw new Error(`the page answered ${s.status} when idle`);
      idle.push(s.answerMs!);
    }
    const idleMs = percentiles(idle);
    const normalMs = Math.max(50, 3 * idleMs.p99);
    progress(`idle new visitor: p50 ${idleMs.p50} ms, p99 ${idleMs.p99} ms; "normal" after overload: 200 within ${normalMs} ms`);

    const cpu0 = cpuSeconds(rawPid);
    const cap = await runOpenLoop({
      origin,
      path: `/${SLUG}`,
      concurrency: params.capacityConcurrency,
      durationMs: params.capacitySeconds * 1000,
      connections: params.capacityConcurrency,
      timeoutMs: params.timeoutMs,
      headers: PAGE_HEADERS,
    });
    const capCpu = round((cpuSeconds(rawPid) - cpu0) / cap.seconds);
    const capacity = cap.okRps;
    if (!(capacity > 0)) throw new Error(`no 200s while measuring capacity: ${JSON.stringify(cap.statuses)}`);
    progress(
      `capacity: ${capacity} req/s (closed loop, ${params.capacityConcurrency} outstanding; p99 ${cap.latencyMs.p99} ms; server CPU ${capCpu}; statuses ${JSON.stringify(cap.statuses)})`,
    );
    Object.assign(out, {
      capacity_rps: capacity,
      capacity_p99_ms: cap.latencyMs.p99,
      capacity_server_cpu: capCpu,
      idle_new_visitor_p99_ms: idleMs.p99,
    });
    const top = Math.max(...levels);
    const unguarded = params.unguarded ? await runLevel(rawPid, top, Math.round(capacity * top), normalMs) : null;
    await stopServer();

    const pid = (await startServer({})).pid!;
    const perLevel: LevelFigures[] = [];
    for (const multiple of levels) perLevel.push(await runLevel(pid, multiple, Math.round(capacity * multiple), normalMs));
    const at4 = perLevel.find((l) => l.multiple === 4) ?? perLevel[perLevel.length - 1]!;
    Object.assign(out, {
      p99_ms_at_4x: at4.p99_ms,
      new_visitor_p99_ms_at_4x: at4.new_visitor_p99_ms,
      rate_503_at_4x: at4.rate_503,
      recovery_s: at4.recovery_s,
      targets: { new_visitor_p99_ms_at_4x: 1000, recovery_s: 10 },
      targets_met: at4.new_visitor_p99_ms <= 1000 && at4.recovery_s !== null && at4.recovery_s <= 10,
      levels: perLevel,
      ...(unguarded
        ? {
            unguarded,
            new_visitor_p99_ratio_guarded_to_unguarded: round(at4.new_visitor_p99_ms / Math.max(1, unguarded.new_visitor_p99_ms), 3),
          }
        : {}),
    });
  } finally {
    await stopServer();
    fs.closeSync(logFd);
    if (schema) {
      const client = new pg.Client({ connectionString: params.databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
    if (!params.keep) fs.rmSync(dataDir, { recursive: true, force: true });
    else progress(`kept ${dataDir}`);
  }
  writeResult('overload', out);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
