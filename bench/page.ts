/**
 * Public pages benchmark: the real app (`dropday serve`, worker included) against a bare Fastify
 * server answering the same bytes and headers, in the same run, route by route:
 *
 *   GET /{slug} before release (pre-save page) and after release (smart link),
 *   GET /p/{id} (a fan's thank-you page), GET /{slug}/listen/{svc} (the listen redirect).
 *
 *   npm run bench:page -- [--db sqlite|postgres] [--seconds 5] [--connections 20]
 *
 * Each side gets `seconds` per route, measured in `rounds` alternating runs (baseline first in
 * odd rounds, app first in even ones) so drift on a shared machine hits both alike. The load
 * generator (autocannon) runs in this process; the app and the baseline each run in their own.
 * Prints its parameters first and ends with ONE JSON line: `ratio` (the campaign page's, the lower
 * of its two states), `ratios` (app req/s ÷ baseline req/s per route), `rps` and `p99_ms` (the
 * app's, per route), `errors` (failed requests and unexpected statuses, both sides); and, for a
 * shared machine, `cpu_us_per_request` (each server process's CPU time per answer, from /proc)
 * and `cpu_ratios` (baseline CPU ÷ app CPU per request).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { createContext } from '../src/bootstrap.js';
import { createCampaign } from '../src/campaigns/service.js';
import { loadConfig } from '../src/config.js';
import { upsertGrant } from '../src/grants/repo.js';
import { recordPresave } from '../src/presaves/repo.js';
import { storeMatch } from '../src/releases/matches.js';
import { setCampaignLink } from '../src/smartlink/links.js';
import { makeRunDir, procCpuS, ROOT, spawnChild, stopChild, tsxArgs, type Child } from './fanout/lib.js';
import { parseParams, printParams, progress } from './lib/params.js';
import { round, writeResult } from './lib/results.js';
import type { CapturedResponse } from './page-baseline.js';

const params = parseParams('bench/page.ts', {
  db: { default: 'sqlite', help: 'database', choices: ['sqlite', 'postgres'] },
  databaseUrl: {
    default: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    help: 'PostgreSQL server for --db postgres (a fresh schema is created and dropped)',
  },
  seconds: { default: 5, help: 'measured seconds per route per side' },
  rounds: { default: 2, help: 'alternating runs the seconds are split into' },
  warmup: { default: 2, help: 'seconds of load per route and side before measuring' },
  connections: { default: 20, help: 'concurrent connections of the load generator' },
  logLevel: { default: 'info', help: "the app's LOG_LEVEL (info: production's default)" },
  appNodeArgs: { default: '', help: 'node flags for the app process, space-separated (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof")' },
  build: { default: true, help: 'compile dist/ first (the app runs as `node dist/cli.js serve`)' },
  routes: { default: 'page_before,page_after,thanks,listen', help: 'routes to measure (comma-separated)' },
  out: { default: '', help: 'also append the JSON result line to this file' },
});
printParams('bench/page.ts — public pages against a bare server with the same bytes', {
  ...params,
  databaseUrl: params.databaseUrl.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@'),
});

/** A browser fans use: analytics treats the requests as page views, as on launch day. */
const HEADERS = {
  'user-agent':
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'accept-language': 'en-US,en;q=0.9',
  accept: 'text/html',
};
const DAY = 86_400_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Two campaigns (one before, one after its release, matched and with link-outs) and one pre-save. */
async function seed(env: Record<string, string>): Promise<{ routes: { name: string; path: string }[] }> {
  const ctx = await createContext(loadConfig(env));
  try {
    const now = Date.now();
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    const input = (slug: string, title: string) => ({
      slug,
      artistName: 'Bench Artist',
      title,
      upc: '036000291452',
      releaseAt: new Date(now + 30 * DAY).toISOString(),
      timing: 'global' as const,
      services: ['sandbox'],
    });
    const before = await createCampaign(deps, input('bench-before', 'Not Yet'));
    const after = await createCampaign(deps, input('bench-after', 'Out Now'));
    await ctx.db
      .updateTable('campaigns')
      .set({ first_release_at: now - DAY, last_release_at: now - DAY, release_local: new Date(now - DAY).toISOString().slice(0, 16) })
      .where('id', '=', after.id)
      .execute();
    const release = {
      albumUri: 'sandbox:album:bench',
      albumUrl: `${env.PUBLIC_URL}/sandbox/album/bench`,
      artistUris: [],
      title: 'Out Now',
    };
    await storeMatch(ctx.db, after.id, 'sandbox', null, { ...release, matchedBy: 'upc' }, now);
    await setCampaignLink(ctx.db, after.id, 'youtube-music', 'https://music.youtube.com/playlist?list=OLAK5uy_bench', now);
    await setCampaignLink(ctx.db, after.id, 'deezer', 'https://www.deezer.com/album/1', now);
    const grantId = await upsertGrant(
      ctx,
      'sandbox',
      { accountId: 'bench-fan', displayName: null },
      { accessToken: 'bench', expiresAt: null, scopes: [] },
      now,
    );
    const { row: presave } = await recordPresave(
      ctx.db,
      { campaign: before, grantId, service: 'sandbox', accountId: 'bench-fan', timezone: 'UTC', locale: 'en-US' },
      now,
    );
    return {
      routes: [
        { name: 'page_before', path: '/bench-before' },
        { name: 'page_after', path: '/bench-after' },
        { name: 'thanks', path: `/p/${presave.public_id}` },
        { name: 'listen', path: '/bench-after/listen/youtube-music' },
      ],
    };
  } finally {
    await ctx.close();
  }
}

