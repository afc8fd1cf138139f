/**
 * Release-day fan-out benchmark.
 *
 *   npm run bench:fanout -- --presaves 1000000 --db sqlite|postgres --workers 2 [--latency-ms L] [--rate-limit R/30s]
 *
 * Seeds a campaign offering the Sandbox and N pre-saves all due now, starts the fan-out fake
 * (test/fakes/fanout) and W `dropday worker` processes pointed at it, and measures the wall time
 * from the first provider request to the last settle, saves/s, each worker's peak RSS and where
 * the CPU went (workers, PostgreSQL, fake). Then, in the same run, the BASELINE: the same
 * provider calls (save + contains per pre-save) through the engine's own adapter, with the same
 * total concurrency and no database → `ratio = saves_per_s / baseline_saves_per_s`.
 * With --rate-limit the fake enforces a rolling window; the run reports utilisation (achieved
 * requests/s ÷ allowed), 429s and requests sent inside a Retry-After window, and how fast fans'
 * libraries filled: the pre-saves fall due a few seconds after seeding, while the workers are
 * already waiting (release night), and `saved_99_s` is the time from that moment until 99 % of
 * the fans had the album in their library by the fake's own record; `ideal_s` = N ÷ (R/30), one
 * write per fan at the full rate; `saved_99_ratio` = saved_99_s ÷ ideal_s; `verified_100_s` the
 * time until the last pre-save was verified and counted saved.
 * Progress goes to stderr; stdout ends with ONE JSON line of results.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { albumUri, artistUri, parseRateLimit } from '../../test/fakes/fanout/server.js';
import {
  countPending,
  execSql,
  log,
  machineInfo,
  makeRunDir,
  openBenchDb,
  postgresVersion,
  resolveCli,
  round,
  Sampler,
  seedDatabase,
  sleep,
  spawnChild,
  startFakeProcess,
  startWorker,
  statusCounts,
  stopChild,
  tsxArgs,
  workerEnv,
  ROOT,
  DEFAULT_PG_URL,
  type Child,
} from './lib.js';

const { values } = parseArgs({
  options: {
    presaves: { type: 'string', default: '100000' },
    db: { type: 'string', default: 'sqlite' },
    workers: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '128' },
    'batch-size': { type: 'string' },
    'latency-ms': { type: 'string', default: '0' },
    'rate-limit': { type: 'string' },
    /** What the engine is told (RATE_LIMITS); default: the same as the fake enforces. `none`: let it learn from 429s. */
    'engine-rate-limit': { type: 'string' },
    'baseline-presaves': { type: 'string', default: '200000' },
    'no-baseline': { type: 'boolean', default: false },
    follow: { type: 'boolean', default: false },
    cli: { type: 'string' },
    'pg-url': { type: 'string', default: DEFAULT_PG_URL },
    'timeout-s': { type: 'string', default: '5400' },
    keep: { type: 'boolean', default: false },
    env: { type: 'string', multiple: true, default: [] },
    /** Statements run after seeding, before the workers start: experiments such as a missing index. */
    sql: { type: 'string', multiple: true, default: [] },
    /** Extra node arguments for the workers, e.g. --worker-node-arg=--cpu-prof --worker-node-arg=--cpu-prof-dir=/tmp/prof. */
    'worker-node-arg': { type: 'string', multiple: true, default: [] },
  },
});

const n = Number(values.presaves);
const kind = values.db as 'sqlite' | 'postgres';
if (kind !== 'sqlite' && kind !== 'postgres') throw new Error('--db must be sqlite or postgres');
const workers = Number(values.workers);
const concurrency = Number(values.concurrency);
const batchSize = Number(values['batch-size'] ?? concurrency);
const latencyMs = Number(values['latency-ms']);
const rateLimit = values['rate-limit'] ? parseRateLimit(values['rate-limit']) : null;
const engineRate = values['engine-rate-limit'] ?? values['rate-limit'] ?? 'none';
const cli = resolveCli(values.cli);
const extraEnv = Object.fromEntries(
  values.env.map((kv) => {
    const i = kv.indexOf('=');
    return [kv.slice(0, i), kv.slice(i + 1)];
  }),
);
const workerSettings: Record<string, string> = {
  WORKER_CONCURRENCY: String(concurrency),
  WORKER_BATCH_SIZE: String(Math.min(1000, batchSize)),
  ...(engineRate !== 'none' ? { RATE_LIMITS: `sandbox=${engineRate}` } : {}),
  ...extraEnv,
};
const runBaseline = !values['no-baseline'] && !rateLimit;
const baselineN = Math.min(n, Number(values['baseline-presaves']));

