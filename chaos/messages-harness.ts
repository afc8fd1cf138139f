/**
 * The message chaos harness: an "out now" to N confirmed contacts (and, with pushShare, push
 * subscribers) on PostgreSQL, W `dropday worker` processes, one SIGKILLed every few seconds and
 * restarted, while the SMTP server refuses some recipients for now (451) and the push service
 * answers some requests 503. When every message is settled (or the time is up) the checker
 * compares what the sinks received with the recipients: every one exactly once — `lost` (never
 * received) must be 0 and `duplicates_pct` (extra copies ÷ recipients) at most 0.1 %. A copy
 * repeated is the one window the engine cannot close: the relay accepted the message and the
 * worker was killed before its settle landed (docs/reach.md). Used by chaos/messages.ts
 * (`npm run chaos:messages`) and test/chaos-messages.test.ts.
 */
import webpush from 'web-push';
import {
  DEFAULT_PG_URL,
  makeRunDir,
  openBenchDb,
  resolveCli,
  round,
  sleep,
  spawnChild,
  startWorker,
  stopChild,
  tsxArgs,
  workerEnv,
  ROOT,
  type Child,
} from '../bench/fanout/lib.js';
import { benchAddress, benchPushId, seedReach } from '../bench/messages/seed.js';

export interface MessageChaosOptions {
  recipients: number;
  pushShare: number;
  db: 'postgres' | 'sqlite';
  workers: number;
  concurrency: number;
  /** Mean seconds between SIGKILLs (each interval jittered ±40 %); 0: never kill. */
  killEveryS: number;
  p451: number;
  p5xx: number;
  leaseMs: number;
  timeoutS: number;
  pgUrl?: string;
  cli?: string;
  seed?: number;
  log: (line: string) => void;
}

export const MESSAGE_CHAOS_DEFAULTS: MessageChaosOptions = {
  recipients: 20_000,
  pushShare: 0,
  db: 'postgres',
  workers: 3,
  concurrency: 32,
  killEveryS: 5,
  p451: 0.02,
  p5xx: 0.02,
  // A message is sent only while its lease has room for the longest SMTP conversation (45 s).
  leaseMs: 50_000,
  timeoutS: 3600,
  log: () => {},
};

export interface MessageChaosResult {
  params: Record<string, unknown>;
  completed: boolean;
  wall_s: number;
  kills: number;
  unexpected_exits: string[];
  statuses: Record<string, number>;
  lost: number;
  duplicates: number;
  duplicates_pct: number;
  faults: { smtp_451: number; push_503: number };
  ok: boolean;
}

interface Tally {
  total: number;
  faults: number;
  per: Record<string, number>;
}

