import fs from 'node:fs';
import { machineInfo } from './params.js';

/**
 * Ends a benchmark: ONE JSON line on stdout (the last line, for scripts to `tail -1`), optionally
 * appended to a JSON-lines file as well.
 */
export function writeResult(bench: string, result: Record<string, unknown>, opts: { file?: string } = {}): void {
  const line = JSON.stringify({ bench, at: new Date().toISOString(), machine: machineInfo(), ...result });
  if (opts.file) fs.appendFileSync(opts.file, `${line}\n`);
  process.stdout.write(`${line}\n`);
}

/** Latency summary of a list of milliseconds. */
export function percentiles(ms: number[]): { count: number; p50: number; p90: number; p99: number; max: number } {
  if (ms.length === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => round(s[Math.min(s.length - 1, Math.floor(q * s.length))]!);
  return { count: s.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(s[s.length - 1]!) };
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
