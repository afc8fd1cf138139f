/**
 * Shared machinery for the fan-out benchmark (bench/fanout/run.ts) and the chaos harness
 * (chaos/fanout.ts): a fresh database seeded in bulk, the fake service and `dropday worker`
 * processes as children, and measurements taken from /proc. Nothing here holds N rows in memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { TokenCipher } from '../../src/util/token-cipher.js';
import { FanoutFakeClient, DEFAULT_RELEASE } from '../../test/fakes/fanout/server.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_PG_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fixed key, so a bench database can be inspected (and its tokens decrypted) afterwards. */
export const BENCH_KEY_ID = 'bench';
export const BENCH_KEY = createHash('sha256').update('dropday fan-out bench key').digest();
export const BENCH_ENCRYPTION_KEYS = `${BENCH_KEY_ID}:${BENCH_KEY.toString('base64')}`;

export const CAMPAIGN_SLUG = 'fanout-bench';

export function accountName(i: number): string {
  return `f${String(i).padStart(8, '0')}`;
}

export function log(line: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

// ——— processes ———

export interface Child {
  child: ChildProcess;
  pid: number;
  name: string;
  /** The last lines it printed (stdout and stderr). */
  tail(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnChild(
  name: string,
  cmd: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; cwd: string; ready?: RegExp; readyTimeoutMs?: number; onLine?: (line: string) => void; stdin?: boolean },
): Promise<Child & { readyLine: string }> {
  const child = spawn(cmd, args, { env: opts.env, cwd: opts.cwd, stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  started.add(child);
  child.once('exit', () => started.delete(child));
  const lines: string[] = [];
  let partial = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    let done = !opts.ready;
    const onData = (d: Buffer) => {
      partial += d.toString('utf8');
      let nl: number;
      while ((nl = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        lines.push(line);
        if (lines.length > 200) lines.shift();
        opts.onLine?.(line);
        if (!done && opts.ready!.test(line)) {
          done = true;
          resolve(handle(line));
        }
      }
    };
    const handle = (readyLine: string) => ({ child, pid: child.pid!, name, tail: () => lines.join('\n'), exited, readyLine });
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    void exited.then(({ code, signal }) => {
      if (!done) reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${lines.join('\n')}`));
    });
    if (!opts.ready) resolve(handle(''));
    else
      setTimeout(() => {
        if (!done) {
          child.kill('SIGKILL');
          reject(new Error(`${name} not ready after ${opts.readyTimeoutMs ?? 60_000} ms:\n${lines.join('\n')}`));
        }
      }, opts.readyTimeoutMs ?? 60_000).unref();
  });
}

/** Stops one child we started, by its pid: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(c: Child, graceMs = 10_000): Promise<void> {
  if (c.child.exitCode !== null || c.child.signalCode !== null) return;
  c.child.kill('SIGTERM');
  const t = setTimeout(() => c.child.kill('SIGKILL'), graceMs);
  await c.exited;
  clearTimeout(t);
}

/** `node --import tsx <file>` from the repository root. */
export function tsxArgs(file: string, args: string[]): string[] {
  return ['--import', 'tsx', path.join(ROOT, file), ...args];
}

export async function startFakeProcess(args: string[]): Promise<Child & { url: string; client: FanoutFakeClient }> {
  const c = await spawnChild('fake', process.execPath, tsxArgs('test/fakes/fanout/main.ts', args), {
    env: { ...process.env, NODE_ENV: 'production' },
    cwd: ROOT,
    ready: /^FANOUT_FAKE_READY /,
  });
  const info = JSON.parse(c.readyLine.slice('FANOUT_FAKE_READY '.length)) as { url: string };
  return { ...c, url: info.url, client: new FanoutFakeClient(info.url) };
}

/** The environment for a `dropday worker`: only what we set (no inherited .env or DATABASE_URL). */
export function workerEnv(db: BenchDbInfo, sandboxBaseUrl: string, dataDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DEMO: 'false',
    DATA_DIR: dataDir,
    ENCRYPTION_KEYS: BENCH_ENCRYPTION_KEYS,
    SANDBOX_BASE_URL: sandboxBaseUrl,
    ...db.env,
    ...extra,
  };
}

/**
 * Starts `dropday worker` and waits until it says it is running. A start that fails is tried again
 * twice: on a PostgreSQL shared with other work, the start-up migration check can trip over
 * another session dropping a schema at that moment (a catalog race, not the engine's fault).
 */
export async function startWorker(cli: string, env: NodeJS.ProcessEnv, cwd: string, name: string, nodeArgs: string[] = []): Promise<Child> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnChild(name, process.execPath, [...nodeArgs, cli, 'worker'], {
        env,
        cwd,
        ready: /fulfillment worker .* running/i,
        readyTimeoutMs: 120_000,
      });
    } catch (err) {
      if (attempt >= 3) throw err;
      log(`${name} failed to start (attempt ${attempt}): ${(err as Error).message.split('\n').slice(0, 3).join(' | ')}; retrying`);
    }
  }
}

/** Every child process this harness started, so none outlives it, whatever happens. */
const started = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Runs statements against a bench database after seeding (e.g. `--sql "CREATE INDEX …"` experiments). */
export async function execSql(info: BenchDbInfo, statements: string[], pgUrl = DEFAULT_PG_URL): Promise<void> {
  if (!statements.length) return;
  if (info.kind === 'postgres') {
    const c = new pg.Client({ connectionString: pgUrl, options: `-c search_path=${info.env.DATABASE_SCHEMA}` });
    await c.connect();
    try {
      for (const s of statements) await c.query(s);
      await c.query('ANALYZE');
    } finally {
      await c.end();
    }
  } else {
    const db = new SQLite(info.env.DATABASE_URL!.slice('sqlite:'.length));
    try {
      for (const s of statements) db.exec(s);
      db.exec('ANALYZE');
    } finally {
      db.close();
    }
  }
}

// ——— /proc measurements ———

export interface ProcMem {
  rssKb: number;
  hwmKb: number;
}

export function procMem(pid: number): ProcMem | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+)/.exec(text);
    const hwm = /VmHWM:\s+(\d+)/.exec(text);
    return { rssKb: Number(rss?.[1] ?? 0), hwmKb: Number(hwm?.[1] ?? 0) };
  } catch {
    return null;
  }
}

const TICK = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used. */
export function procCpuS(pid: number): number {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return 0;
  }
}

/** Pids of every PostgreSQL server process on this machine (their CPU is the database's). */
export function postgresPids(): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres') out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** Whole-machine CPU: busy and total jiffies. */
export function machineCpu(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * Samples memory of named processes every `everyMs` (VmHWM is the kernel's own peak, so a short
 * spike between samples is still seen) and CPU seconds per group, for "where does the time go".
 */
export class Sampler {
  private timer: NodeJS.Timeout | null = null;
  readonly peakKb = new Map<string, number>();
  readonly lastRssKb = new Map<string, number>();
  private readonly pids = new Map<string, number>();
  private readonly cpu = new Map<string, number>();
  private readonly cpuSeen = new Map<number, { group: string; last: number }>();
  private pgPidsAt = 0;
  private pgPids: number[] = [];
  private machineStart = machineCpu();
  private machineEnd = this.machineStart;
  readonly series: { t: number; rssKb: Record<string, number> }[] = [];
  private lastSeriesAt = 0;

  constructor(private readonly everyMs = 500) {}

  track(name: string, pid: number, group: string): void {
    this.pids.set(name, pid);
    this.cpuSeen.set(pid, { group, last: procCpuS(pid) });
  }

  untrack(name: string): void {
    const pid = this.pids.get(name);
    if (pid !== undefined) this.sampleCpu(pid);
    this.pids.delete(name);
  }

  start(): void {
    this.machineStart = machineCpu();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    this.machineEnd = machineCpu();
  }

  private sampleCpu(pid: number): void {
    const seen = this.cpuSeen.get(pid);
    if (!seen) return;
    const now = procCpuS(pid);
    if (now > seen.last) this.cpu.set(seen.group, (this.cpu.get(seen.group) ?? 0) + (now - seen.last));
    seen.last = Math.max(seen.last, now);
  }

  sample(): void {
    const rss: Record<string, number> = {};
    for (const [name, pid] of this.pids) {
      const m = procMem(pid);
      if (m) {
        this.peakKb.set(name, Math.max(this.peakKb.get(name) ?? 0, m.hwmKb, m.rssKb));
        this.lastRssKb.set(name, m.rssKb);
        rss[name] = m.rssKb;
      }
      this.sampleCpu(pid);
    }
    const now = Date.now();
    if (now - this.pgPidsAt > 2000) {
      this.pgPidsAt = now;
      this.pgPids = postgresPids();
      for (const p of this.pgPids) if (!this.cpuSeen.has(p)) this.cpuSeen.set(p, { group: 'postgres', last: procCpuS(p) });
    }
    for (const p of this.pgPids) this.sampleCpu(p);
    if (now - this.lastSeriesAt >= 5000) {
      this.lastSeriesAt = now;
      this.series.push({ t: now, rssKb: rss });
    }
  }

  cpuSeconds(): Record<string, number> {
    return Object.fromEntries([...this.cpu].map(([k, v]) => [k, Math.round(v * 10) / 10]));
  }

  /** Share of the machine's CPU that was busy while sampling (1 = every core busy). */
  machineBusy(): number {
    const busy = this.machineEnd.busy - this.machineStart.busy;
    const total = this.machineEnd.total - this.machineStart.total;
    return total > 0 ? Math.round((busy / total) * 1000) / 1000 : 0;
  }

  peakMb(name: string): number {
    return Math.round((this.peakKb.get(name) ?? 0) / 102.4) / 10;
  }
}

// ——— the database ———

export interface BenchDbInfo {
  kind: 'sqlite' | 'postgres';
  /** DATABASE_URL (+ DATABASE_SCHEMA) for dropday processes. */
  env: Record<string, string>;
  /** Human description (file, or schema). */
  where: string;
  campaignId: number;
}

/** A small handle for the harness's own queries (counts, the checker), on either database. */
export interface BenchDb {
  info: BenchDbInfo;
  /** Runs a query with `?` placeholders (rewritten to $n on PostgreSQL). */
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
  /** Removes the database (file or schema). */
  drop(): Promise<void>;
}

export function openBenchDb(info: BenchDbInfo, pgUrl = DEFAULT_PG_URL): BenchDb {
  if (info.kind === 'postgres') {
    const schema = info.env.DATABASE_SCHEMA!;
    const pool = new pg.Pool({ connectionString: pgUrl, max: 2, options: `-c search_path=${schema}` });
    pool.on('error', () => {});
    return {
      info,
      async all<T>(q: string, params: unknown[] = []) {
        let i = 0;
        const text = q.replace(/\?/g, () => `$${++i}`);
        return (await pool.query(text, params)).rows as T[];
      },
      close: () => pool.end(),
      async drop() {
        await pool.end().catch(() => {});
        const c = new pg.Client({ connectionString: pgUrl });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      },
    };
  }
  const file = info.env.DATABASE_URL!.slice('sqlite:'.length);
  const db = new SQLite(file, { readonly: true });
  db.pragma('busy_timeout = 10000');
  return {
    info,
    async all<T>(q: string, params: unknown[] = []) {
      return db.prepare(q).all(...params) as T[];
    },
    async close() {
      db.close();
    },
    async drop() {
      try {
        db.close();
      } catch {
        /* closed */
      }
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    },
  };
}

/**
 * A fresh bench database — a SQLite file in `dir` or a new PostgreSQL schema — migrated by the
 * engine's own `dropday migrate`: the DATABASE_URL (+ DATABASE_SCHEMA) for dropday processes.
 */
export async function migratedBenchDb(o: {
  kind: 'sqlite' | 'postgres';
  cli: string;
  dir: string;
  pgUrl?: string;
}): Promise<{ env: Record<string, string>; where: string; migrateS: number }> {
  let env: Record<string, string>;
  let where: string;
  if (o.kind === 'postgres') {
    const schema = `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    env = { DATABASE_URL: o.pgUrl ?? DEFAULT_PG_URL, DATABASE_SCHEMA: schema };
    where = `schema ${schema}`;
  } else {
    const file = path.join(o.dir, 'bench.sqlite');
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    env = { DATABASE_URL: `sqlite:${file}` };
    where = file;
  }
  const t0 = Date.now();
  const migrate = await spawnChild('migrate', process.execPath, [o.cli, 'migrate'], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATA_DIR: o.dir,
      ENCRYPTION_KEYS: BENCH_ENCRYPTION_KEYS,
      ...env,
    },
    cwd: o.dir,
  });
  const res = await migrate.exited;
  if (res.code !== 0) throw new Error(`dropday migrate failed (${res.code}):\n${migrate.tail()}`);
  return { env, where, migrateS: (Date.now() - t0) / 1000 };
}

export interface SeedOptions {
  kind: 'sqlite' | 'postgres';
  n: number;
  cli: string;
  dir: string;
  pgUrl?: string;
  /** Also follow the artist (two URIs per save). */
  follow?: boolean;
  chunk?: number;
  /** When the pre-saves fall due (default: now). */
  dueAt?: number;
  /** Or: this long after seeding begins (after the migration), so workers can be running by then. */
  dueInMs?: number;
  onProgress?: (done: number) => void;
}

/**
 * A fresh database (SQLite file, or PostgreSQL schema), migrated by the engine's own `migrate`,
 * then a campaign offering the Sandbox and N fans' grants and pre-saves inserted in bulk, in
 * chunks inside transactions. Grants carry real encrypted tokens (`tok-<account>`,
 * `ref-<account>`) that expire far in the future, so no refresh is needed.
 */
export async function seedDatabase(o: SeedOptions): Promise<{ info: BenchDbInfo; seedS: number; migrateS: number; dueAt: number }> {
  const pgUrl = o.pgUrl ?? DEFAULT_PG_URL;
  const chunk = o.chunk ?? 5000;
  const { env, where, migrateS } = await migratedBenchDb(o);

  const cipher = new TokenCipher([{ id: BENCH_KEY_ID, key: BENCH_KEY }]);
  const now = Date.now();
  const due = o.dueAt ?? (o.dueInMs !== undefined ? now + o.dueInMs : now - 1000);
  const expires = now + 30 * 86_400_000;
  const scopes = 'user-library-modify user-library-read user-follow-modify';
  const enc = (i: number) => {
    const a = accountName(i);
    return [a, cipher.encrypt(`tok-${a}`, `grant:sandbox:${a}:access`), cipher.encrypt(`ref-${a}`, `grant:sandbox:${a}:refresh`)] as const;
  };
  const campaign = {
    slug: CAMPAIGN_SLUG,
    artist_name: DEFAULT_RELEASE.artistName,
    title: DEFAULT_RELEASE.title,
    release_type: 'album',
    upc: DEFAULT_RELEASE.upc,
    isrcs: '[]',
    release_local: new Date(due).toISOString().slice(0, 16),
    release_timezone: 'UTC',
    timing: 'global',
    first_release_at: due,
    last_release_at: due,
    services: '["sandbox"]',
    follow_artist: o.follow ? 1 : 0,
    status: 'active',
    is_demo: 0,
    created_at: now,
    updated_at: now,
  };
  const cols = Object.keys(campaign);
  const t1 = Date.now();
  let campaignId: number;

  if (o.kind === 'postgres') {
    const client = new pg.Client({ connectionString: pgUrl, options: `-c search_path=${env.DATABASE_SCHEMA}` });
    await client.connect();
    try {
      const r = await client.query<{ id: string }>(
        `INSERT INTO campaigns (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
        Object.values(campaign),
      );
      campaignId = Number(r.rows[0]!.id);
      const perTx = 10; // chunks per transaction
      for (let start = 1, k = 0; start <= o.n; start += chunk, k++) {
        if (k % perTx === 0) await client.query('BEGIN');
        const end = Math.min(o.n, start + chunk - 1);
        const accounts: string[] = [];
        const access: string[] = [];
        const refresh: string[] = [];
        for (let i = start; i <= end; i++) {
          const [a, at, rt] = enc(i);
          accounts.push(a);
          access.push(at);
          refresh.push(rt);
        }
        await client.query(
          `WITH g AS (
             INSERT INTO grants (service, account_id, access_token_enc, refresh_token_enc, access_expires_at, scopes, authorized_at, status, created_at, updated_at)
             SELECT 'sandbox', u.a, u.at, u.rt, $4, $5, $6, 'active', $6, $6 FROM unnest($1::text[], $2::text[], $3::text[]) AS u(a, at, rt)
             RETURNING id, account_id)
           INSERT INTO presaves (public_id, campaign_id, grant_id, service, account_id, timezone, follow_artist, due_at, status, attempts,
                                 next_attempt_at, created_at, updated_at)
           SELECT 'benchps_' || lpad(g.id::text, 10, '0'), $7, g.id, 'sandbox', g.account_id, 'UTC', $8, $9, 'pending', 0, $9, $6, $6 FROM g`,
          [accounts, access, refresh, expires, scopes, now, campaignId, o.follow ? 1 : 0, due],
        );
        if (k % perTx === perTx - 1 || end === o.n) await client.query('COMMIT');
        o.onProgress?.(end);
      }
      await client.query('ANALYZE');
    } finally {
      await client.end();
    }
  } else {
    const file = env.DATABASE_URL!.slice('sqlite:'.length);
    const db = new SQLite(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    try {
      const r = db
        .prepare(`INSERT INTO campaigns (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
        .run(...Object.values(campaign));
      campaignId = Number(r.lastInsertRowid);
      const insGrant = db.prepare(
        `INSERT INTO grants (service, account_id, access_token_enc, refresh_token_enc, access_expires_at, scopes, authorized_at, status, created_at, updated_at)
         VALUES ('sandbox', ?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
      );
      const insPresaves = db.prepare(
        `INSERT INTO presaves (public_id, campaign_id, grant_id, service, account_id, timezone, follow_artist, due_at, status, attempts,
                               next_attempt_at, created_at, updated_at)
         SELECT printf('benchps_%010d', id), ?, id, 'sandbox', account_id, 'UTC', ?, ?, 'pending', 0, ?, ?, ? FROM grants WHERE id BETWEEN ? AND ?`,
      );
      const tx = db.transaction((start: number, end: number) => {
        let first = 0;
        let last = 0;
        for (let i = start; i <= end; i++) {
          const [a, at, rt] = enc(i);
          const id = Number(insGrant.run(a, at, rt, expires, scopes, now, now, now).lastInsertRowid);
          if (!first) first = id;
          last = id;
        }
        insPresaves.run(campaignId, o.follow ? 1 : 0, due, due, now, now, first, last);
      });
      for (let start = 1; start <= o.n; start += chunk) {
        const end = Math.min(o.n, start + chunk - 1);
        tx(start, end);
        o.onProgress?.(end);
      }
      db.exec('ANALYZE');
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  }
  return { info: { kind: o.kind, env, where, campaignId: campaignId! }, seedS: (Date.now() - t1) / 1000, migrateS, dueAt: due };
}

/** Pending rows (the loop's end condition); cheap: uses the (status, next_attempt_at) index. */
export async function countPending(db: BenchDb): Promise<number> {
  const r = await db.all<{ n: number | string }>(`SELECT count(*) AS n FROM presaves WHERE status = 'pending'`);
  return Number(r[0]!.n);
}

export async function statusCounts(db: BenchDb): Promise<Record<string, number>> {
  const rows = await db.all<{ status: string; n: number | string }>(`SELECT status, count(*) AS n FROM presaves GROUP BY status`);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export function makeRunDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function resolveCli(cli: string | undefined): string {
  const p = path.resolve(ROOT, cli ?? 'dist/cli.js');
  if (!fs.existsSync(p)) throw new Error(`${p} does not exist: run \`npm run build\` first (or pass --cli <path to cli.js>)`);
  return p;
}

export function machineInfo(): Record<string, unknown> {
  return {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? 'unknown',
    mem_gib: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

export async function postgresVersion(pgUrl = DEFAULT_PG_URL): Promise<string | null> {
  try {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    const r = await c.query<{ v: string }>('SHOW server_version');
    await c.end();
    return r.rows[0]!.v;
  } catch {
    return null;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function round(n: number, d = 2): number {
  const f = 10 ** d;
  return Math.round(n * f) / f;
}

// A signal ends the harness through process.exit, so the 'exit' hook above stops every child.
for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.once(sig, () => process.exit(sig === 'SIGINT' ? 130 : 143));