export async function runMessageChaos(partial: Partial<MessageChaosOptions>): Promise<MessageChaosResult> {
  const o: MessageChaosOptions = { ...MESSAGE_CHAOS_DEFAULTS, ...partial };
  const cli = resolveCli(o.cli);
  const pgUrl = o.pgUrl ?? DEFAULT_PG_URL;
  const dir = makeRunDir('dropday-chaos-messages-');
  const pushN = Math.round(o.recipients * o.pushShare);
  const mailN = o.recipients - pushN;
  const params = { ...o, log: undefined, cli, mail: mailN, push: pushN };
  const children = new Set<Child>();
  const sinks = await spawnChild(
    'sinks',
    process.execPath,
    tsxArgs('bench/messages/sinks.ts', ['--p451', String(o.p451), '--p5xx', String(o.p5xx), '--seed', String(o.seed ?? 1)]),
    { env: { ...process.env, NODE_ENV: 'production' }, cwd: ROOT, ready: /^MESSAGE_SINKS_READY / },
  );
  children.add(sinks);
  let sinksDied: string | null = null;
  void sinks.exited.then(({ code, signal }) => (sinksDied = `the sinks process exited (${code ?? signal}):\n${sinks.tail()}`));
  const sink = JSON.parse(sinks.readyLine.slice('MESSAGE_SINKS_READY '.length)) as {
    smtp: string;
    push: string;
    p256dh: string;
    auth: string;
  };
  const counts = async (full = false) =>
    (await (await fetch(`${sink.push}/_counts${full ? '?full=1' : ''}`)).json()) as { mail: Tally; push: Tally };
  try {
    o.log(`sinks up; seeding ${mailN} contacts and ${pushN} push subscribers on ${o.db} …`);
    const seeded = await seedReach({
      kind: o.db,
      cli,
      dir,
      pgUrl,
      mail: mailN,
      push: pushN,
      pushOrigin: sink.push,
      p256dh: sink.p256dh,
      auth: sink.auth,
    });
    const db = openBenchDb(seeded.info, pgUrl);
    const vapid = webpush.generateVAPIDKeys();
    const env = {
      ...workerEnv(seeded.info, 'http://127.0.0.1:9/sandbox', dir, {
        PUBLIC_URL: 'http://127.0.0.1:3999',
        MAIL_FROM: 'Dropday Chaos <chaos@bench.example>',
        MAIL_POSTAL_ADDRESS: '1 Chaos Street, Testville',
        SMTP_RATE: '10000',
        PUSH_RATE: '10000',
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        VAPID_SUBJECT: 'mailto:chaos@bench.example',
        WORKER_CONCURRENCY: String(o.concurrency),
        WORKER_BATCH_SIZE: String(o.concurrency),
        WORKER_LEASE_MS: String(o.leaseMs),
        WORKER_POLL_MS: '200',
        WORKER_IDLE_MS: '1000',
      }),
      SMTP_URL: sink.smtp,
    };
    const unexpectedExits: string[] = [];
    const live: Child[] = [];
    const killedByUs = new WeakSet<Child>();
    let stopping = false;
    let serial = 0;
    const launch = async (): Promise<Child> => {
      const w = await startWorker(cli, env, dir, `worker${++serial}`);
      children.add(w);
      live.push(w);
      void w.exited.then(({ code, signal }) => {
        live.splice(live.indexOf(w), 1);
        children.delete(w);
        if (!stopping && !killedByUs.has(w)) {
          unexpectedExits.push(`${w.name} exited by itself (${code ?? signal}): ${w.tail().split('\n').slice(-40).join('\n')}`);
          void launch();
        }
      });
      return w;
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: o.workers }, () => launch()));
    o.log(`${o.workers} workers running; chaos begins (SIGKILL every ~${o.killEveryS} s)`);
    const jitter = () => o.killEveryS * 1000 * (0.6 + 0.8 * Math.random());
    let nextKill = o.killEveryS > 0 ? Date.now() + jitter() : Infinity;
    let kills = 0;
    let completed = false;
    let lastLog = Date.now();
    while (Date.now() - started < o.timeoutS * 1000) {
      await sleep(500);
      if (sinksDied) throw new Error(sinksDied);
      const pending = Number((await db.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM messages WHERE status = 'pending'`))[0]!.n);
      if (pending === 0) {
        completed = true;
        break;
      }
      if (Date.now() >= nextKill && live.length) {
        const victim = live[Math.floor(Math.random() * live.length)]!;
        killedByUs.add(victim);
        victim.child.kill('SIGKILL');
        kills++;
        nextKill = Date.now() + jitter();
        void victim.exited.then(() => (stopping ? null : launch()));
      }
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        o.log(`  pending ${pending}, ${kills} kills`);
      }
    }
    stopping = true;
    const wallS = (Date.now() - started) / 1000;
    for (const w of [...live]) await stopChild(w, 5000);
    const statuses = Object.fromEntries(
      (await db.all<{ status: string; n: number | string }>(`SELECT status, COUNT(*) AS n FROM messages GROUP BY status`)).map((r) => [
        r.status,
        Number(r.n),
      ]),
    );
    const c = await counts(true);
    let lost = 0;
    let duplicates = 0;
    for (let i = 1; i <= mailN; i++) {
      const got = c.mail.per[benchAddress(i)] ?? 0;
      if (got === 0) lost++;
      else duplicates += got - 1;
    }
    for (let i = 1; i <= pushN; i++) {
      const got = c.push.per[benchPushId(i)] ?? 0;
      if (got === 0) lost++;
      else duplicates += got - 1;
    }
    await db.close();
    await db.drop();
    const duplicatesPct = round((duplicates / o.recipients) * 100, 3);
    o.log(
      `${completed ? 'all settled' : 'TIMED OUT'} after ${round(wallS, 1)} s; ${kills} kills; lost ${lost}, duplicates ${duplicates} (${duplicatesPct} %)`,
    );
    return {
      params,
      completed,
      wall_s: round(wallS, 1),
      kills,
      unexpected_exits: unexpectedExits,
      statuses,
      lost,
      duplicates,
      duplicates_pct: duplicatesPct,
      faults: { smtp_451: c.mail.faults, push_503: c.push.faults },
      ok: completed && lost === 0 && duplicatesPct <= 0.1 && unexpectedExits.length === 0,
    };
  } finally {
    for (const ch of children) await stopChild(ch, 3000).catch(() => {});
  }
}
