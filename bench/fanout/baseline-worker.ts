/**
 * The BASELINE: the same provider calls the engine makes per pre-save (save, then verify with
 * contains), through the engine's own SandboxAdapter and HTTP client, with no database at all.
 * One process of W; `--concurrency` loops each take the next pre-save. Prints one JSON line.
 *
 *   node --import tsx bench/fanout/baseline-worker.ts --base URL --from 1 --to 50000 --concurrency 64 --adapter dist/providers/sandbox/adapter.js
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    concurrency: { type: 'string', default: '64' },
    adapter: { type: 'string' },
    album: { type: 'string' },
    artist: { type: 'string' },
    'timeout-ms': { type: 'string', default: '10000' },
  },
});

interface Adapter {
  saveToLibrary(token: string, uris: string[]): Promise<void>;
  libraryContains(token: string, uris: string[]): Promise<boolean[]>;
}
const mod = (await import(pathToFileURL(values.adapter!).href)) as {
  SandboxAdapter: new (o: { baseUrl: string; clientId: string; timeoutMs: number; now: () => number }) => Adapter;
};
const adapter = new mod.SandboxAdapter({
  baseUrl: values.base!,
  clientId: 'bench',
  timeoutMs: Number(values['timeout-ms']),
  now: Date.now,
});
const uris = [values.album!, ...(values.artist ? [values.artist] : [])];
const from = Number(values.from);
const to = Number(values.to);
let next = from;
let saves = 0;
let errors = 0;

// Wait for the go signal on stdin so every baseline process starts together.
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const started = Date.now();
await Promise.all(
  Array.from({ length: Number(values.concurrency) }, async () => {
    for (;;) {
      const i = next++;
      if (i > to) return;
      const token = `tok-b${String(i).padStart(8, '0')}`;
      try {
        await adapter.saveToLibrary(token, uris);
        const present = await adapter.libraryContains(token, uris);
        if (present.every(Boolean)) saves++;
        else errors++;
      } catch {
        errors++;
      }
    }
  }),
);
const ended = Date.now();
process.stdout.write(`BASELINE_RESULT ${JSON.stringify({ started, ended, saves, errors })}\n`);
process.exit(0);