const params = {
  presaves: n,
  db: kind,
  workers,
  concurrency,
  batch_size: batchSize,
  latency_ms: latencyMs,
  rate_limit: values['rate-limit'] ?? null,
  engine_rate_limit: engineRate,
  follow_artist: values.follow,
  baseline_presaves: runBaseline ? baselineN : 0,
  cli: path.relative(ROOT, cli) || cli,
  extra_sql: values.sql,
  worker_env: workerSettings,
  machine: { ...machineInfo(), postgres: kind === 'postgres' ? await postgresVersion(values['pg-url']) : null },
};
process.stdout.write(`params ${JSON.stringify(params)}\n`);

const dir = makeRunDir('dropday-bench-');
const children: Child[] = [];
const cleanup = async () => {
  for (const c of children) await stopChild(c, 3000).catch(() => {});
};
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

const fakeArgs = [
  '--port',
  '0',
  '--latency-ms',
  String(latencyMs),
  ...(values['rate-limit'] ? ['--rate-limit', values['rate-limit']] : []),
];
const fake = await startFakeProcess(fakeArgs);
children.push(fake);
log(`fake at ${fake.url} (pid ${fake.pid}); seeding ${n} pre-saves on ${kind} …`);

// Rate-limit mode measures from the due moment: it must come after the workers are up.
const dueInMs = rateLimit ? 30_000 + Math.ceil(n / 2) : undefined;
let lastLog = 0;
const seeded = await seedDatabase({
  ...(dueInMs !== undefined ? { dueInMs } : {}),
  kind,
  n,
  cli,
  dir,
  pgUrl: values['pg-url'],
  follow: values.follow,
  onProgress: (done) => {
    if (Date.now() - lastLog > 5000) {
      lastLog = Date.now();
      log(`  seeded ${done}/${n}`);
    }
  },
});
log(`seeded in ${round(seeded.seedS, 1)} s (+${round(seeded.migrateS, 1)} s migrate) → ${seeded.info.where}`);
if (values.sql.length) {
  log(`applying ${values.sql.length} extra statement(s): ${values.sql.join('; ')}`);
  await execSql(seeded.info, values.sql, values['pg-url']);
}
const db = openBenchDb(seeded.info, values['pg-url']);

// ——— the engine ———
const sampler = new Sampler(500);
sampler.track('fake', fake.pid, 'fake');
sampler.track('bench', process.pid, 'bench');
sampler.start();
const startedAt = Date.now();
const ws = await Promise.all(
  Array.from({ length: workers }, (_, i) =>
    startWorker(cli, workerEnv(seeded.info, `${fake.url}/sandbox`, dir, workerSettings), dir, `worker${i + 1}`, values['worker-node-arg']),
  ),
);
for (const w of ws) {
  children.push(w);
  sampler.track(w.name, w.pid, 'workers');
}
log(`${workers} workers running (pids ${ws.map((w) => w.pid).join(', ')}); waiting for every pre-save to settle …`);
const workersReadyBeforeDue = Date.now() <= seeded.dueAt;
if (rateLimit)
  log(
    `the pre-saves fall due ${workersReadyBeforeDue ? 'in' : 'LATE, the workers started'} ${round(Math.abs(seeded.dueAt - Date.now()) / 1000, 1)} s`,
  );

let crashed = null as string | null;
let stopping = false;
for (const w of ws)
  void w.exited.then(({ code, signal }) => {
    if (!stopping) crashed ??= `${w.name} exited (${code ?? signal}):\n${w.tail()}`;
  });
const loadBefore = os.loadavg();

const timeoutMs = Number(values['timeout-s']) * 1000;
const rssAtProgress: Record<string, number> = {};
let pending = n;
let lastProgress = { t: Date.now(), settled: 0 };
let timedOut = false;
// Counting pending rows costs the database an index scan: poll less often on big runs (the end
// time comes from max(updated_at), not from when the poll noticed).
const pollMs = Math.min(5000, Math.max(1000, n / 200));
while (!crashed) {
  await sleep(pollMs);
  pending = await countPending(db);
  const settled = n - pending;
  const decile = Math.floor((settled / n) * 10) * 10;
  if (decile > 0 && rssAtProgress[`${decile}%`] === undefined) {
    rssAtProgress[`${decile}%`] = round(Math.max(...ws.map((w) => (sampler.lastRssKb.get(w.name) ?? 0) / 1024)), 1);
  }
  if (pending === 0) break;
  if (Date.now() - lastProgress.t >= 10_000) {
    const rate = (settled - lastProgress.settled) / ((Date.now() - lastProgress.t) / 1000);
    const rss = ws.map((w) => `${round((sampler.lastRssKb.get(w.name) ?? 0) / 1024, 0)}`).join('/');
    log(`  settled ${settled}/${n} (${round(rate, 0)}/s now; worker RSS MB ${rss})`);
    lastProgress = { t: Date.now(), settled };
  }
  if (Date.now() - startedAt > timeoutMs) {
    timedOut = true;
    break;
  }
}
if (crashed) log(`a worker crashed: ${crashed}`);

