/**
 * `npx tsx bench/accept-per-turn.ts`: how many new connections Node accepts per event-loop turn.
 * A bare `node:http` server (no Dropday code) whose handler keeps the loop busy for
 * `--handler-ms`, in its own process; `--connections` clients connect at the same moment and
 * each sends one request. If the server accepted every pending connection when it woke, all
 * accept times would be about equal; one accept per turn spaces them by a handler's time.
 * This is why a saturated web process leaves new visitors in the accept queue (docs/performance.md,
 * "Overload"). Prints its parameters first and ends with ONE JSON line.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { freePort } from '../test/helpers/server.js';
import { parseParams, printParams } from './lib/params.js';
import { round, writeResult } from './lib/results.js';

const params = parseParams('bench/accept-per-turn.ts', {
  connections: { default: 20, help: 'clients connecting at the same moment' },
  handlerMs: { default: 50, help: 'synchronous work per request on the server' },
});
printParams('bench/accept-per-turn.ts', params);

const SERVER = `
const http = require('node:http');
const ms = Number(process.argv[2]);
const accepted = [];
const server = http.createServer((req, res) => {
  const t = performance.now();
  while (performance.now() - t < ms) {}
  res.end('x');
});
server.on('connection', () => {
  accepted.push(performance.now());
  if (accepted.length === Number(process.argv[3])) setTimeout(() => { console.log(JSON.stringify(accepted)); process.exit(0); }, 10);
});
server.listen(Number(process.argv[1]), '127.0.0.1', () => console.log('ready'));
`;

async function main(): Promise<void> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', SERVER, String(port), String(params.handlerMs), String(params.connections)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('ready')) resolve();
    }),
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await ready;
  const sockets = Array.from({ length: params.connections }, () => {
    const s = net.connect(port, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    s.on('data', () => {});
    s.on('error', () => {});
    return s;
  });
  await exited;
  for (const s of sockets) s.destroy();
  const times = JSON.parse(output.slice(output.indexOf('['))) as number[];
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  const sameTurn = gaps.filter((g) => g < params.handlerMs / 2).length;
  writeResult('accept-per-turn', {
    connections: params.connections,
    handler_ms: params.handlerMs,
    accept_ms_after_first: times.map((t) => round(t - times[0]!, 1)),
    accepted_with_the_previous: sameTurn,
    all_accepted_after_ms: round(times[times.length - 1]! - times[0]!, 1),
  });
}

void main();
