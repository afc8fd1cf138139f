/**
 * `npm run chaos:fanout` — the fan-out chaos harness (see chaos/harness.ts and chaos/checker.ts).
 *
 *   npm run chaos:fanout -- [--presaves 100000] [--workers 3] [--kill-every-s 5] [--cut-at 0.4]
 *       [--p5xx 0.05 --p429 0.02 --preset 0.01 --phang 0.01] [--concurrency 32] [--timeout-s 5400]
 *       [--db postgres] [--pg-url postgres://…] [--cli dist/cli.js] [--follow] [--seed 1] [--env K=V …] [--sql "statement" …]
 *
 * Progress goes to stderr; stdout gets the full result as JSON, then, as the FINAL line,
 * {"lost":…,"unexpected":…,"mismatch":…,"duplicate_calls_pct":…}. Exits 1 if a target is missed
 * (0, 0, 0, ≤ 1 %) or the run did not finish.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PG_URL, log } from '../bench/fanout/lib.js';
import { CHAOS_DEFAULTS, runChaos } from './harness.js';

const d = CHAOS_DEFAULTS;
const { values } = parseArgs({
  options: {
    presaves: { type: 'string', default: String(d.presaves) },
    db: { type: 'string', default: d.db },
    workers: { type: 'string', default: String(d.workers) },
    concurrency: { type: 'string', default: String(d.concurrency) },
    'kill-every-s': { type: 'string', default: String(d.killEveryS) },
    'cut-at': { type: 'string', default: String(d.cutAt) },
    p5xx: { type: 'string', default: String(d.faults.p5xx) },
    p429: { type: 'string', default: String(d.faults.p429) },
    preset: { type: 'string', default: String(d.faults.preset) },
    phang: { type: 'string', default: String(d.faults.phang) },
    'fault-retry-after-s': { type: 'string', default: String(d.faultRetryAfterS) },
    'lease-ms': { type: 'string', default: String(d.leaseMs) },
    'retry-base-ms': { type: 'string', default: String(d.retryBaseMs) },
    'outbound-timeout-ms': { type: 'string', default: String(d.outboundTimeoutMs) },
    'max-attempts': { type: 'string', default: String(d.maxAttempts) },
    'latency-ms': { type: 'string', default: String(d.latencyMs) },
    'timeout-s': { type: 'string', default: String(d.timeoutS) },
    'pg-url': { type: 'string', default: DEFAULT_PG_URL },
    cli: { type: 'string' },
    follow: { type: 'boolean', default: false },
    seed: { type: 'string' },
    keep: { type: 'boolean', default: false },
    env: { type: 'string', multiple: true, default: [] },
    sql: { type: 'string', multiple: true, default: [] },
  },
});

const db = values.db as 'postgres' | 'sqlite';
if (db !== 'postgres' && db !== 'sqlite') throw new Error('--db must be postgres or sqlite');
const result = await runChaos({
  presaves: Number(values.presaves),
  db,
  workers: Number(values.workers),
  concurrency: Number(values.concurrency),
  killEveryS: Number(values['kill-every-s']),
  cutAt: values['cut-at'] === 'never' ? null : Number(values['cut-at']),
  faults: { p5xx: Number(values.p5xx), p429: Number(values.p429), preset: Number(values.preset), phang: Number(values.phang) },
  faultRetryAfterS: Number(values['fault-retry-after-s']),
  leaseMs: Number(values['lease-ms']),
  retryBaseMs: Number(values['retry-base-ms']),
  outboundTimeoutMs: Number(values['outbound-timeout-ms']),
  maxAttempts: Number(values['max-attempts']),
  latencyMs: Number(values['latency-ms']),
  timeoutS: Number(values['timeout-s']),
  pgUrl: values['pg-url'],
  ...(values.cli ? { cli: values.cli } : {}),
  follow: values.follow,
  ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
  keep: values.keep,
  sql: values.sql,
  env: Object.fromEntries(values.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
  log,
});

const { check } = result;
log(
  `checked ${check.presaves} pre-saves: saved ${check.saved}, failed ${check.failed}, pending ${check.pending}; ` +
    `lost ${check.lost}, unexpected ${check.unexpected}, mismatch ${check.mismatch}, duplicate calls ${check.duplicate_calls_pct}% ` +
    `(${check.puts.repeat} repeat PUTs; ${check.puts.requests} PUT requests incl. faulted)`,
);
if (Object.keys(check.failure_reasons).length) log(`failure reasons: ${JSON.stringify(check.failure_reasons)}`);
process.stdout.write(`${JSON.stringify({ chaos: 'fanout', ...result })}\n`);
process.stdout.write(
  `${JSON.stringify({ lost: check.lost, unexpected: check.unexpected, mismatch: check.mismatch, duplicate_calls_pct: check.duplicate_calls_pct })}\n`,
);
process.exit(result.ok ? 0 : 1);