/** What the app answers, to be answered identically by the baseline (minus what Node adds itself). */
async function capture(base: string, p: string): Promise<CapturedResponse> {
  const res = await fetch(`${base}${p}`, { headers: HEADERS, redirect: 'manual' });
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of res.headers) {
    if (['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(k)) continue;
    headers[k] = k === 'set-cookie' ? res.headers.getSetCookie() : v;
  }
  return { path: p, status: res.status, headers, body: Buffer.from(await res.arrayBuffer()).toString('base64') };
}

interface Run {
  requests: number;
  seconds: number;
  p99: number;
  errors: number;
  /** CPU seconds the server process used meanwhile. */
  cpuS: number;
}

async function load(url: string, expected: number, seconds: number, pid: number): Promise<Run> {
  const cpu0 = procCpuS(pid);
  const r = await autocannon({ url, connections: params.connections, duration: seconds, headers: HEADERS });
  const cpuS = procCpuS(pid) - cpu0;
  const unexpected = Object.entries(r.statusCodeStats ?? {})
    .filter(([code]) => Number(code) !== expected)
    .reduce((n, [, s]) => n + s.count, 0);
  const requests = Object.values(r.statusCodeStats ?? {}).reduce((n, s) => n + s.count, 0);
  return { requests, seconds: r.duration, p99: r.latency.p99, errors: r.errors + r.timeouts + unexpected, cpuS };
}

async function main(): Promise<void> {
  const dir = makeRunDir('page-bench');
  const schema = params.db === 'postgres' ? `bench_page_${randomBytes(4).toString('hex')}` : null;
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'development',
    LOG_LEVEL: params.logLevel,
    DEMO: 'false',
    DATA_DIR: dir,
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    ...(schema
      ? { DATABASE_URL: params.databaseUrl, DATABASE_SCHEMA: schema }
      : { DATABASE_URL: `sqlite:${path.join(dir, 'page.sqlite')}` }),
  };
  const children: Child[] = [];
  try {
    const { routes } = await seed(env);
    // `dropday serve` as deployed (`npm start`: the compiled dist/cli.js): the web app and the
    // fulfillment worker in one process.
    if (params.build) {
      progress('building dist/ (npm run build; --no-build to skip)');
      execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    }
    const nodeArgs = params.appNodeArgs.split(' ').filter(Boolean);
    const app = await spawnChild('app', process.execPath, [...nodeArgs, path.join(ROOT, 'dist/cli.js'), 'serve'], {
      env,
      cwd: ROOT,
      ready: /Dropday is running at/,
    });
    children.push(app);
    const appUrl = env.PUBLIC_URL!;
    const captured = [];
    for (const r of routes) captured.push(await capture(appUrl, r.path));
    for (const [i, c] of captured.entries()) {
      progress(`${routes[i]!.name}: GET ${c.path} → ${c.status}, ${Buffer.from(c.body, 'base64').length} bytes`);
      if (c.status >= 400) throw new Error(`${routes[i]!.name} answered ${c.status}`);
    }
    const file = path.join(dir, 'responses.json');
    fs.writeFileSync(file, JSON.stringify(captured));
    const baseline = await spawnChild('baseline', process.execPath, tsxArgs('bench/page-baseline.ts', [file]), {
      env: { PATH: env.PATH!, HOME: env.HOME!, NODE_ENV: 'production' },
      cwd: ROOT,
      ready: /^PAGE_BASELINE_READY /,
    });
    children.push(baseline);
    const baseUrl = baseline.readyLine.slice('PAGE_BASELINE_READY '.length).trim();

    const ratios: Record<string, number> = {};
    const rps: Record<string, number> = {};
    const baselineRps: Record<string, number> = {};
    const p99: Record<string, number> = {};
    const cpuUs: Record<string, { app: number; baseline: number }> = {};
    let errors = 0;
    const wanted = new Set(params.routes.split(','));
    // The app's one-time costs (JIT, the first analytics write opening the ~130 MB IP database)
    // must not land in the first route measured: load every route once, then let a flush pass.
    if (params.warmup > 0) {
      progress('warming up the app on every route');
      for (const [i, r] of routes.entries()) await load(`${appUrl}${r.path}`, captured[i]!.status, params.warmup, app.pid);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    for (const [i, r] of routes.entries()) {
      if (!wanted.has(r.name)) continue;
      const expected = captured[i]!.status;
      const sides = { app: `${appUrl}${r.path}`, baseline: `${baseUrl}${r.path}` };
      const pids = { app: app.pid, baseline: baseline.pid };
      if (params.warmup > 0) for (const side of ['app', 'baseline'] as const) await load(sides[side], expected, params.warmup, pids[side]);
      const total = { app: { requests: 0, seconds: 0, p99: 0, cpuS: 0 }, baseline: { requests: 0, seconds: 0, p99: 0, cpuS: 0 } };
      for (let round_ = 0; round_ < params.rounds; round_++) {
        const order = round_ % 2 === 0 ? (['baseline', 'app'] as const) : (['app', 'baseline'] as const);
        for (const side of order) {
          const run = await load(sides[side], expected, params.seconds / params.rounds, pids[side]);
          total[side].cpuS += run.cpuS;
          total[side].requests += run.requests;
          total[side].seconds += run.seconds;
          total[side].p99 = Math.max(total[side].p99, run.p99);
          errors += run.errors;
        }
      }
      rps[r.name] = round(total.app.requests / total.app.seconds, 0);
      baselineRps[r.name] = round(total.baseline.requests / total.baseline.seconds, 0);
      ratios[r.name] = round(rps[r.name]! / baselineRps[r.name]!, 3);
      p99[r.name] = total.app.p99;
      const perRequest = (side: 'app' | 'baseline') => round((total[side].cpuS * 1e6) / Math.max(1, total[side].requests), 1);
      cpuUs[r.name] = { app: perRequest('app'), baseline: perRequest('baseline') };
      progress(
        `${r.name}: app ${rps[r.name]} req/s, baseline ${baselineRps[r.name]} req/s, ratio ${ratios[r.name]}, app p99 ${p99[r.name]} ms; ` +
          `server CPU per request: app ${cpuUs[r.name]!.app} µs, baseline ${cpuUs[r.name]!.baseline} µs`,
      );
    }
    writeResult(
      'page',
      {
        db: params.db,
        seconds: params.seconds,
        connections: params.connections,
        log_level: params.logLevel,
        ratio: Math.min(ratios.page_before ?? Infinity, ratios.page_after ?? Infinity),
        ratios,
        rps,
        baseline_rps: baselineRps,
        p99_ms: p99,
        cpu_us_per_request: cpuUs,
        // The same comparison by server CPU per request (baseline ÷ app): what the throughput ratio
        // would be if each server had a core to itself. On a shared, saturated machine the load
        // generator and neighbours cap both sides' req/s alike, which flatters `ratio`.
        cpu_ratios: Object.fromEntries(Object.entries(cpuUs).map(([k, v]) => [k, round(v.baseline / v.app, 3)])),
        errors,
      },
      params.out ? { file: params.out } : {},
    );
  } finally {
    for (const c of children.reverse()) await stopChild(c).catch(() => {});
    if (schema) {
      const client = new pg.Client({ connectionString: params.databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
