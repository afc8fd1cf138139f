import { Worker } from 'node:worker_threads';
import { percentiles } from './results.js';

/**
 * HTTP load from a worker thread, so the load generator does not share the event loop with the
 * server it measures: `concurrency` loops of GET requests until stopped, with every latency kept.
 */
export interface LoadResult {
  requests: number;
  errors: number;
  /** Non-2xx answers. */
  badStatus: number;
  seconds: number;
  reqPerSec: number;
  latencyMs: ReturnType<typeof percentiles>;
}

export interface LoadOptions {
  url: string;
  concurrency: number;
  headers?: Record<string, string>;
  /** Stops by itself after this long; otherwise call stop(). */
  durationMs?: number;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, concurrency, headers, durationMs } = workerData;
let running = true;
const latencies = [];
let requests = 0, errors = 0, badStatus = 0;
const started = performance.now();
parentPort.on('message', (m) => { if (m === 'stop') running = false; });
if (durationMs) setTimeout(() => { running = false; }, durationMs);
async function loop() {
  while (running) {
    const t = performance.now();
    try {
      const res = await fetch(url, { headers });
      await res.arrayBuffer();
      if (res.status < 200 || res.status >= 300) badStatus++;
      latencies.push(performance.now() - t);
      requests++;
    } catch {
      errors++;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
Promise.all(Array.from({ length: concurrency }, loop)).then(() => {
  parentPort.postMessage({ requests, errors, badStatus, seconds: (performance.now() - started) / 1000, latencies });
});
`;

export function startLoad(opts: LoadOptions): { stop(): Promise<LoadResult>; done: Promise<LoadResult> } {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { url: opts.url, concurrency: opts.concurrency, headers: opts.headers ?? {}, durationMs: opts.durationMs ?? 0 },
  });
  const done = new Promise<LoadResult>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: { requests: number; errors: number; badStatus: number; seconds: number; latencies: number[] }) => {
      void worker.terminate();
      resolve({
        requests: m.requests,
        errors: m.errors,
        badStatus: m.badStatus,
        seconds: Math.round(m.seconds * 100) / 100,
        reqPerSec: Math.round((m.requests / m.seconds) * 10) / 10,
        latencyMs: percentiles(m.latencies),
      });
    });
  });
  return {
    done,
    stop() {
      worker.postMessage('stop');
      return done;
    },
  };
}