const fakeStats = await fake.client.stats();
const k99 = Math.ceil(0.99 * n);
const firstSaved = rateLimit ? await fake.client.firstSavedAt([k99, n]) : null;
const lastVerified = Number((await db.all<{ t: number | string | null }>(`SELECT max(saved_at) AS t FROM presaves`))[0]!.t ?? 0);
const counts = await statusCounts(db);
const lastSettle = Number((await db.all<{ t: number | string }>(`SELECT max(updated_at) AS t FROM presaves`))[0]!.t);
for (const w of ws) {
  sampler.sample();
  sampler.untrack(w.name);
}
stopping = true;
for (const w of ws) await stopChild(w);
sampler.stop();
const loadAfter = os.loadavg();
const engineEndedAt = Date.now();
const firstRequest = fakeStats.first_request_at ?? startedAt;
const wallS = Math.max(0.001, (lastSettle - firstRequest) / 1000);
const saved = counts.saved ?? 0;
const savesPerS = saved / wallS;
const workerPeaks = Object.fromEntries(ws.map((w) => [w.name, sampler.peakMb(w.name)]));
const peakRss = Math.max(...Object.values(workerPeaks));
const cpu = sampler.cpuSeconds();
log(
  `engine: ${saved} saved in ${round(wallS, 1)} s = ${round(savesPerS, 0)} saves/s; peak worker RSS ${peakRss} MB; CPU s ${JSON.stringify(cpu)}`,
);

// ——— the baseline ———
let baseline: {
  presaves: number;
  wall_s: number;
  saves_per_s: number;
  errors: number;
  cpu_s: Record<string, number>;
  peak_rss_mb: number;
} | null = null;
if (runBaseline && !crashed) {
  await fake.client.reset();
  const bs = new Sampler(500);
  bs.track('fake', fake.pid, 'fake');
  const per = Math.ceil(baselineN / workers);
  const procs = await Promise.all(
    Array.from({ length: workers }, (_, i) => {
      const from = i * per + 1;
      const to = Math.min(baselineN, (i + 1) * per);
      return spawnChild(
        `baseline${i + 1}`,
        process.execPath,
        tsxArgs('bench/fanout/baseline-worker.ts', [
          '--base',
          `${fake.url}/sandbox`,
          '--from',
          String(from),
          '--to',
          String(to),
          '--concurrency',
          String(concurrency),
          '--adapter',
          path.join(path.dirname(cli), 'providers/sandbox/adapter.js'),
          '--album',
          albumUri(),
          ...(values.follow ? ['--artist', artistUri()] : []),
        ]),
        { env: { ...process.env, NODE_ENV: 'production' }, cwd: ROOT, stdin: true },
      );
    }),
  );
  for (const p of procs) {
    children.push(p);
    bs.track(p.name, p.pid, 'baseline');
  }
  log(`baseline: ${baselineN} pre-saves, ${workers} processes × ${concurrency} concurrent, no database …`);
  await sleep(500);
  bs.start();
  for (const p of procs) p.child.stdin!.end('go\n');
  const results: { started: number; ended: number; saves: number; errors: number }[] = [];
  for (const p of procs) {
    await p.exited;
    const line = p
      .tail()
      .split('\n')
      .find((l) => l.startsWith('BASELINE_RESULT '));
    if (!line) throw new Error(`${p.name} gave no result:\n${p.tail()}`);
    results.push(JSON.parse(line.slice('BASELINE_RESULT '.length)));
  }
  bs.stop();
  const bWall = (Math.max(...results.map((r) => r.ended)) - Math.min(...results.map((r) => r.started))) / 1000;
  const bSaves = results.reduce((a, r) => a + r.saves, 0);
  baseline = {
    presaves: baselineN,
    wall_s: round(bWall, 2),
    saves_per_s: round(bSaves / bWall, 1),
    errors: results.reduce((a, r) => a + r.errors, 0),
    cpu_s: bs.cpuSeconds(),
    peak_rss_mb: Math.max(...procs.map((p) => bs.peakMb(p.name))),
  };
  log(`baseline: ${bSaves} saves in ${round(bWall, 1)} s = ${round(bSaves / bWall, 0)} saves/s`);
}

