import { Worker } from 'node:worker_threads';
import { percentiles } from './results.js';

/**
 * HTTP load that does not wait for the server: requests are sent at a constant arrival rate
 * (open loop), whatever happened to the earlier ones, so an overloaded server meets real overload
 * instead of a polite client that slows down with it (a closed loop hides queueing). Latency is
 * counted from the moment a request was due, so time spent queued in the client counts too.
 * `closed` mode (N loops, each waiting for its answer) is for finding the capacity.
 * Runs in a worker thread with undici, so it does not share the event loop of its caller.
 */
export interface OpenLoopOptions {
  origin: string;
  path: string;
  /** Requests per second (open loop). */
  rate?: number;
  /** Closed loop instead: this many requests always outstanding. */
  concurrency?: number;
  durationMs: number;
  /** Keep-alive connections the client may open (a browser's few per fan, many fans). */
  connections: number;
  /** A request with no answer after this long counts as a timeout (its latency as this long). */
  timeoutMs: number;
  headers?: Record<string, string>;
}

export interface OpenLoopResult {
  offeredRps: number;
  sent: number;
  answered: number;
  /** Answers per status code. */
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  seconds: number;
  answeredRps: number;
  okRps: number;
  /** Every request: from due to answer (timeouts as timeoutMs). */
  latencyMs: ReturnType<typeof percentiles>;
  /** 200s only. */
  okLatencyMs: ReturnType<typeof percentiles>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Pool } = require('undici');
const { origin, path, rate, concurrency, durationMs, connections, timeoutMs, headers } = workerData;
const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60000, connectTimeout: timeoutMs });
const all = [], ok = [], statuses = {};
let sent = 0, answered = 0, errors = 0, timeouts = 0, inflight = 0, running = true;
const start = performance.now();

function fire(due) {
  sent++; inflight++;
  const signal = AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs - (performance.now() - due))));
  return pool.request({ path, method: 'GET', headers, signal }).then(
    async (res) => {
      await res.body.dump();
      const ms = performance.now() - due;
      answered++;
      statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
      all.push(ms);
      if (res.statusCode === 200) ok.push(ms);
    },
    (err) => {
      if (err && (err.name === 'TimeoutError' || err.name === 'AbortError' || /Timeout/.test(err.code || ''))) {
        timeouts++;
        all.push(timeoutMs);
      } else errors++;
    },
  ).finally(() => { inflight--; });
}

async function openLoop() {
  const ticker = setInterval(() => {
    const elapsed = performance.now() - start;
    if (elapsed >= durationMs) { running = false; clearInterval(ticker); return; }
    const target = Math.floor((elapsed / 1000) * rate);
    while (sent < target) fire(start + (sent / rate) * 1000);
  }, 1);
  while (running) await new Promise((r) => setTimeout(r, 20));
}

async function closedLoop() {
  setTimeout(() => { running = false; }, durationMs);
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (running) await fire(performance.now());
  }));
}

(rate ? openLoop() : closedLoop()).then(async () => {
  const seconds = (performance.now() - start) / 1000;
  const deadline = performance.now() + timeoutMs + 100;
  while (inflight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await pool.destroy().catch(() => {});
  parentPort.postMessage({ sent, answered, statuses, errors, timeouts, seconds, all, ok });
});
`;

export function runOpenLoop(opts: OpenLoopOptions): Promise<OpenLoopResult> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { rate: 0, concurrency: 0, headers: {}, ...opts },
  });
  return new Promise<OpenLoopResult>((resolve, reject) => {
    worker.once('error', reject);
    worker.once(
      'message',
      (m: {
        sent: number;
        answered: number;
        statuses: Record<string, number>;
        errors: number;
        timeouts: number;
        seconds: number;
        all: number[];
        ok: number[];
      }) => {
        void worker.terminate();
        const per = (n: number) => Math.round((n / m.seconds) * 10) / 10;
        resolve({
          offeredRps: opts.rate ?? 0,
          sent: m.sent,
          answered: m.answered,
          statuses: m.statuses,
          errors: m.errors,
          timeouts: m.timeouts,
          seconds: Math.round(m.seconds * 100) / 100,
          answeredRps: per(m.answered),
          okRps: per(m.statuses['200'] ?? 0),
          latencyMs: percentiles(m.all),
          okLatencyMs: percentiles(m.ok),
        });
      },
    );
  });
}
