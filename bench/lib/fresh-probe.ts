import http from 'node:http';
import { percentiles } from './results.js';

/**
 * A new visitor, over and over: every `intervalMs` a FRESH TCP connection (no keep-alive, no
 * pool) sends one GET and times the answer's status line, whatever it is (200 or 503). The
 * connect time is kept apart, so a full accept queue (the kernel dropping SYNs, retried after
 * 1 s, 3 s, 7 s…) can be told from a server that accepted but did not read.
 */
export interface ProbeSample {
  /** Since the probe started. */
  atMs: number;
  connectMs: number | null;
  answerMs: number | null;
  status: number | null;
}

export interface ProbeSummary {
  count: number;
  statuses: Record<string, number>;
  timeouts: number;
  answerMs: ReturnType<typeof percentiles>;
  connectMs: ReturnType<typeof percentiles>;
}

export function probeOnce(url: string, timeoutMs: number): Promise<Omit<ProbeSample, 'atMs'>> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let connectMs: number | null = null;
    let settled = false;
    const finish = (s: Omit<ProbeSample, 'atMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(s);
    };
    const req = http.get(url, { agent: false, headers: { connection: 'close', 'user-agent': 'Mozilla/5.0 (overload probe)' } }, (res) => {
      finish({ connectMs, answerMs: performance.now() - t0, status: res.statusCode ?? null });
      res.resume();
    });
    req.on('socket', (sock) => sock.once('connect', () => (connectMs = performance.now() - t0)));
    req.on('error', () => finish({ connectMs, answerMs: null, status: null }));
    const timer = setTimeout(() => finish({ connectMs, answerMs: null, status: null }), timeoutMs);
  });
}

export function startFreshProbe(url: string, opts: { intervalMs: number; timeoutMs: number }): { stop(): Promise<ProbeSample[]> } {
  const samples: Promise<ProbeSample>[] = [];
  const started = performance.now();
  const tick = setInterval(() => {
    const atMs = performance.now() - started;
    samples.push(probeOnce(url, opts.timeoutMs).then((s) => ({ atMs, ...s })));
  }, opts.intervalMs);
  return {
    async stop() {
      clearInterval(tick);
      return Promise.all(samples);
    },
  };
}

/** Probes that got no answer count as `timeoutMs` in the percentiles (a visitor who waited that long). */
export function summarizeProbe(samples: ProbeSample[], timeoutMs: number): ProbeSummary {
  const statuses: Record<string, number> = {};
  for (const s of samples) if (s.status !== null) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  return {
    count: samples.length,
    statuses,
    timeouts: samples.filter((s) => s.answerMs === null).length,
    answerMs: percentiles(samples.map((s) => s.answerMs ?? timeoutMs)),
    connectMs: percentiles(samples.filter((s) => s.connectMs !== null).map((s) => s.connectMs!)),
  };
}