// ——— results ———
const { machine: _machine, worker_env: _workerEnv, ...paramsNoMachine } = params;
const spanS = fakeStats.first_request_at && fakeStats.last_request_at ? (fakeStats.last_request_at - fakeStats.first_request_at) / 1000 : 0;
const allowedPerS = rateLimit ? rateLimit.max / (rateLimit.windowMs / 1000) : null;
const achievedPerS = spanS ? fakeStats.accepted_requests / spanS : 0;
const sinceDue = (t: number | null | undefined) => (t ? round((t - seeded.dueAt) / 1000, 2) : null);
const saved99S = sinceDue(firstSaved?.at[String(k99)]);
const idealS = allowedPerS ? n / allowedPerS : null;
const saved99Ratio = saved99S !== null && idealS ? round(saved99S / idealS, 3) : null;
const result = {
  bench: 'fanout',
  ...paramsNoMachine,
  db_where: seeded.info.where,
  seed_s: round(seeded.seedS, 1),
  seed_rows_per_s: round(n / seeded.seedS, 0),
  completed: pending === 0,
  timed_out: timedOut,
  crashed: crashed ? crashed.split('\n')[0] : null,
  counts,
  wall_s: round(wallS, 2),
  saves_per_s: round(savesPerS, 1),
  baseline,
  ratio: baseline ? round(savesPerS / baseline.saves_per_s, 3) : null,
  peak_rss_mb: workerPeaks,
  peak_rss_max_mb: peakRss,
  worker_rss_mb_at_progress: rssAtProgress,
  fake_peak_rss_mb: sampler.peakMb('fake'),
  cpu_s: cpu,
  machine_busy: sampler.machineBusy(),
  /** Other work on the machine skews a run: the load averages around it, and our own processes' share of the CPU. */
  loadavg_1m: { before: round(loadBefore[0]!, 2), after: round(loadAfter[0]!, 2) },
  own_cpu_share: round(Object.values(cpu).reduce((a, b) => a + b, 0) / (((engineEndedAt - startedAt) / 1000) * os.cpus().length), 3),
  requests: {
    total: fakeStats.requests,
    per_saved: saved ? round(fakeStats.requests / saved, 3) : null,
    by_route: Object.fromEntries(Object.entries(fakeStats.routes).map(([k, v]) => [k, v.n])),
    rate_limited_429: fakeStats.rate_limited_429,
    fault_429: fakeStats.fault_429,
    retry_after_windows: fakeStats.retry_after.windows_announced,
    in_retry_after_window: fakeStats.retry_after.requests_in_window,
    in_retry_after_window_after_grace: fakeStats.retry_after.requests_in_window_after_grace,
    repeat_puts: fakeStats.library.repeat_puts,
  },
  utilisation: allowedPerS ? round(achievedPerS / allowedPerS, 3) : null,
  achieved_requests_per_s: round(achievedPerS, 1),
  allowed_requests_per_s: allowedPerS ? round(allowedPerS, 2) : null,
  max_accepted_in_window: fakeStats.max_accepted_in_window,
  saved_99_s: saved99S,
  ideal_s: idealS !== null ? round(idealS, 2) : null,
  saved_99_ratio: saved99Ratio,
  saved_100_s: sinceDue(firstSaved?.at[String(n)]),
  verified_100_s: rateLimit && (counts.saved ?? 0) === n ? sinceDue(lastVerified) : null,
  workers_ready_before_due: rateLimit ? workersReadyBeforeDue : null,
  targets: {
    ratio_ge_0_7: baseline ? savesPerS / baseline.saves_per_s >= 0.7 : null,
    rss_le_300mb: peakRss <= 300,
    utilisation_ge_0_9: allowedPerS ? achievedPerS / allowedPerS >= 0.9 : null,
    utilisation_ge_0_95: allowedPerS ? achievedPerS / allowedPerS >= 0.95 : null,
    saved_99_ratio_le_1_1: saved99Ratio !== null ? saved99Ratio <= 1.1 : null,
    zero_in_retry_after_window: rateLimit ? fakeStats.retry_after.requests_in_window === 0 : null,
  },
  machine: params.machine,
};
if (!values.keep) await db.drop().catch(() => {});
else await db.close();
await stopChild(fake);
if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(crashed || timedOut ? 1 : 0);
