/**
 * `npm run chaos:messages` — workers killed during an "out now" (chaos/messages-harness.ts).
 *
 *   npm run chaos:messages -- [--recipients 20000] [--push-share 0] [--workers 3] [--kill-every-s 5]
 *       [--p451 0.02] [--p5xx 0.02] [--db postgres] [--pg-url postgres://…] [--cli dist/cli.js] [--timeout-s 3600]
 *
 * Progress goes to stderr; stdout gets the result as JSON, then, as the FINAL line,
 * {"lost":…,"duplicates_pct":…}. Exits 1 if a target is missed (lost 0, duplicates ≤ 0.1 %).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PG_URL, log } from '../bench/fanout/lib.js';
import { MESSAGE_CHAOS_DEFAULTS as d, runMessageChaos } from './messages-harness.js';

const { values } = parseArgs({
  options: {
    recipients: { type: 'string', default: String(d.recipients) },
    'push-share': { type: 'string', default: String(d.pushShare) },
    db: { type: 'string', default: d.db },
    workers: { type: 'string', default: String(d.workers) },
    concurrency: { type: 'string', default: String(d.concurrency) },
    'kill-every-s': { type: 'string', default: String(d.killEveryS) },
    p451: { type: 'string', default: String(d.p451) },
    p5xx: { type: 'string', default: String(d.p5xx) },
    'lease-ms': { type: 'string', default: String(d.leaseMs) },
    'timeout-s': { type: 'string', default: String(d.timeoutS) },
    'pg-url': { type: 'string', default: DEFAULT_PG_URL },
    cli: { type: 'string' },
    seed: { type: 'string' },
  },
});
const db = values.db as 'postgres' | 'sqlite';
if (db !== 'postgres' && db !== 'sqlite') throw new Error('--db must be postgres or sqlite');
const r = await runMessageChaos({
  recipients: Number(values.recipients),
  pushShare: Number(values['push-share']),
  db,
  workers: Number(values.workers),
  concurrency: Number(values.concurrency),
  killEveryS: Number(values['kill-every-s']),
  p451: Number(values.p451),
  p5xx: Number(values.p5xx),
  leaseMs: Number(values['lease-ms']),
  timeoutS: Number(values['timeout-s']),
  pgUrl: values['pg-url'],
  ...(values.cli ? { cli: values.cli } : {}),
  ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
  log,
});
process.stdout.write(`${JSON.stringify({ chaos: 'messages', ...r })}\n`);
process.stdout.write(`${JSON.stringify({ lost: r.lost, duplicates_pct: r.duplicates_pct })}\n`);
process.exit(r.ok ? 0 : 1);
