/**
 * Summarises V8 .cpuprofile files (from `--worker-node-arg=--cpu-prof --worker-node-arg=--cpu-prof-dir=DIR`):
 * self time by function and by area (Dropday code by directory, pg, kysely, undici, pino, crypto,
 * GC, idle), so "where does a worker's time go" has an answer with numbers.
 *
 *   npx tsx bench/fanout/profile-summary.ts DIR_OR_FILE… [--top 25]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
const files = positionals.flatMap((p) =>
  fs.statSync(p).isDirectory()
    ? fs
        .readdirSync(p)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => path.join(p, f))
    : [p],
);

function area(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'gc';
  if (fn === '(idle)') return 'idle';
  if (fn === '(program)') return 'program (native, unattributed)';
  const m = /\/dist\/([^/]+)\//.exec(url) ?? /\/src\/([^/]+)\//.exec(url);
  if (m && !url.includes('node_modules')) return `dropday:${m[1]}`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  if (!url) return `native:${fn || '(anonymous)'}`;
  return 'other';
}

const byFn = new Map<string, number>();
const byArea = new Map<string, number>();
let total = 0;
for (const f of files) {
  const p = JSON.parse(fs.readFileSync(f, 'utf8')) as Profile;
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    const n = nodes.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    const key = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(node_modules|dist|src)\//, '$1/')}:${lineNumber + 1}` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + dt);
    const a = area(url, functionName);
    byArea.set(a, (byArea.get(a) ?? 0) + dt);
    total += dt;
  });
}
const pct = (v: number) => `${((100 * v) / total).toFixed(1).padStart(5)}%`;
const busy = total - (byArea.get('idle') ?? 0);
process.stdout.write(
  `${files.length} profile(s), ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy\n\nby area (self time):\n`,
);
for (const [k, v] of [...byArea].sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${pct(v)}  ${k}\n`);
process.stdout.write(`\ntop functions (self time):\n`);
for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) process.stdout.write(`  ${pct(v)}  ${k}\n`);
