/**
 * Release-day "out now" benchmark.
 *
 *   npm run bench:messages -- --contacts 100000 [--db sqlite|postgres] [--workers 2] [--concurrency 64]
 *       [--smtp-pool 5] [--smtp-rate R] [--push-share 0.5] [--no-baseline] [--cli dist/cli.js] [--timeout-s 3600]
 *
 * Seeds one campaign, out now, with N recipients — half confirmed email contacts, half web push
 * subscriptions (--push-share) — each with a standing "remind me" consent and its "out now" message
 * due, starts the sinks (bench/messages/sinks.ts: a real SMTP server and a push service that checks
 * VAPID and decrypts every payload) and W `dropday worker` processes, and measures from the first
 * delivery to the last: `messages_per_s`, each worker's peak RSS and its RSS over the run (flat or
 * growing). Then, in the same run, the BASELINE: W bare loops (bench/messages/baseline-worker.ts)
 * sending the same messages through the same composition, SMTP pool and push sender, with the same
 * concurrency and no database → `ratio = messages_per_s / baseline_messages_per_s` (target ≥ 0.7).
 * With --smtp-rate R the workers are told SMTP_RATE=R and the run reports the achieved mail rate
 * ÷ R as `utilisation` (target ≥ 0.9; the baseline is skipped: a rate-bound run has no bare twin).
 * Progress goes to stderr; stdout ends with ONE JSON line of results.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import webpush from 'web-push';
import {
  DEFAULT_PG_URL,
  log,
  machineInfo,
  makeRunDir,
  openBenchDb,
  postgresVersion,
  resolveCli,
  round,
  ROOT,
  Sampler,
  sleep,
  spawnChild,
  startWorker,
  stopChild,
  tsxArgs,
  workerEnv,
  type Child,
} from '../fanout/lib.js';
import { seedReach } from './seed.js';

const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '100000' },
    db: { type: 'string', default: 'sqlite' },
    workers: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '64' },
    'smtp-pool': { type: 'string', default: '5' },
    'smtp-rate': { type: 'string' },
    'push-share': { type: 'string', default: '0.5' },
    'no-baseline': { type: 'boolean', default: false },
    cli: { type: 'string' },
    'pg-url': { type: 'string', default: DEFAULT_PG_URL },
    'timeout-s': { type: 'string', default: '3600' },
    keep: { type: 'boolean', default: false },
  },
});

const n = Number(values.contacts);
const kind = values.db as 'sqlite' | 'postgres';
if (kind !== 'sqlite' && kind !== 'postgres') throw new Error('--db must be sqlite or postgres');
const workers = Number(values.workers);
const concurrency = Number(values.concurrency);
const pushN = Math.round(n * Number(values['push-share']));
const mailN = n - pushN;
const smtpRate = values['smtp-rate'] ? Number(values['smtp-rate']) : null;
const cli = resolveCli(values.cli);
const vapid = webpush.generateVAPIDKeys();
const runBaseline = !values['no-baseline'] && smtpRate === null;

const dir = makeRunDir('dropday-bench-messages-');
const sharedEnv: Record<string, string> = {
  PUBLIC_URL: 'http://127.0.0.1:3999',
  MAIL_FROM: 'Dropday Bench <bench@bench.example>',
  MAIL_POSTAL_ADDRESS: '1 Bench Street, Testville',
  SMTP_POOL_SIZE: values['smtp-pool'],
  // Without --smtp-rate the budget is out of the way: the run measures the engine, not a limit.
  SMTP_RATE: String(smtpRate ?? 10_000),
  PUSH_RATE: '10000',
  VAPID_PUBLIC_KEY: vapid.publicKey,
  VAPID_PRIVATE_KEY: vapid.privateKey,
  VAPID_SUBJECT: 'mailto:bench@bench.example',
  WORKER_CONCURRENCY: String(concurrency),
  WORKER_BATCH_SIZE: String(Math.min(1000, concurrency * 2)),
};

const params = {
  contacts: n,
  mail: mailN,
  push: pushN,
  db: kind,
  workers,
  concurrency,
  smtp_pool: Number(values['smtp-pool']),
  smtp_rate: smtpRate,
  baseline: runBaseline,
  cli: path.relative(ROOT, cli) || cli,
  machine: { ...machineInfo(), postgres: kind === 'postgres' ? await postgresVersion(values['pg-url']) : null },
};
process.stdout.write(`params ${JSON.stringify(params)}\n`);

const children: Child[] = [];
const cleanup = async () => {
  for (const c of children) await stopChild(c, 3000).catch(() => {});
};
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

const sinks = await spawnChild('sinks', process.execPath, tsxArgs('bench/messages/sinks.ts', []), {
  env: { ...process.env, NODE_ENV: 'production' },
  cwd: ROOT,
  ready: /^MESSAGE_SINKS_READY /,
});
children.push(sinks);
const sink = JSON.parse(sinks.readyLine.slice('MESSAGE_SINKS_READY '.length)) as {
  smtp: string;
  push: string;
  p256dh: string;
  auth: string;
};
interface Tally {
  total: number;
  unique: number;
  duplicates: number;
  first: number;
  last: number;
  refused: number;
}
const counts = async (): Promise<{ mail: Tally; push: Tally }> =>
  (await fetch(`${sink.push}/_counts`)).json() as Promise<{ mail: Tally; push: Tally }>;

log(`sinks: SMTP ${sink.smtp}, push ${sink.push}; seeding ${mailN} contacts and ${pushN} push subscriptions on ${kind} …`);
let lastLog = 0;
const seeded = await seedReach({
  kind,
  cli,
  dir,
  pgUrl: values['pg-url'],
  mail: mailN,
  push: pushN,
  pushOrigin: sink.push,
  p256dh: sink.p256dh,
  auth: sink.auth,
  onProgress: (done) => {
    if (Date.now() - lastLog > 5000) {
      lastLog = Date.now();
      log(`  seeded ${done}/${n}`);
    }
  },
});
log(`seeded in ${round(seeded.seedS, 1)} s → ${seeded.info.where}`);
const db = openBenchDb(seeded.info, values['pg-url']);
const env = { ...workerEnv(seeded.info, 'http://127.0.0.1:9/sandbox', dir, sharedEnv), SMTP_URL: sink.smtp };

// ——— the engine ———
const sampler = new Sampler(500);
sampler.track('sinks', sinks.pid, 'sinks');
sampler.start();
const ws = await Promise.all(Array.from({ length: workers }, (_, i) => startWorker(cli, env, dir, `worker${i + 1}`)));
for (const w of ws) {
  children.push(w);
  sampler.track(w.name, w.pid, 'workers');
}
log(`${workers} workers running; waiting for every message to settle …`);
let crashed: string | null = null;
let stopping = false;
for (const w of ws)
  void w.exited.then(({ code, signal }) => {
    if (!stopping) crashed ??= `${w.name} exited (${code ?? signal}):\n${w.tail()}`;
  });
const loadBefore = os.loadavg();
const deadline = Date.now() + Number(values['timeout-s']) * 1000;
let pending = n;
while (!crashed && Date.now() < deadline) {
  await sleep(1000);
  pending = Number((await db.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM messages WHERE status = 'pending'`))[0]!.n);
  const c = await counts();
  if (Date.now() - lastLog > 5000) {
    lastLog = Date.now();
    const rss = ws.map((w) => `${w.name} ${round((sampler.lastRssKb.get(w.name) ?? 0) / 1024, 0)} MB`).join(', ');
    log(`  pending ${pending}; delivered mail ${c.mail.total}, push ${c.push.total}; ${rss}`);
  }
  if (pending === 0) break;
}
stopping = true;
sampler.stop();
const loadAfter = os.loadavg();
const statuses = Object.fromEntries(
  (await db.all<{ status: string; n: number | string }>(`SELECT status, COUNT(*) AS n FROM messages GROUP BY status`)).map((r) => [
    r.status,
    Number(r.n),
  ]),
);
const engine = await counts();
for (const w of ws) await stopChild(w);
if (crashed) throw new Error(crashed);
if (pending > 0) throw new Error(`timed out with ${pending} messages pending`);
const first = Math.min(...[engine.mail.first, engine.push.first].filter((t) => t > 0));
const last = Math.max(engine.mail.last, engine.push.last);
const delivered = engine.mail.total + engine.push.total;
const engineS = (last - first) / 1000;
const messagesPerS = delivered / engineS;
const mailPerS = engine.mail.total / Math.max(0.001, (engine.mail.last - engine.mail.first) / 1000);
const peakRss = Math.max(...ws.map((w) => sampler.peakMb(w.name)));
// Flat: the second half's peak RSS is no more than 15 % above the first half's (the RSS is a GC
// sawtooth: comparing short windows would read a sawtooth's top as growth).
const series = sampler.series.map((s) => Math.max(...ws.map((w) => s.rssKb[w.name] ?? 0)) / 1024).filter((v) => v > 0);
const half = Math.floor(series.length / 2);
const firstPeak = Math.max(0, ...series.slice(0, half));
const secondPeak = Math.max(0, ...series.slice(half));
const rssFlat = half === 0 || secondPeak <= firstPeak * 1.15;
log(
  `engine: ${delivered} delivered in ${round(engineS, 1)} s → ${round(messagesPerS, 0)}/s; statuses ${JSON.stringify(statuses)}; peak RSS ${peakRss} MB`,
);

// ——— the baseline ———
let baseline: { s: number; perS: number } | null = null;
if (runBaseline) {
  await fetch(`${sink.push}/_reset`, { method: 'POST' });
  const share = (total: number, i: number): [number, number] => {
    const size = Math.ceil(total / workers);
    return [i * size + 1, Math.min(total, (i + 1) * size)];
  };
  const bws = await Promise.all(
    Array.from({ length: workers }, (_, i) =>
      spawnChild(
        `baseline${i + 1}`,
        process.execPath,
        tsxArgs('bench/messages/baseline-worker.ts', [
          JSON.stringify({
            env: { ...env, NODE_ENV: 'production' },
            mail: share(mailN, i),
            push: share(pushN, i),
            concurrency,
            pushOrigin: sink.push,
            p256dh: sink.p256dh,
            auth: sink.auth,
          }),
        ]),
        { env: process.env, cwd: ROOT, ready: /^BASELINE_READY/, stdin: true },
      ),
    ),
  );
  children.push(...bws);
  const done = bws.map(
    (b) => new Promise<void>((resolve) => b.child.stdout!.on('data', (d: Buffer) => d.toString().includes('BASELINE_DONE') && resolve())),
  );
  for (const b of bws) b.child.stdin!.write('go\n');
  await Promise.all(done);
  const c = await counts();
  const bFirst = Math.min(...[c.mail.first, c.push.first].filter((t) => t > 0));
  const bLast = Math.max(c.mail.last, c.push.last);
  const s = (bLast - bFirst) / 1000;
  baseline = { s, perS: (c.mail.total + c.push.total) / s };
  log(`baseline: ${c.mail.total + c.push.total} in ${round(s, 1)} s → ${round(baseline.perS, 0)}/s`);
  for (const b of bws) await stopChild(b);
}
await cleanup();
await db.close();
if (!values.keep) await db.drop();

const result = {
  bench: 'messages',
  ...params,
  delivered_mail: engine.mail.total,
  delivered_push: engine.push.total,
  duplicates: engine.mail.duplicates + engine.push.duplicates,
  refused_by_push_service: engine.push.refused,
  statuses,
  engine_s: round(engineS, 2),
  messages_per_s: round(messagesPerS, 1),
  baseline_s: baseline ? round(baseline.s, 2) : null,
  baseline_messages_per_s: baseline ? round(baseline.perS, 1) : null,
  ratio: baseline ? round(messagesPerS / baseline.perS, 3) : null,
  mail_per_s: round(mailPerS, 1),
  utilisation: smtpRate ? round(mailPerS / smtpRate, 3) : null,
  peak_rss_mb: peakRss,
  rss_flat: rssFlat,
  rss_series_mb: series.filter((_, i) => i % Math.max(1, Math.floor(series.length / 12)) === 0).map((v) => round(v, 0)),
  cpu_s: sampler.cpuSeconds(),
  machine_busy: sampler.machineBusy(),
  load_before: loadBefore.map((l) => round(l, 2)),
  load_after: loadAfter.map((l) => round(l, 2)),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
