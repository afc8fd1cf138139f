/**
 * Runs the fan-out fake as its own process:
 *
 *   npx tsx test/fakes/fanout/main.ts --port 4100 [--latency-ms 5] [--rate-limit 3000/30s]
 *       [--p5xx 0.05 --p429 0.02 --preset 0.01 --phang 0.01] [--fault-retry-after-s 1] [--seed 42]
 *
 * Prints `FANOUT_FAKE_READY {"url":…}` once listening; SIGTERM/SIGINT stop it.
 */
import { parseArgs } from 'node:util';
import { parseRateLimit, startFanoutFake } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'latency-ms': { type: 'string', default: '0' },
    'rate-limit': { type: 'string' },
    p5xx: { type: 'string', default: '0' },
    p429: { type: 'string', default: '0' },
    preset: { type: 'string', default: '0' },
    phang: { type: 'string', default: '0' },
    'fault-retry-after-s': { type: 'string', default: '1' },
    'grace-ms': { type: 'string', default: '250' },
    seed: { type: 'string' },
    upc: { type: 'string' },
    'album-id': { type: 'string' },
  },
});

const num = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number (got "${v}")`);
  return n;
};

const fake = await startFanoutFake({
  port: num('port', values.port),
  latencyMs: num('latency-ms', values['latency-ms']),
  rateLimit: values['rate-limit'] ? parseRateLimit(values['rate-limit']) : null,
  faults: {
    p5xx: num('p5xx', values.p5xx),
    p429: num('p429', values.p429),
    preset: num('preset', values.preset),
    phang: num('phang', values.phang),
  },
  faultRetryAfterS: num('fault-retry-after-s', values['fault-retry-after-s']),
  graceMs: num('grace-ms', values['grace-ms']),
  ...(values.seed !== undefined ? { seed: num('seed', values.seed) } : {}),
  release: {
    ...(values.upc ? { upc: values.upc } : {}),
    ...(values['album-id'] ? { albumId: values['album-id'] } : {}),
  },
});

process.stdout.write(`FANOUT_FAKE_READY ${JSON.stringify({ url: fake.url, pid: process.pid, release: fake.release })}\n`);

const stop = () => {
  void fake.close().then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
